"""`followup-bot import FILE --as NAME`: the chat's import preview and confirmation on a terminal.

The file goes through the router as the console member NAME sends it, so the preview is
the one a chat shows. The command asks y/N before it writes, unless --yes is given.
Exit status: 0 when customers were imported, 1 when nothing was.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bot.attachments import ATTACHMENT_TOO_BIG, MAX_ATTACHMENT_BYTES, too_big_params
from bot.clock import SystemClock
from bot.config import Settings
from bot.i18n import translator
from bot.models import PendingImport
from bot.store import Store, migrate
from bot.transports.base import Attachment, Incoming, Reply
from bot.transports.console import PLATFORM, render_reply
from handlers.routes import build_router

logger = logging.getLogger(__name__)

# Answers that confirm the question; anything else, an empty line included, declines.
YES_ANSWERS = frozenset({"y", "yes", "是", "好", "确认"})
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
    t = translator(locale)

    def show(text: str) -> None:
        output.write(text + "\n")
        output.flush()

    try:
        size = path.stat().st_size
        if size > MAX_ATTACHMENT_BYTES:
            show(t.gettext(ATTACHMENT_TOO_BIG, **too_big_params(name=path.name, size=size)))
            return 1
        data = path.read_bytes()
    except OSError as error:
        show(t.gettext("Cannot read %(path)s: %(reason)s", path=str(path), reason=error.strerror or error))
        return 1

    async def progress(text: str) -> None:
        show(f"⏳ {text}")

    def incoming(text: str, attachment: Attachment | None = None) -> Incoming:
        return Incoming(
            platform=PLATFORM,
            user_id=name,
            chat_id=name,
            text=text,
            display_name=name,
            locale=locale,
            attachment=attachment,
            progress=progress,
        )

    store = Store(settings.database_url)
    try:
        await migrate(store)
        router = build_router(store=store, clock=SystemClock(), settings=settings)
        replies = await router.handle(incoming("", Attachment(filename=path.name, data=data)))
        show("\n\n".join(render_reply(reply) for reply in replies))
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


def _asked_yes(ask: Callable[[str], str], question: str) -> bool:
    try:
        answer = ask(question)
    except EOFError:
        return False
    return answer.strip().casefold() in YES_ANSWERS


def main_import(settings: Settings, *, file: str, name: str, assume_yes: bool, locale: str | None) -> int:
    """Run `run_import` for the command line."""
    return asyncio.run(run_import(settings, path=Path(file), name=name, assume_yes=assume_yes, locale=locale))
