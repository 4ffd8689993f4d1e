"""`followup-bot import FILE --as NAME`: the chat's import preview and confirmation on a terminal.

NAME is found as `followup-bot ics --as` finds it: a console name, a display name in any
case, or #ID. The file goes through the router as that member sends it from one of their
chats, so the preview is the one a chat shows, without its buttons. The command asks y/N
before it writes, unless --yes is given. Exit status: 0 when customers were imported, 1
when nothing was.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from sqlalchemy import select

from bot.attachments import (
    ATTACHMENT_TOO_BIG,
    FILE_NOT_FOUND,
    FILE_NOT_READABLE,
    MAX_ATTACHMENT_BYTES,
    too_big_params,
)
from bot.calendar_cli import CONSOLE_PLATFORM, MemberLookupError, find_member_by_name
from bot.clock import SystemClock
from bot.config import Settings
from bot.i18n import N_, translator
from bot.models import Identity, PendingImport
from bot.store import Store, migrate
from bot.transports.base import Attachment, Incoming, Reply
from handlers.routes import build_router

logger = logging.getLogger(__name__)

# Answers that confirm the question; anything else, an empty line included, declines.
YES_ANSWERS = frozenset({"y", "yes", "是", "好", "确认"})

MEMBER_NOT_FOUND = N_(
    "No single member of the team matches %(name)s. Give a display name (any case) or #ID. "
    "To create a member, start the console once with `followup-bot console --as %(name)s` and send /start, "
    "or give the name you use on Telegram after sending /start there."
)
_CONFIRM_PREFIX = "/import yes "
_CANCEL_PREFIX = "/import cancel "


def _button_data(replies: list[Reply], prefix: str) -> str | None:
    for reply in replies:
        for row in reply.buttons:
            for button in row:
                if button.data.startswith(prefix):
                    return button.data
    return None


async def run_import(
    settings: Settings,
    *,
    path: Path,
    name: str,
    assume_yes: bool,
    locale: str | None = None,
    output: TextIO = sys.stdout,
    ask: Callable[[str], str] = input,
) -> int:
    """Preview the file as member NAME, ask, and import; return the process exit status."""
    t = translator(locale or settings.default_locale)

    def show(text: str) -> None:
        output.write(text + "\n")
        output.flush()

    try:
        size = path.stat().st_size
        if size > MAX_ATTACHMENT_BYTES:
            show(t.gettext(ATTACHMENT_TOO_BIG, **too_big_params(name=path.name, size=size)))
            return 1
        data = path.read_bytes()
    except FileNotFoundError:
        show(t.gettext(FILE_NOT_FOUND, path=str(path)))
        return 1
    except OSError as error:
        logger.info("import file unreadable error=%s", type(error).__name__)
        show(t.gettext(FILE_NOT_READABLE, path=str(path)))
        return 1

    async def progress(text: str) -> None:
        show(f"⏳ {text}")

    store = Store(settings.database_url)
    try:
        await migrate(store)
        identity = await _member_identity(store, settings=settings, name=name)
        if identity is None:
            show(t.gettext(MEMBER_NOT_FOUND, name=name))
            return 1

        def incoming(text: str, attachment: Attachment | None = None) -> Incoming:
            return Incoming(
                platform=identity.platform,
                user_id=identity.external_id,
                chat_id=identity.chat_id,
                text=text,
                display_name=identity.display_name,
                locale=locale,
                attachment=attachment,
                progress=progress,
            )

        router = build_router(store=store, clock=SystemClock(), settings=settings)
        replies = await router.handle(incoming("", Attachment(filename=path.name, data=data)))
        # The buttons are the chat's; on a terminal the question below stands for them.
        show("\n\n".join(reply.text for reply in replies))
        confirm = _button_data(replies, _CONFIRM_PREFIX)
        if confirm is None:
            return 1
        reference = confirm.removeprefix(_CONFIRM_PREFIX)
        pending_id = int(reference.split()[0])
        if not assume_yes and not _asked_yes(ask, t.gettext("Import? [y/N] ")):
            replies = await router.handle(incoming(_CANCEL_PREFIX + reference))
            show("\n\n".join(reply.text for reply in replies))
            return 1
        replies = await router.handle(incoming(confirm))
        show("\n\n".join(reply.text for reply in replies))
        # The confirmation deletes the pending import in the same transaction as the rows.
        async with store.session() as session:
            imported = await session.get(PendingImport, pending_id) is None
        logger.info("import from command line member=%s pending_id=%s imported=%s", name, pending_id, imported)
        return 0 if imported else 1
    finally:
        await store.dispose()


@dataclass(frozen=True)
class _Sender:
    """The identity a member's import is sent from: their console identity, else their first."""

    platform: str
    external_id: str
    chat_id: str
    display_name: str


async def _member_identity(store: Store, *, settings: Settings, name: str) -> _Sender | None:
    async with store.session() as session, session.begin():
        try:
            member = await find_member_by_name(session, team_name=settings.team_name, name=name)
        except MemberLookupError:
            logger.info("import member not found or ambiguous")
            return None
        identities = list(
            (await session.execute(select(Identity).where(Identity.member_id == member.id).order_by(Identity.id))).scalars()
        )
        if not identities:
            logger.info("import member has no identity member_id=%s", member.id)
            return None
        identity = next((item for item in identities if item.platform == CONSOLE_PLATFORM), identities[0])
        return _Sender(
            platform=identity.platform,
            external_id=identity.external_id,
            chat_id=identity.chat_id,
            display_name=member.display_name,
        )


def _asked_yes(ask: Callable[[str], str], question: str) -> bool:
    try:
        answer = ask(question)
    except EOFError:
        return False
    return answer.strip().casefold() in YES_ANSWERS


def main_import(settings: Settings, *, file: str, name: str, assume_yes: bool, locale: str | None) -> int:
    """Run `run_import` for the command line."""
    return asyncio.run(run_import(settings, path=Path(file), name=name, assume_yes=assume_yes, locale=locale))
