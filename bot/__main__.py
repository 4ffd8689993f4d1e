"""Command line: run the bot (Telegram, or the console without a token), console, migrate."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import socket
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from bot.calendar_cli import run_ics
from bot.clock import ManualClock, SystemClock
from bot.config import Settings, load_settings
from bot.i18n import translator
from bot.import_cli import main_import
from bot.store import Store, migrate
from bot.web import start_feed_server
from handlers.commands import COMMANDS
from handlers.parsing import parse_duration
from handlers.routes import build_router
from reminders.dispatcher import Dispatcher

logger = logging.getLogger("bot")


def _worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _bot_commands() -> list[tuple[str, str, str]]:
    zh, en = translator("zh_CN"), translator("en")
    return [(spec.name, zh.gettext(spec.summary), en.gettext(spec.summary)) for spec in COMMANDS]


async def run_console(settings: Settings, *, name: str, now: datetime | None, locale: str | None) -> int:
    from bot.transports.console import ConsoleNotifier, ConsoleSession

    store = Store(settings.database_url)
    await migrate(store)
    clock = ManualClock(now or datetime.now(timezone.utc))
    router = build_router(store=store, clock=clock, settings=settings)
    dispatcher = Dispatcher(
        store=store,
        clock=clock,
        notifiers={"console": ConsoleNotifier(sys.stdout)},
        worker_id=_worker_id(),
        digest_grace=timedelta(hours=settings.digest_grace_hours),
    )
    display_zone = now.tzinfo if now and now.tzinfo else ZoneInfo(settings.default_zone)
    session = ConsoleSession(
        name=name,
        handle=router.handle,
        clock=clock,
        run_until=lambda target: dispatcher.run_until(target, clock=clock),
        parse_duration=parse_duration,
        output=sys.stdout,
        display_zone=display_zone,  # type: ignore[arg-type]
        follow_system_time=now is None,
        locale=locale,
    )
    if sys.stdin.isatty():
        print(translator(locale).gettext("FollowUp Bot console. Type /help; Ctrl-D quits."))
    try:
        await session.run(sys.stdin)
    finally:
        await store.dispose()
    return 0


async def run_telegram(settings: Settings) -> int:
    from bot.transports.telegram import TelegramTransport

    assert settings.telegram_token is not None
    store = Store(settings.database_url)
    await migrate(store)
    clock = SystemClock()
    router = build_router(store=store, clock=clock, settings=settings)
    transport = TelegramTransport(
        token=settings.telegram_token,
        base_url=settings.telegram_base_url,
        handler=router.handle,
        commands=_bot_commands(),
    )
    dispatcher = Dispatcher(
        store=store,
        clock=clock,
        notifiers={"telegram": transport.notifier},
        worker_id=_worker_id(),
        digest_grace=timedelta(hours=settings.digest_grace_hours),
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await transport.start()
    feed_server = await start_feed_server(settings, store=store, clock=clock)
    dispatch_task = asyncio.create_task(dispatcher.run_forever())
    logger.info("bot running platform=telegram worker=%s", dispatcher.worker_id)
    try:
        await stop.wait()
    finally:
        await transport.stop()
        if feed_server is not None:
            await feed_server.stop()
        # Wait for the cancelled loop to close its session: an aiosqlite connection left open
        # keeps a non-daemon thread alive, and the process would not exit.
        dispatch_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await dispatch_task
        await store.dispose()
        logger.info("bot stopped worker=%s", dispatcher.worker_id)
    return 0


async def run_migrate(settings: Settings) -> int:
    store = Store(settings.database_url)
    try:
        await migrate(store)
    finally:
        await store.dispose()
    return 0


def _parse_now(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise argparse.ArgumentTypeError("give an offset, e.g. 2027-03-05T09:00+08:00")
    return parsed


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="followup-bot",
        description="FollowUp Bot (跟进助手). Without a command: Telegram when TELEGRAM_BOT_TOKEN is set, else the console.",
    )
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="run on Telegram (TELEGRAM_BOT_TOKEN), or the console without a token")
    console = commands.add_parser("console", help="chat with the bot in this terminal, or from piped stdin")
    console.add_argument("--as", dest="name", default=None, help="the member to act as (default: your user name)")
    console.add_argument("--now", type=_parse_now, default=None, help="start the clock at this ISO-8601 time")
    console.add_argument("--lang", default=None, help="the chat client's language: zh or en")
    commands.add_parser("migrate", help="create or upgrade the database schema")
    sheet = commands.add_parser("import", help="import customers from an .xlsx or .csv sheet, after a preview")
    sheet.add_argument("file", help="the .xlsx or .csv file")
    sheet.add_argument(
        "--as",
        dest="name",
        required=True,
        help="the member who owns the imported customers: console name, display name or #ID",
    )
    sheet.add_argument("--yes", action="store_true", help="import without asking; exit status 1 when nothing was imported")
    sheet.add_argument("--lang", default=None, help="the language of the preview: zh or en")
    ics = commands.add_parser("ics", help="write a member's calendar feed (iCalendar) to a file")
    ics.add_argument("--as", dest="name", required=True, help="the member: console name, display name or #ID")
    ics.add_argument("-o", "--output", default=None, help="the file to write (default: NAME.ics; - for stdout)")
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except ValueError as error:
        print(f"followup-bot: {error}", file=sys.stderr)
        return 2
    command = arguments.command or "run"
    is_console = command == "console" or (command == "run" and not settings.telegram_token)
    # The console, import and ics print to the same terminal, so they log only warnings
    # unless LOG_LEVEL is set.
    prints_to_terminal = is_console or command in ("import", "ics")
    level = settings.log_level if not prints_to_terminal or "LOG_LEVEL" in os.environ else "WARNING"
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if command == "migrate":
        return asyncio.run(run_migrate(settings))
    if command == "import":
        return main_import(
            settings, file=arguments.file, name=arguments.name, assume_yes=arguments.yes, locale=arguments.lang
        )
    if command == "ics":
        return asyncio.run(run_ics(settings, name=arguments.name, output=arguments.output))
    if is_console:
        name = getattr(arguments, "name", None) or os.environ.get("USER") or "me"
        return asyncio.run(
            run_console(
                settings,
                name=name,
                now=getattr(arguments, "now", None),
                locale=getattr(arguments, "lang", None),
            )
        )
    return asyncio.run(run_telegram(settings))


if __name__ == "__main__":
    sys.exit(main())
