"""Console transport: one member types (or pipes) messages, replies and reminders are printed."""

from __future__ import annotations

import asyncio
import logging
import shlex

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import TextIO

from bot.attachments import (
    ATTACHMENT_TOO_BIG,
    FILE_NOT_FOUND,
    FILE_NOT_READABLE,
    MAX_ATTACHMENT_BYTES,
    too_big_params,
)
from bot.clock import ManualClock
from bot.errors import ParseError
from bot.i18n import N_, translator
from bot.transports.base import Attachment, Delivery, Incoming, OutgoingFile, Reply

logger = logging.getLogger(__name__)

PLATFORM = "console"
# Each step replays every digest in between, so a step is kept to a year.
MAX_CLOCK_STEP = timedelta(days=366)


def render_reply(reply: Reply) -> str:
    """Render a reply as text, with buttons as bracketed labels and the command they send."""
    lines = [reply.text]
    for row in reply.buttons:
        lines.append("  " + "  ".join(f"[{button.label} → {button.data}]" for button in row))
    return "\n".join(lines)


def save_file(file: OutgoingFile, directory: Path) -> Path:
    """Write a file the bot sent into `directory` and return its path.

    An existing file is never overwritten: "export.xlsx" becomes "export-1.xlsx", then
    "export-2.xlsx". Only the name's last part is used, so a name cannot reach another
    directory.
    """
    name = Path(file.filename).name
    if name in ("", ".", ".."):
        name = "file"
    stem, suffix = Path(name).stem, Path(name).suffix
    candidate = directory / name
    number = 0
    while True:
        try:
            # Exclusive creation, so that a file appearing meanwhile is not overwritten either.
            with candidate.open("xb") as output:
                output.write(file.data)
        except FileExistsError:
            number += 1
            candidate = directory / f"{stem}-{number}{suffix}"
            continue
        logger.info("file saved path=%s bytes=%d", candidate, len(file.data))
        return candidate


def render_file(file: OutgoingFile, directory: Path) -> str:
    """Save the file and return the line that shows where it went."""
    return f"📎 {save_file(file, directory)}"


class ConsoleNotifier:
    """Prints what the dispatcher sends, marked as a reminder, and saves files into `directory`."""

    def __init__(self, output: TextIO, *, directory: Path | None = None) -> None:
        self.output = output
        self.directory = directory if directory is not None else Path.cwd()

    async def send(self, delivery: Delivery) -> None:
        self.output.write("🔔 " + render_reply(delivery.reply) + "\n\n")
        if delivery.reply.file is not None:
            self.output.write(render_file(delivery.reply.file, self.directory) + "\n\n")
        self.output.flush()


class ConsoleSession:
    """Reads lines as one member and handles the console-only clock directives.

    `:advance DURATION` and `:at ISO-8601` move the clock, print the new time, and release
    the reminders that fell due in between, each at its own time. `:file PATH [CAPTION]`
    sends a file, such as a customer sheet to import, with an optional caption. A file
    that a reply carries is written into `file_directory`, the working directory by default.
    """

    def __init__(
        self,
        *,
        name: str,
        handle: Callable[[Incoming], Awaitable[list[Reply]]],
        clock: ManualClock,
        run_until: Callable[[datetime], Awaitable[int]],
        parse_duration: Callable[[str], object],
        output: TextIO,
        display_zone: tzinfo,
        follow_system_time: bool,
        locale: str | None = None,
        file_directory: Path | None = None,
    ) -> None:
        self.name = name
        self.handle = handle
        self.clock = clock
        self.run_until = run_until
        self.parse_duration = parse_duration
        self.output = output
        self.locale = locale
        self.display_zone = display_zone
        self.follow_system_time = follow_system_time
        self.file_directory = file_directory if file_directory is not None else Path.cwd()

    def _print(self, text: str) -> None:
        self.output.write(text + "\n")
        self.output.flush()

    async def feed(self, line: str) -> None:
        text = line.rstrip("\n")
        if not text.strip() or text.lstrip().startswith("#"):
            return
        stripped = text.strip()
        if stripped.startswith(":"):
            await self._directive(stripped)
            return
        if self.follow_system_time:
            # Without --now the console clock keeps up with the machine's clock.
            system_now = datetime.now(timezone.utc)
            if system_now > self.clock.now():
                await self.run_until(system_now)
        self._print(f"> {text}")
        await self._send(text)

    async def _send(self, text: str, *, attachment: Attachment | None = None) -> None:
        incoming = Incoming(
            platform=PLATFORM,
            user_id=self.name,
            chat_id=self.name,
            text=text,
            display_name=self.name,
            locale=self.locale,
            attachment=attachment,
            progress=self._show_progress,
        )
        for reply in await self.handle(incoming):
            self._print(render_reply(reply) + "\n")
            if reply.file is not None:
                self._print(render_file(reply.file, self.file_directory) + "\n")

    async def _show_progress(self, text: str) -> None:
        self._print(f"⏳ {text}")

    async def _send_file(self, argument: str) -> None:
        """Send a file as an attachment: `:file PATH [CAPTION]`; a path with spaces is quoted."""
        t = translator(self.locale)
        try:
            words = shlex.split(argument)
        except ValueError:
            words = []
        if not words:
            self._print(t.gettext("Write the file after :file, e.g. :file customers.xlsx"))
            return
        path = Path(words[0]).expanduser()
        try:
            size = path.stat().st_size
            if size > MAX_ATTACHMENT_BYTES:
                self._print(t.gettext(ATTACHMENT_TOO_BIG, **too_big_params(name=path.name, size=size)))
                return
            data = path.read_bytes()
        except FileNotFoundError:
            self._print(t.gettext(FILE_NOT_FOUND, path=str(path)))
            return
        except OSError:
            self._print(t.gettext(FILE_NOT_READABLE, path=str(path)))
            return
        self._print(f"> :file {argument}")
        await self._send(" ".join(words[1:]), attachment=Attachment(filename=path.name, data=data))

    async def _directive(self, text: str) -> None:
        t = translator(self.locale)
        verb, _, argument = text.partition(" ")
        if verb == ":file":
            await self._send_file(argument.strip())
            return
        try:
            if verb == ":advance":
                target = self.clock.now() + self.parse_duration(argument)  # type: ignore[operator]
            elif verb == ":at":
                target = datetime.fromisoformat(argument.strip())
                if target.tzinfo is None:
                    raise ParseError(N_("The time needs an offset, e.g. 2027-03-05T09:00+08:00."))
            else:
                self._print(t.gettext("Unknown directive %(verb)s. Use :advance 3d or :at 2027-03-05T09:00+08:00", verb=verb))
                return
        except ParseError as error:
            reason = t.gettext(error.message, **error.params)
            self._print(t.gettext("Invalid directive '%(text)s': %(reason)s", text=text, reason=reason))
            return
        except ValueError:
            reason = t.gettext("write an ISO-8601 time such as 2027-03-05T09:00+08:00")
            self._print(t.gettext("Invalid directive '%(text)s': %(reason)s", text=text, reason=reason))
            return
        if target < self.clock.now():
            self._print(t.gettext("The clock only moves forward."))
            return
        if target - self.clock.now() > MAX_CLOCK_STEP:
            self._print(t.gettext("Move the clock by at most %(days)s days at a time.", days=MAX_CLOCK_STEP.days))
            return
        self._print(f"🕘 {target.astimezone(self.display_zone).isoformat(timespec='minutes')}")
        await self.run_until(target)

    async def run(self, stream: TextIO) -> None:
        """Read lines until EOF; blocking reads run in a thread so reminders are not held up."""
        loop = asyncio.get_running_loop()
        while True:
            line = await loop.run_in_executor(None, stream.readline)
            if not line:
                return
            await self.feed(line)



