"""Command line: run the bot (Telegram and/or Slack, or the console without a token), console, migrate."""

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
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.backup_cli import main_backup
from bot.calendar_cli import run_ics
from bot.clock import ManualClock, SystemClock
from bot.config import Settings, load_settings
from bot.i18n import translator
from bot.import_cli import main_import
from bot.store import Store, migrate
from bot.transports.base import Notifier
from bot.web import start_feed_server
from handlers.commands import COMMANDS, PICK_COMMAND
from handlers.parsing import parse_duration
from handlers.router import Router
from handlers.routes import build_router
from reminders.dispatcher import Dispatcher

logger = logging.getLogger("bot")


class Transport(Protocol):
    """The interface of a chat transport that run_chat starts and stops."""

    @property
    def notifier(self) -> Notifier: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


def _worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


# Libraries that log SQL statements with their parameters at DEBUG, which would put
# customers' contact details in the log. They log at INFO at most, whatever LOG_LEVEL says.
DATA_LOGGERS = ("aiosqlite", "sqlalchemy.engine", "asyncpg")


def quiet_data_loggers() -> None:
    for name in DATA_LOGGERS:
        logger_of_library = logging.getLogger(name)
        logger_of_library.setLevel(max(logger_of_library.getEffectiveLevel(), logging.INFO))


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


def build_transports(settings: Settings, *, store: Store, router: Router) -> dict[str, Transport]:
    """Build the chat transports that the settings turn on, keyed by platform name.

    Telegram runs with TELEGRAM_BOT_TOKEN. Slack runs with SLACK_BOT_TOKEN, in Socket
    Mode when SLACK_APP_TOKEN is set, else as an HTTP endpoint checked with
    SLACK_SIGNING_SECRET. Both may run in one process.
    """
    transports: dict[str, Transport] = {}
    if settings.telegram_token:
        from bot.transports.telegram import TelegramTransport

        transports["telegram"] = TelegramTransport(
            token=settings.telegram_token,
            base_url=settings.telegram_base_url,
            handler=router.handle,
            commands=_bot_commands(),
        )
    if settings.slack_bot_token:
        from bot.transports.slack import SlackTransport

        transports["slack"] = SlackTransport(
            bot_token=settings.slack_bot_token,
            app_token=settings.slack_app_token,
            signing_secret=settings.slack_signing_secret,
            base_url=settings.slack_base_url,
            handler=router.handle,
            command_names=set(router.handlers) | {PICK_COMMAND},
            store=store,
            http_host=settings.slack_http_host,
            http_port=settings.slack_http_port,
        )
    return transports


async def run_chat(settings: Settings) -> int:
    """Run every configured chat transport, the dispatcher and the feed server until a signal."""
    store = Store(settings.database_url)
    await migrate(store)
    clock = SystemClock()
    router = build_router(store=store, clock=clock, settings=settings)
    transports = build_transports(settings, store=store, router=router)
    dispatcher = Dispatcher(
        store=store,
        clock=clock,
        notifiers={platform: transport.notifier for platform, transport in transports.items()},
        worker_id=_worker_id(),
        digest_grace=timedelta(hours=settings.digest_grace_hours),
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    started: list[Transport] = []
    feed_server = None
    dispatch_task = None
    try:
        for transport in transports.values():
            await transport.start()
            started.append(transport)
        feed_server = await start_feed_server(settings, store=store, clock=clock)
        dispatch_task = asyncio.create_task(dispatcher.run_forever())
        logger.info("bot running platforms=%s worker=%s", ",".join(transports), dispatcher.worker_id)
        await stop.wait()
    finally:
        for transport in reversed(started):
            await transport.stop()
        if feed_server is not None:
            await feed_server.stop()
        # Wait for the cancelled loop to close its session: an aiosqlite connection left open
        # keeps a non-daemon thread alive, and the process would not exit.
        if dispatch_task is not None:
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
        description="FollowUp Bot (跟进助手). Without a command: Telegram (TELEGRAM_BOT_TOKEN) and/or Slack (SLACK_BOT_TOKEN) when set, else the console.",
    )
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="run on Telegram (TELEGRAM_BOT_TOKEN) and/or Slack (SLACK_BOT_TOKEN), or the console without a token")
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
    backup = commands.add_parser("backup", help="copy the SQLite database consistently while the bot runs")
    backup.add_argument("path", help="the backup file to write")
    restore = commands.add_parser("restore", help="restore a backup onto the SQLite database; stop the bot first")
    restore.add_argument("path", help="the backup file to read")
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except ValueError as error:
        print(f"followup-bot: {error}", file=sys.stderr)
        return 2
    command = arguments.command or "run"
    is_console = command == "console" or (command == "run" and not settings.telegram_token and not settings.slack_bot_token)
    # The console, import and ics print to the same terminal, so they log only warnings
    # unless LOG_LEVEL is set.
    prints_to_terminal = is_console or command in ("import", "ics", "backup", "restore")
    level = settings.log_level if not prints_to_terminal or "LOG_LEVEL" in os.environ else "WARNING"
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    quiet_data_loggers()
    if command == "migrate":
        return asyncio.run(run_migrate(settings))
    if command == "import":
        return main_import(
            settings, file=arguments.file, name=arguments.name, assume_yes=arguments.yes, locale=arguments.lang
        )
    if command in ("backup", "restore"):
        return main_backup(settings, command=command, path=arguments.path)
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
    return asyncio.run(run_chat(settings))


if __name__ == "__main__":
    sys.exit(main())
