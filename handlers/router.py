"""Turns an Incoming into a command call inside one unit of work, and errors into replies."""

from __future__ import annotations

import logging
import re
import secrets
import time
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.config import Settings
from bot.errors import UserError
from bot.i18n import N_, translator
from bot.models import Conversation
from bot.services.invites import FORMER_MEMBER_REFUSAL, STRANGER_REFUSAL, find_code, refuse_once, team_has_members
from bot.services.links import touch_identity
from bot.services.members import effective_locale, find_member, get_or_create_team, update_identity
from bot.store import Store
from bot.transports.base import Button, Incoming, Reply
from handlers.commands import KEYWORDS, PICK_COMMAND
from handlers.context import ChoiceRequired, HandlerContext
from handlers.render import localized_param

logger = logging.getLogger(__name__)

# Commands whose arguments start with a customer name, which a Chinese keyword may touch.
NAME_COMMANDS = frozenset(
    {"find", "card", "log", "done", "snooze", "deal", "stage", "cadence", "inquiry", "replied", "reply", "draft"}
)
# The command that handles a file sent without a command.
IMPORT_COMMAND = "import"
# Commands that show no customer data, and so may be used in a group chat.
# "link" is here so that its handler says itself that linking is done in a private chat.
GROUP_COMMANDS = frozenset({"help", "digest", "link"})

# Longer messages are rejected before parsing; no field needs more.
MAX_MESSAGE_CHARS = 4000
# /check takes a whole pasted reply, so it may use all of Telegram's 4,096 characters per
# message, which leaves room for "/check " before a 4,000-character reply.
MAX_CHECK_MESSAGE_CHARS = 4096

Handler = Callable[[HandlerContext, str], Awaitable[list[Reply]]]


@dataclass(frozen=True)
class ParsedCommand:
    name: str
    args: str


_COMMAND = re.compile(r"^[/／](?P<name>[^\s@]+)(?:@\S*)?(?:\s+(?P<args>.*))?$", re.DOTALL)
MAX_QUOTED_CHARS = 80
# Error parameters that quote what the member typed; others (lists of accepted keys) stay whole.
QUOTED_PARAMS = frozenset({"value", "text", "query", "name", "place"})
# Phone keyboards add a full stop or an exclamation mark after a word; "/today." means /today.
_TRAILING_PUNCTUATION = ".。!！?？,，;；"
# A Chinese keyword may run into a field key ("添加客户名称: …") but not into a sentence ("今天天气不错").
_FIELD_KEY_START = re.compile(r"^[\u4e00-\u9fff]{1,6}[:：]")
# Control characters other than tab and line break cannot be stored (PostgreSQL rejects NUL).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(text: str) -> str:
    """Drop control characters and replace lone surrogates, which no database column accepts."""
    # Encoding with "replace" turns a lone surrogate into "?" and leaves valid text as it is.
    return _CONTROL.sub("", text).encode("utf-8", "replace").decode("utf-8")


def _shorten(value: object) -> object:
    # An error quotes the bad value; a pasted page of text is cut so the reply stays readable.
    if isinstance(value, str) and len(value) > MAX_QUOTED_CHARS:
        return value[:MAX_QUOTED_CHARS] + "…"
    return value


def split_command(text: str) -> ParsedCommand | None:
    """Read '/cmd@Bot args' or a Chinese keyword at the start; None when it is neither.

    Any white space ends the command name: a space, a tab, a line break or the ideographic
    space that Chinese input methods type. A Chinese keyword may run straight into its
    arguments (查找Acme, 添加客户名称: …), but not into a colon, which makes it a field key
    (阶段: won), nor into other Chinese words (今天天气不错 is not /today).
    """
    stripped = text.strip()
    match = _COMMAND.match(stripped)
    if match:
        name = unicodedata.normalize("NFKC", match.group("name")).lower().rstrip(_TRAILING_PUNCTUATION)
        return ParsedCommand(name, _arguments(match.group("args") or ""))
    for keyword, name in KEYWORDS:
        if stripped.startswith(keyword):
            rest = _arguments(stripped[len(keyword) :])
            if not rest or stripped[len(keyword)].isspace() or _runs_into_arguments(rest, command=name):
                return ParsedCommand(name, rest)
    return None


def _arguments(text: str) -> str:
    # "今天。" and "/today!" carry no arguments, only the punctuation a phone keyboard added.
    stripped = text.strip()
    return "" if not stripped.strip(_TRAILING_PUNCTUATION + " ") else stripped


def _runs_into_arguments(rest: str, *, command: str) -> bool:
    """Tell whether text glued to a keyword starts its arguments rather than a longer word."""
    if rest[0] in ":：":
        return False
    if not "\u4e00" <= rest[0] <= "\u9fff" or command in NAME_COMMANDS:
        # Chinese writers seldom type a space: 查找华为 and 记录华为 发了报价 name a customer.
        return True
    return bool(_FIELD_KEY_START.match(rest))


class Router:
    """Routes messages to command handlers; one router serves every transport."""

    def __init__(self, *, store: Store, clock: Clock, settings: Settings) -> None:
        self.store = store
        self.clock = clock
        self.settings = settings
        self.handlers: dict[str, Handler] = {}

    def add(self, name: str, handler: Handler) -> None:
        self.handlers[name] = handler

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """Handle one message or button press and return the replies to send."""
        started = time.monotonic()
        text = clean_text(incoming.callback_data if incoming.callback_data is not None else incoming.text)
        try:
            replies = await self._handle_text(incoming, text)
        finally:
            logger.info(
                "message handled platform=%s user_id=%s chars=%d in %d ms",
                incoming.platform,
                incoming.user_id,
                len(text),
                (time.monotonic() - started) * 1000,
            )
        return replies

    async def _handle_text(self, incoming: Incoming, text: str) -> list[Reply]:
        now = self.clock.now()
        async with self.store.session() as session:
            try:
                async with session.begin():
                    context = await self._context(session, incoming, now)
                    return await self._dispatch(context, text)
            except UserError as error:
                # The unit of work was rolled back: nothing of this message is stored.
                logger.info(
                    "user error platform=%s user_id=%s error=%s",
                    incoming.platform,
                    incoming.user_id,
                    type(error).__name__,
                )
                command = split_command(text)
                async with session.begin():
                    context = await self._context(session, incoming, now)
                    if command is not None and command.name != PICK_COMMAND:
                        # A new command ends any open question, even when the command fails.
                        await self._clear_conversation(context)
                    return await self._error_replies(context, error)

    async def _context(self, session: AsyncSession, incoming: Incoming, now: datetime) -> HandlerContext:
        settings = self.settings
        team = await get_or_create_team(
            session,
            name=settings.team_name,
            default_locale=settings.default_locale,
            default_zone=settings.default_zone,
            now=now,
        )
        member = await find_member(session, platform=incoming.platform, external_id=incoming.user_id)
        if member is not None and member.team_id != team.id:
            # One chat account belongs to one team; to this team's bot it is a stranger.
            member = None
        locale = (
            effective_locale(member, incoming.locale, team)
            if member
            else (incoming.locale or team.default_locale)
        )
        return HandlerContext(
            incoming=incoming,
            session=session,
            team=team,
            member=member,
            t=translator(locale),
            now=now,
            settings=settings,
        )

    async def _dispatch(self, context: HandlerContext, text: str) -> list[Reply]:
        command_word = text.lstrip().split(maxsplit=1)[0].partition("@")[0] if text.strip() else ""
        limit = MAX_CHECK_MESSAGE_CHARS if command_word == "/check" else MAX_MESSAGE_CHARS
        if len(text) > limit:
            raise UserError(
                N_("The message is too long (%(length)s characters). Send at most %(limit)s."),
                length=len(text),
                limit=limit,
            )

        member = context.member
        if member is not None:
            incoming = context.incoming
            await update_identity(
                member=member,
                platform=incoming.platform,
                external_id=incoming.user_id,
                chat_id=incoming.chat_id if incoming.is_private else None,
                client_locale=incoming.locale,
            )
            touch_identity(
                member=member,
                platform=incoming.platform,
                external_id=incoming.user_id,
                workspace_id=incoming.workspace_id,
                now=context.now,
            )

        command = split_command(text)
        if not context.incoming.is_private and command is None:
            # Group chatter is not for the bot.
            return []
        refusal = await self._admit(context, command)
        if refusal is not None:
            return refusal
        if not context.incoming.is_private:
            # Customer data never goes to a group, where everyone could read it.
            if command.name not in GROUP_COMMANDS:
                raise UserError(N_("To keep your customer list private, send me this in a private chat."))

        if command is None and context.incoming.attachment is not None:
            # A file sent without a command is a customer sheet to import; its caption may map columns.
            command = ParsedCommand(IMPORT_COMMAND, text)

        if command is None:
            conversation = await self._conversation(context)
            if conversation is not None:
                return await self._answer(context, conversation, text)
            raise UserError(N_("I did not understand that. Send /help for the list of commands."))

        if command.name not in ("start", "help", "link"):
            context.require_member()
        if command.name == PICK_COMMAND:
            conversation = await self._conversation(context)
            question_id, _, number = command.args.rpartition(" ")
            # A button carries the id of its question: an old button must not answer a newer one.
            if conversation is None or (question_id and question_id != conversation.payload.get("id")):
                raise UserError(N_("That choice has expired. Send the command again."))
            return await self._answer(context, conversation, number)

        handler = self.handlers.get(command.name)
        if handler is None:
            raise UserError(N_("Unknown command /%(name)s. Send /help for the list of commands."), name=command.name)
        await self._clear_conversation(context)
        return await handler(context, command.args)

    # --- admission: allowlists, invitations and the one refusal to strangers ---

    def _chat_allowed(self, incoming: Incoming) -> bool:
        settings = self.settings
        if settings.allowed_workspaces is not None and incoming.workspace_id is not None:
            if incoming.workspace_id not in settings.allowed_workspaces:
                return False
        if settings.allowed_chats is not None and not incoming.is_private:
            return incoming.chat_id in settings.allowed_chats
        return True

    async def _admit(self, context: HandlerContext, command: ParsedCommand | None) -> list[Reply] | None:
        """Return None when the sender may go on, else the replies to send instead: one refusal, then none."""
        incoming = context.incoming
        if not self._chat_allowed(incoming):
            logger.info("chat not allowed platform=%s chat_id=%s", incoming.platform, incoming.chat_id)
            return []
        member = context.member
        if member is not None and member.active:
            return None
        if command is not None and command.name == "start" and find_code(command.args):
            # The code decides; an invalid one gets its own clear message.
            return None
        if command is not None and command.name == "link" and command.args.strip() and incoming.is_private:
            # A link code attaches a new account to an existing member; the code decides.
            return None
        if member is None and not await team_has_members(context.session, team=context.team):
            # An empty team: the first /start makes its admin.
            return None
        if not await refuse_once(
            context.session, team=context.team, platform=incoming.platform, external_id=incoming.user_id, now=context.now
        ):
            return []
        message = FORMER_MEMBER_REFUSAL if member is not None else STRANGER_REFUSAL
        return [Reply(text=context.t.gettext(message))]

    # --- conversations: a numbered question the member answers with a number or a value ---

    async def _conversation(self, context: HandlerContext) -> Conversation | None:
        if context.member is None:
            return None
        return await context.session.get(Conversation, context.member.id)

    async def _clear_conversation(self, context: HandlerContext) -> None:
        if context.member is not None:
            await context.session.execute(delete(Conversation).where(Conversation.member_id == context.member.id))

    async def _answer(self, context: HandlerContext, conversation: Conversation, answer: str) -> list[Reply]:
        payload = conversation.payload
        options: list[str] = list(payload.get("options", []))  # type: ignore[arg-type]
        choice = unicodedata.normalize("NFKC", answer).strip()
        if choice.isdigit() and 1 <= int(choice) <= len(options):
            value = options[int(choice) - 1]
        elif payload.get("free_text") and choice:
            value = choice
        else:
            raise UserError(N_("Reply with a number from 1 to %(count)s."), count=len(options))
        command_text = f"{payload['before']}{value}{payload['after']}"
        await context.session.delete(conversation)
        await context.session.flush()
        return await self._dispatch(context, command_text)

    async def _error_replies(self, context: HandlerContext, error: UserError) -> list[Reply]:
        params = {key: _shorten(value) if key in QUOTED_PARAMS else value for key, value in error.params.items()}
        params = {key: localized_param(value, context.t) for key, value in params.items()}
        text = context.t.gettext(error.message, **params)
        member = context.member
        if not isinstance(error, ChoiceRequired) or member is None:
            return [Reply(text=text)]
        # The error is a question, so store it until the member replies.
        question_id = secrets.token_hex(4)
        await self._clear_conversation(context)
        context.session.add(
            Conversation(
                member_id=member.id,
                state="choice",
                payload={
                    "id": question_id,
                    "before": error.before,
                    "after": error.after,
                    "options": error.values,
                    "free_text": error.free_text,
                },
                created_at=context.now,
            )
        )
        lines = [text] + [f"{number}. {label}" for number, label in enumerate(error.labels, start=1)]
        if error.more:
            lines.append(context.t.gettext("…and %(count)s more. Write more of the name to narrow the list.", count=error.more))
        buttons = tuple(
            (Button(f"{number}. {label}"[:40], f"/{PICK_COMMAND} {question_id} {number}"),)
            for number, label in enumerate(error.labels, start=1)
        )
        return [Reply(text="\n".join(lines), buttons=buttons)]

