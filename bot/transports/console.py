"""Console transport: one member types (or pipes) messages, replies and reminders are printed."""

from __future__ import annotations

import asyncio
import logging

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone, tzinfo
from typing import TextIO

from bot.clock import ManualClock
from bot.errors import ParseError
from bot.i18n import N_, translator
from bot.transports.base import Delivery, Incoming, Reply

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


class ConsoleNotifier:
    """Prints what the dispatcher sends, marked as a reminder."""

    def __init__(self, output: TextIO) -> None:
        self.output = output

    async def send(self, delivery: Delivery) -> None:
        self.output.write("🔔 " + render_reply(delivery.reply) + "\n\n")
        self.output.flush()


class ConsoleSession:
    """Reads lines as one member and handles the console-only clock directives.

    `:advance DURATION` and `:at ISO-8601` move the clock, print the new time, and release
    the reminders that fell due in between, each at its own time.
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
        incoming = Incoming(
            platform=PLATFORM,
            user_id=self.name,
            chat_id=self.name,
            text=text,
            display_name=self.name,
            locale=self.locale,
        )
        for reply in await self.handle(incoming):
            self._print(render_reply(reply) + "\n")

    async def _directive(self, text: str) -> None:
        t = translator(self.locale)
        verb, _, argument = text.partition(" ")
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



