"""Telegram transport: python-telegram-bot long polling in, plain-text messages out.

The transport turns each Telegram update into a neutral `Incoming`, awaits the router,
and renders each `Reply` as one or more plain-text messages (no parse_mode), so names
with `*_[]<>&` cannot break formatting. Texts longer than a Telegram message are split
at line boundaries, and buttons become an inline keyboard on the last message. A reply's
file follows as a document (sendDocument), uploaded with its bytes. A document that a
user sends in a private chat is downloaded (getFile) and handed over as an attachment,
and a handler's progress shows in one message that is edited as it changes.

Every sendMessage and sendDocument, replies and digests alike, first waits for a
`RateLimiter` with Telegram's flood limits (`TELEGRAM_LIMITS`): 30 messages a second
overall, one a second per chat and 20 a minute per group chat. Replies to users go ahead of queued digests.
A RetryAfter pauses only the chat it names. A send whose request may have reached
Telegram before it timed out or the connection broke raises `DeliveryUnknown` and is
not resent. A send that failed before the request went out, such as a refused
connection, raises the plain PTB error, so the dispatcher may retry it.

Limitations:
    Updates are processed one at a time, which is PTB's default, so a slow handler
    delays everyone's next message.
    A reply split into several messages is not atomic. If a later chunk fails, the
    earlier ones stay sent, and a notifier retry sends them again. If a later chunk's
    outcome is unknown, the whole delivery counts as unknown and is not resent.
    Telegram publishes its limits as approximate. The limiter keeps to the stated
    numbers, so it never uses short bursts that Telegram may tolerate, and it learns
    nothing from a RetryAfter beyond pausing that chat.
    The limits are counted per process. Several processes that share one bot token
    can together exceed them.
    Sorting failures into "not sent" and "unknown" relies on PTB's HTTPXRequest, which
    chains the httpx error as the cause. A network error without a known pre-send
    cause, a 5xx response included, counts as unknown.
"""

from __future__ import annotations

import datetime as dtm
import logging
import re
import time
import unicodedata
import warnings
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace

import httpx
from telegram import Bot, BotCommand, Document, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ChatType, FloodLimit
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBDeprecationWarning

from bot.attachments import ATTACHMENT_TOO_BIG, MAX_ATTACHMENT_BYTES, too_big_params
from bot.i18n import N_, normalize_locale, translator
from bot.transports.base import Attachment, Delivery, DeliveryRejected, DeliveryUnknown, Incoming, OutgoingFile, Reply
from bot.transports.pacing import ChatPaused, RateLimiter, RateLimits

logger = logging.getLogger(__name__)

PLATFORM = "telegram"

Handler = Callable[[Incoming], Awaitable[list[Reply]]]

# A bot command as (command, Chinese description, English description), e.g.
# ("today", "今天要跟进的客户", "Follow-ups due today").
CommandSpec = tuple[str, str, str]

# Bot API limits (https://core.telegram.org/bots/api, sendMessage, InlineKeyboardButton and
# BotCommand). Telegram measures message text in UTF-16 code units.
MESSAGE_TEXT_LIMIT = 4096
CALLBACK_DATA_LIMIT = 64
COMMAND_PATTERN = re.compile(r"[a-z0-9_]{1,32}")
COMMAND_DESCRIPTION_LIMIT = 256

# Flood limits as python-telegram-bot 22 states them in telegram.constants.FloodLimit,
# quoting Telegram's Bot FAQ: about 30 messages a second to all chats, one a second to one
# chat, 20 a minute to one group. Telegram does not publish exact numbers.
TELEGRAM_LIMITS = RateLimits(
    messages_per_second=FloodLimit.MESSAGES_PER_SECOND,
    chat_interval=1.0 / FloodLimit.MESSAGES_PER_SECOND_PER_CHAT,
    group_messages_per_window=FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP,
    group_window=60.0,
)

# A flood wait longer than this is not slept through. The error goes to the caller
# instead, so the dispatcher can retry the reminder on its next run.
MAX_FLOOD_WAIT_SECONDS = 30.0
FLOOD_RETRIES = 2

# Seconds to wait for the response to a request other than getUpdates; PTB's default.
READ_TIMEOUT_SECONDS = 5.0

# httpx errors raised before the request left this machine, so Telegram never saw it.
# Any other network failure may come after Telegram received the request.
_NOT_SENT_ERRORS = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.ProxyError,
    httpx.UnsupportedProtocol,
    httpx.LocalProtocolError,
)

# Matches "/cmd@BotName" at the start of a text, as Telegram clients write commands in groups.
_ADDRESSED_COMMAND = re.compile(r"^(/[A-Za-z0-9_]+)@([A-Za-z0-9_]+)(?=\s|$)")

# Loggers that may print Bot API URLs, which contain the token.
_TOKEN_LOGGERS = ("httpx", "telegram.Bot", "telegram.ext.ExtBot")

_APOLOGY = N_("Something went wrong. Please try again.")
_DOWNLOAD_FAILED = N_("The file %(name)s could not be downloaded from Telegram. Send it again.")

# A progress message is edited at most once in this many seconds; reports in between are dropped.
PROGRESS_INTERVAL_SECONDS = 1.0


# ---------------------------------------------------------------------------- rendering


@dataclass(frozen=True)
class OutgoingMessage:
    """One Telegram message: plain text for sendMessage, or a `document` for sendDocument.

    A document's `text` is its caption, sent when not empty. Either kind may carry an
    inline keyboard.
    """

    text: str
    reply_markup: InlineKeyboardMarkup | None = None
    document: OutgoingFile | None = None


def utf16_length(text: str) -> int:
    """Return the length of `text` in UTF-16 code units, the unit of Telegram's limits."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = MESSAGE_TEXT_LIMIT) -> list[str]:
    """Split `text` into chunks of at most `limit` UTF-16 units that join back to `text`.

    Chunks end at line boundaries. A single line longer than `limit` is cut after a
    space when one lies in the second half of the chunk, and otherwise between two
    user-perceived characters, so an emoji sequence or a combining accent stays whole.
    """
    if utf16_length(text) <= limit:
        return [text]

    chunks: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        if utf16_length(current) + utf16_length(line) <= limit:
            current += line
            continue
        if current:
            chunks.append(current)
        pieces = _split_long_line(line, limit)
        chunks.extend(pieces[:-1])
        current = pieces[-1]
    if current:
        chunks.append(current)
    return chunks


def _split_long_line(line: str, limit: int) -> list[str]:
    pieces: list[str] = []
    rest = line
    while utf16_length(rest) > limit:
        cut = _max_prefix_length(rest, limit)
        space = rest.rfind(" ", 0, cut)
        if space >= cut // 2:
            cut = space + 1
        else:
            safe_cut = cut
            while safe_cut > 0 and not _is_character_boundary(rest, safe_cut):
                safe_cut -= 1
            # A single "character" longer than a message cannot stay whole, so cut it.
            cut = safe_cut or cut
        pieces.append(rest[:cut])
        rest = rest[cut:]
    pieces.append(rest)
    return pieces


def _max_prefix_length(text: str, limit: int) -> int:
    """Return how many code points of `text` fit into `limit` UTF-16 units."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def _is_character_boundary(text: str, index: int) -> bool:
    """Tell whether a cut before `text[index]` keeps user-perceived characters whole.

    This covers the cases of Unicode's grapheme cluster rules (UAX #29) that occur in
    chat text: combining marks, variation selectors, emoji modifiers and tags, zero
    width joiner sequences and flag pairs. It is not a full implementation.
    """
    before, after = text[index - 1], text[index]
    if before == "\u200d" or _extends_previous(after):
        return False
    if _is_regional_indicator(before) and _is_regional_indicator(after):
        # Flags are pairs of regional indicators, so cut only after an even run of them.
        run = 0
        while index - run - 1 >= 0 and _is_regional_indicator(text[index - run - 1]):
            run += 1
        return run % 2 == 0
    return True


def _extends_previous(char: str) -> bool:
    code = ord(char)
    return (
        char == "\u200d"
        or unicodedata.category(char) in ("Mn", "Me", "Mc")
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0x1F3FB <= code <= 0x1F3FF  # emoji skin tone modifiers
        or 0xE0020 <= code <= 0xE007F  # emoji tag sequences (subdivision flags)
    )


def _is_regional_indicator(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def render_reply(reply: Reply) -> list[OutgoingMessage]:
    """Render a Reply as plain-text messages, with its buttons on the last one.

    A file goes out as a document after the text, without a caption, because a caption
    holds only 1,024 characters. A reply with a file may have no text.

    Raises:
        ValueError: if the text is empty and there is no file, or a button is invalid,
            because Telegram would reject the message.
    """
    if reply.file is not None:
        document = OutgoingMessage(text="", document=reply.file)
        if not reply.text.strip() and not reply.buttons:
            return [document]
        return [*render_reply(Reply(text=reply.text, buttons=reply.buttons)), document]
    if not reply.text.strip():
        raise ValueError(f"Reply text is empty; Telegram rejects empty messages: {reply!r}")
    markup = _render_buttons(reply) if reply.buttons else None
    # Telegram rejects a whitespace-only message, which only a run of more than 4096
    # blank characters could produce here. Such chunks are dropped.
    chunks = [chunk for chunk in split_text(reply.text) if chunk.strip()]
    messages = [OutgoingMessage(text=chunk) for chunk in chunks[:-1]]
    messages.append(OutgoingMessage(text=chunks[-1], reply_markup=markup))
    return messages


def _render_buttons(reply: Reply) -> InlineKeyboardMarkup:
    rows = []
    for row in reply.buttons:
        rendered_row = []
        for button in row:
            if not button.label.strip():
                raise ValueError(f"Button label is empty: {button!r}")
            data_size = len(button.data.encode("utf-8"))
            if not 1 <= data_size <= CALLBACK_DATA_LIMIT:
                raise ValueError(
                    f"Button {button.label!r} has callback data of {data_size} bytes; "
                    f"Telegram accepts 1-{CALLBACK_DATA_LIMIT} bytes: {button.data!r}"
                )
            rendered_row.append(InlineKeyboardButton(button.label, callback_data=button.data))
        rows.append(rendered_row)
    return InlineKeyboardMarkup(rows)


def strip_bot_mention(text: str, bot_username: str | None) -> str | None:
    """Remove our "@BotName" from a leading "/cmd@BotName", as in groups.

    Returns None when the command names another bot, because that command is not ours.
    """
    match = _ADDRESSED_COMMAND.match(text)
    if match is None:
        return text
    if bot_username is None or match.group(2).lower() != bot_username.lower():
        return None
    return match.group(1) + text[match.end() :]


def normalize_base_url(base_url: str) -> tuple[str, str]:
    """Return PTB's API and file base URLs for a self-hosted Bot API server.

    Accepts "http://host:port" and "http://host:port/bot". PTB appends the token to
    both results, e.g. "http://host:port/bot" + token.
    """
    root = base_url.strip().rstrip("/")
    if not root.startswith(("http://", "https://")):
        raise ValueError(
            f"TELEGRAM_BASE_URL must start with http:// or https://, got {base_url!r}"
        )
    if root.endswith("/bot"):
        root = root[: -len("/bot")]
    return f"{root}/bot", f"{root}/file/bot"


def _validate_commands(commands: Sequence[CommandSpec]) -> None:
    for command, description_zh, description_en in commands:
        if not COMMAND_PATTERN.fullmatch(command):
            raise ValueError(
                f"Bot command {command!r} is invalid; use 1-32 lowercase letters, digits or '_'"
            )
        for description in (description_zh, description_en):
            if not 1 <= len(description) <= COMMAND_DESCRIPTION_LIMIT:
                raise ValueError(
                    f"Description of bot command {command!r} must be 1-256 characters: "
                    f"{description!r}"
                )


def is_group_chat(chat_id: str) -> bool:
    """Tell whether Telegram counts `chat_id` as a group or channel for its flood limits.

    Group and channel ids are negative, and "@username" targets can only be public
    supergroups or channels.
    """
    return chat_id.startswith(("-", "@"))


def outcome_unknown(error: TelegramError) -> bool:
    """Tell whether a failed request may still have reached Telegram and taken effect.

    True for timeouts and broken connections after the request went out, and for
    server errors. False for a connection that failed before sending and for every
    error response from Telegram (bad request, forbidden, flood control).
    """
    if not isinstance(error, NetworkError) or isinstance(error, BadRequest):
        return False
    return not isinstance(error.__cause__, _NOT_SENT_ERRORS)


def _retry_after_seconds(error: RetryAfter) -> float:
    # PTB 22.2 turned `retry_after` into a timedelta behind a deprecation warning,
    # and older versions return an int, so accept both.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    if isinstance(value, dtm.timedelta):
        return value.total_seconds()
    return float(value)


def _chat_id_for_api(chat_id: str) -> int | str:
    # Telegram chat ids are integers, but "@channelusername" is also accepted.
    try:
        return int(chat_id)
    except ValueError:
        return chat_id


class _RedactToken(logging.Filter):
    """Replaces the bot token in log records, because the token grants full control of the bot."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self._token in message:
            record.msg = message.replace(self._token, "<token>")
            record.args = None
        return True


class ProgressMessage:
    """Shows a handler's progress in one message: sent at the first report, edited after.

    An edit comes at most every `min_interval` seconds, and a report in between is
    dropped, because the next report or the reply supersedes it. A failed send or edit is
    logged and the handler goes on, since progress is a courtesy.
    """

    def __init__(
        self,
        *,
        bot: Bot,
        limiter: RateLimiter,
        chat_id: str,
        min_interval: float,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._bot = bot
        self._limiter = limiter
        self._chat_id = chat_id
        self._min_interval = min_interval
        self._monotonic = monotonic
        self._message_id: int | None = None
        self._text = ""
        self._shown_at = 0.0

    async def report(self, text: str) -> None:
        """Send or edit the progress message to show `text`."""
        now = self._monotonic()
        if self._message_id is not None and (text == self._text or now - self._shown_at < self._min_interval):
            return
        try:
            await self._limiter.acquire(
                self._chat_id, is_group=is_group_chat(self._chat_id), urgent=True, max_pause=MAX_FLOOD_WAIT_SECONDS
            )
            if self._message_id is None:
                message = await self._bot.send_message(chat_id=_chat_id_for_api(self._chat_id), text=text)
                self._message_id = message.message_id
            else:
                await self._bot.edit_message_text(
                    text=text, chat_id=_chat_id_for_api(self._chat_id), message_id=self._message_id
                )
        except (TelegramError, ChatPaused) as error:
            logger.warning("progress message failed chat_id=%s: %s", self._chat_id, error)
            return
        self._text = text
        self._shown_at = now


# ---------------------------------------------------------------------------- transport


class TelegramTransport:
    """Runs a bot on Telegram through python-telegram-bot, with long polling.

    Args:
        token: the bot token from @BotFather.
        handler: the router, awaited with each Incoming. Its replies go back to the chat.
        base_url: a self-hosted Bot API server ("http://host:port" or "http://host:port/bot");
            None uses api.telegram.org.
        commands: the command menu, as (command, Chinese description, English description).
        polling_timeout: seconds that each getUpdates long poll may wait for an update.
        read_timeout: seconds to wait for the response to any other request. A send that
            times out has an unknown outcome.
        limiter: paces every sendMessage; a RateLimiter with TELEGRAM_LIMITS by default.
            Tests inject one with a virtual clock.
        progress_interval: the minimum seconds between two edits of a progress message.
    """

    def __init__(
        self,
        *,
        token: str,
        handler: Handler,
        base_url: str | None = None,
        commands: Sequence[CommandSpec] = (),
        polling_timeout: int = 10,
        read_timeout: float = READ_TIMEOUT_SECONDS,
        limiter: RateLimiter | None = None,
        progress_interval: float = PROGRESS_INTERVAL_SECONDS,
    ) -> None:
        _validate_commands(commands)
        self._progress_interval = progress_interval
        self._handler = handler
        self._commands = tuple(commands)
        self._polling_timeout = polling_timeout
        self._limiter = limiter if limiter is not None else RateLimiter(TELEGRAM_LIMITS)

        # httpx logs every request URL at INFO, and Bot API URLs contain the token.
        # PTB's own logger prints the URL at DEBUG, so it gets a redacting filter too.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        # The filter must be in place before build(), which logs the URL.
        self._redact_filter = _RedactToken(token)
        for name in _TOKEN_LOGGERS:
            logging.getLogger(name).addFilter(self._redact_filter)

        builder = ApplicationBuilder().token(token).read_timeout(read_timeout)
        if base_url is not None:
            api_url, file_url = normalize_base_url(base_url)
            builder = builder.base_url(api_url).base_file_url(file_url)
        self._application: Application = builder.build()
        self._application.add_handler(
            MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT, self._on_text)
        )
        self._application.add_handler(
            MessageHandler(filters.UpdateType.MESSAGE & filters.Document.ALL, self._on_document)
        )
        self._application.add_handler(CallbackQueryHandler(self._on_callback_query))
        self._application.add_error_handler(self._on_error)
        self._notifier = TelegramNotifier(self)

    @property
    def notifier(self) -> TelegramNotifier:
        """The Notifier that sends digests and reminders through this bot."""
        return self._notifier

    async def start(self) -> None:
        """Connect to the Bot API, publish the command menu and start long polling."""
        application = self._application
        await application.initialize()
        await self._publish_commands()
        await application.start()
        assert application.updater is not None  # ApplicationBuilder always builds one
        await application.updater.start_polling(
            timeout=self._polling_timeout,
            allowed_updates=[Update.MESSAGE, Update.CALLBACK_QUERY],
        )
        logger.info(
            "telegram transport started bot_id=%s username=%s",
            application.bot.id,
            application.bot.username,
        )

    async def stop(self) -> None:
        """Stop polling, finish the update in progress and close the HTTP connections."""
        application = self._application
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()
        for name in _TOKEN_LOGGERS:
            logging.getLogger(name).removeFilter(self._redact_filter)
        logger.info("telegram transport stopped")

    @property
    def limiter(self) -> RateLimiter:
        """The RateLimiter that paces every message this bot sends."""
        return self._limiter

    async def send_reply(self, chat_id: str, reply: Reply) -> None:
        """Send one Reply to a chat, split into messages as needed, behind any urgent reply."""
        await self._send_messages(chat_id, render_reply(reply), urgent=False)

    async def _publish_commands(self) -> None:
        if not self._commands:
            return
        bot = self._application.bot
        chinese = [BotCommand(command, zh) for command, zh, _ in self._commands]
        english = [BotCommand(command, en) for command, _, en in self._commands]
        # The default list serves clients in any other language. The product speaks
        # Chinese first, so that list is in Chinese.
        await bot.set_my_commands(chinese)
        await bot.set_my_commands(chinese, language_code="zh")
        await bot.set_my_commands(english, language_code="en")
        logger.info("bot commands published count=%d", len(self._commands))

    # ------------------------------------------------------------------ update handlers

    async def _on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Hand a text message, commands included, to the router."""
        message = update.message
        user = update.effective_user
        chat = update.effective_chat
        if message is None or message.text is None or user is None or chat is None:
            return
        if user.is_bot:
            logger.debug("ignored message from bot update_id=%s user_id=%s", update.update_id, user.id)
            return
        text = strip_bot_mention(message.text, context.bot.username)
        if text is None:
            logger.debug("ignored command for another bot update_id=%s", update.update_id)
            return
        incoming = Incoming(
            platform=PLATFORM,
            user_id=str(user.id),
            chat_id=str(chat.id),
            text=text,
            display_name=user.full_name,
            locale=normalize_locale(user.language_code),
            is_private=chat.type == ChatType.PRIVATE,
        )
        await self._handle(update.update_id, incoming)

    async def _on_callback_query(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Acknowledge a button press, then hand its callback data to the router."""
        query = update.callback_query
        if query is None or query.data is None:
            return
        user = query.from_user
        try:
            # Acknowledge first, because the client shows a spinner on the button until then.
            await query.answer()
        except TelegramError as error:
            logger.warning(
                "answerCallbackQuery failed update_id=%s user_id=%s: %s",
                update.update_id,
                user.id,
                error,
            )
        chat = update.effective_chat
        incoming = Incoming(
            platform=PLATFORM,
            user_id=str(user.id),
            # A message sent in inline mode has no chat. Its replies go to the user's private
            # chat, whose id equals the user id.
            chat_id=str(chat.id if chat is not None else user.id),
            display_name=user.full_name,
            locale=normalize_locale(user.language_code),
            callback_data=query.data,
            is_private=chat is None or chat.type == ChatType.PRIVATE,
        )
        await self._handle(update.update_id, incoming)

    async def _on_document(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Download a file sent in a private chat and hand it to the router, its caption as text.

        A file over MAX_ATTACHMENT_BYTES is refused before it is downloaded. A file in a
        group is not downloaded, because the bot reads no customer sheet in a group.
        """
        message = update.message
        user = update.effective_user
        chat = update.effective_chat
        if message is None or message.document is None or user is None or chat is None or user.is_bot:
            return
        caption = strip_bot_mention(message.caption or "", context.bot.username)
        if caption is None:
            return
        document = message.document
        filename = document.file_name or "file"
        incoming = Incoming(
            platform=PLATFORM,
            user_id=str(user.id),
            chat_id=str(chat.id),
            text=caption,
            display_name=user.full_name,
            locale=normalize_locale(user.language_code),
            is_private=chat.type == ChatType.PRIVATE,
        )
        if incoming.is_private:
            data = await self._download(update.update_id, incoming, document=document, filename=filename)
            if data is None:
                return
            incoming = replace(incoming, attachment=Attachment(filename=filename, data=data))
        await self._handle(update.update_id, incoming)

    async def _download(self, update_id: int, incoming: Incoming, *, document: Document, filename: str) -> bytes | None:
        """Return the document's bytes, or reply with the reason and return None."""
        t = translator(incoming.locale)
        declared = document.file_size or 0
        if declared > MAX_ATTACHMENT_BYTES:
            logger.info("document rejected over the size limit update_id=%s bytes=%d", update_id, declared)
            text = t.gettext(ATTACHMENT_TOO_BIG, **too_big_params(name=filename, size=declared))
            await self._send_messages(incoming.chat_id, render_reply(Reply(text=text)), urgent=True)
            return None
        try:
            telegram_file = await document.get_file()
            data = bytes(await telegram_file.download_as_bytearray())
        except TelegramError as error:
            logger.warning("document download failed update_id=%s: %s", update_id, error)
            text = t.gettext(_DOWNLOAD_FAILED, name=filename)
            await self._send_messages(incoming.chat_id, render_reply(Reply(text=text)), urgent=True)
            return None
        if len(data) > MAX_ATTACHMENT_BYTES:
            text = t.gettext(ATTACHMENT_TOO_BIG, **too_big_params(name=filename, size=len(data)))
            await self._send_messages(incoming.chat_id, render_reply(Reply(text=text)), urgent=True)
            return None
        logger.info("document downloaded update_id=%s bytes=%d", update_id, len(data))
        return data

    async def _handle(self, update_id: int, incoming: Incoming) -> None:
        started = time.monotonic()
        progress = ProgressMessage(
            bot=self._application.bot,
            limiter=self._limiter,
            chat_id=incoming.chat_id,
            min_interval=self._progress_interval,
        )
        incoming = replace(incoming, progress=progress.report)
        try:
            replies = await self._handler(incoming)
            messages = [message for reply in replies for message in render_reply(reply)]
        except Exception:
            # The router turns user errors into replies, so anything here is a bug or an
            # outage. Log it and apologise, or the user would get no reply at all.
            logger.exception(
                "handler failed update_id=%s user_id=%s chat_id=%s",
                update_id,
                incoming.user_id,
                incoming.chat_id,
            )
            apology = translator(incoming.locale).gettext(_APOLOGY)
            messages = render_reply(Reply(text=apology))
        # The user is waiting for this reply, so it goes ahead of queued digests.
        await self._send_messages(incoming.chat_id, messages, urgent=True)
        logger.info(
            "update_id=%s user_id=%s handled in %d ms",
            update_id,
            incoming.user_id,
            (time.monotonic() - started) * 1000,
        )

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log an error that escaped an update handler, e.g. a failed sendMessage."""
        update_id = update.update_id if isinstance(update, Update) else None
        logger.error(
            "update processing failed update_id=%s", update_id, exc_info=context.error
        )

    # ------------------------------------------------------------------ sending

    async def _send_messages(
        self, chat_id: str, messages: Sequence[OutgoingMessage], *, urgent: bool
    ) -> None:
        for number, message in enumerate(messages, start=1):
            try:
                await self._send_paced(chat_id, message, urgent=urgent)
            except DeliveryUnknown as error:
                # The later parts are not sent either, because the reply is resent as a
                # whole or not at all.
                if len(messages) == 1:
                    raise
                raise DeliveryUnknown(f"part {number} of {len(messages)}: {error}") from error.__cause__

    async def _send_paced(self, chat_id: str, message: OutgoingMessage, *, urgent: bool) -> None:
        """Send one message when the limiter allows it, retrying after a flood-control error.

        Raises:
            DeliveryUnknown: if the request may have reached Telegram but no response came.
            ChatPaused: if a RetryAfter paused the chat for over MAX_FLOOD_WAIT_SECONDS.
            RetryAfter: after FLOOD_RETRIES retries, or for a wait over MAX_FLOOD_WAIT_SECONDS.
        """
        bot = self._application.bot
        for attempt in range(FLOOD_RETRIES + 1):
            await self._limiter.acquire(
                chat_id,
                is_group=is_group_chat(chat_id),
                urgent=urgent,
                max_pause=MAX_FLOOD_WAIT_SECONDS,
            )
            try:
                if message.document is not None:
                    await _send_document(bot, chat_id, message)
                    return
                # No parse_mode: the text is plain, so user data cannot inject markup.
                await bot.send_message(
                    chat_id=_chat_id_for_api(chat_id),
                    text=message.text,
                    reply_markup=message.reply_markup,
                )
                return
            except RetryAfter as error:
                wait = _retry_after_seconds(error)
                # Only this chat waits. The next acquire sleeps through the pause, and
                # sends to other chats go on meanwhile.
                self._limiter.pause_chat(chat_id, wait)
                if attempt == FLOOD_RETRIES or wait > MAX_FLOOD_WAIT_SECONDS:
                    logger.warning(
                        "flood control: giving up chat_id=%s retry_after=%.0f s attempts=%d",
                        chat_id,
                        wait,
                        attempt + 1,
                    )
                    raise
                logger.warning(
                    "flood control: retrying chat_id=%s retry_after=%.0f s attempt=%d",
                    chat_id,
                    wait,
                    attempt + 1,
                )
            except NetworkError as error:
                if not outcome_unknown(error):
                    raise
                method = "sendDocument" if message.document is not None else "sendMessage"
                raise DeliveryUnknown(
                    f"{method} to chat_id={chat_id} may have been delivered, "
                    f"but no response came: {error!r}"
                ) from error


async def _send_document(bot: Bot, chat_id: str, message: OutgoingMessage) -> None:
    """Upload `message.document` with its bytes as a multipart sendDocument request."""
    document = message.document
    assert document is not None
    upload = InputFile(document.data, filename=document.filename)
    # InputFile guesses the type from the file name; the reply states it.
    upload.mimetype = document.mime_type
    await bot.send_document(
        chat_id=_chat_id_for_api(chat_id),
        document=upload,
        caption=message.text or None,
        reply_markup=message.reply_markup,
    )
    logger.info("document sent chat_id=%s bytes=%d", chat_id, len(document.data))


class TelegramNotifier:
    """Sends deliveries from the dispatcher through a running TelegramTransport.

    `send` may be awaited from many tasks at once. The transport's limiter paces them,
    and sends to different chats wait for their own chats in parallel.
    """

    def __init__(self, transport: TelegramTransport) -> None:
        self._transport = transport

    async def send(self, delivery: Delivery) -> None:
        """Send the delivery's reply to its chat; raise on failure so the reminder stays unsent.

        Raises:
            DeliveryUnknown: if a message may have reached Telegram but no response came.
                The caller must not resend the delivery.
            DeliveryRejected: if Telegram answered 403 Forbidden (the user blocked the bot,
                or the bot was removed from the group), which no retry can fix.
            ChatPaused: if flood control paused the chat for longer than
                MAX_FLOOD_WAIT_SECONDS.
            TelegramError: any other failure. The delivery may be retried, though parts
                of a split reply may already have been sent.
        """
        if delivery.platform != PLATFORM:
            raise ValueError(
                f"TelegramNotifier cannot send to platform {delivery.platform!r}: {delivery!r}"
            )
        try:
            await self._transport.send_reply(delivery.chat_id, delivery.reply)
        except Forbidden as error:
            logger.warning(
                "delivery rejected for good chat_id=%s reminder_ids=%s: %s",
                delivery.chat_id,
                delivery.reminder_ids,
                error,
            )
            raise DeliveryRejected(f"Telegram refused the message to chat_id={delivery.chat_id}: {error}") from error
        except DeliveryUnknown as error:
            logger.warning(
                "delivery outcome unknown, not resending chat_id=%s reminder_ids=%s: %s",
                delivery.chat_id,
                delivery.reminder_ids,
                error,
            )
            raise
        logger.info(
            "delivery sent chat_id=%s reminder_ids=%s", delivery.chat_id, delivery.reminder_ids
        )
