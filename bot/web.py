"""The built-in HTTP server: serves each member's calendar feed at GET /calendar/<token>.ics.

Each request builds the feed fresh from the database in one unit of work. An unknown, revoked
or malformed token and a member who has left all get the same 404, so a response reveals
nothing about which tokens exist. Tokens are secrets: aiohttp's access log, which would
write the request path, is turned off, and this module logs feed and member ids only.
"""

from __future__ import annotations

import logging
import time

from aiohttp import web

from bot.clock import Clock
from bot.config import Settings
from bot.services.calendar_feeds import find_active_by_token, read_feed
from bot.store import Store
from reminders.ics import DEFAULT_FEED_DAYS

logger = logging.getLogger(__name__)

FEED_PATH = "/calendar/{token}.ics"
CONTENT_TYPE = "text/calendar"
# Calendar apps poll often; five minutes of caching bounds the load and still shows a
# logged interaction within the hour. "private" keeps shared caches from storing the feed.
CACHE_CONTROL = "private, max-age=300"
NOT_FOUND_BODY = "Not found\n"

_STORE = web.AppKey("store", Store)
_CLOCK = web.AppKey("clock", Clock)  # type: ignore[type-abstract]
_DAYS = web.AppKey("days", int)


def feed_url(base_url: str, token: str) -> str:
    """Return the URL of a feed under the server's public base URL."""
    return f"{base_url.rstrip('/')}/calendar/{token}.ics"


def build_app(*, store: Store, clock: Clock, days: int = DEFAULT_FEED_DAYS) -> web.Application:
    """Build the aiohttp application; GET and HEAD share the handler."""
    app = web.Application()
    app[_STORE] = store
    app[_CLOCK] = clock
    app[_DAYS] = days
    app.router.add_get(FEED_PATH, handle_feed)
    return app


async def handle_feed(request: web.Request) -> web.Response:
    """Serve one calendar feed, or 404."""
    started = time.monotonic()
    store, now = request.app[_STORE], request.app[_CLOCK].now()
    token = request.match_info["token"]
    async with store.session() as session, session.begin():
        feed = await find_active_by_token(session, token)
        calendar = await read_feed(session, feed=feed, now=now, days=request.app[_DAYS]) if feed else None
    if feed is None or calendar is None:
        logger.info("calendar feed not found method=%s", request.method)
        return _not_found()
    body = calendar.to_ical()
    logger.info(
        "calendar feed served feed_id=%s member_id=%s bytes=%d in %d ms",
        feed.id, feed.member_id, len(body), (time.monotonic() - started) * 1000,
    )
    return web.Response(
        body=body,
        content_type=CONTENT_TYPE,
        charset="utf-8",
        headers={"Cache-Control": CACHE_CONTROL},
    )


def _not_found() -> web.Response:
    # The same body and headers for every kind of miss; "no-store" keeps a revoked feed
    # from being served out of a cache.
    return web.Response(status=404, text=NOT_FOUND_BODY, headers={"Cache-Control": "no-store"})


class FeedServer:
    """Runs the application on one host and port. With port 0 the OS picks a free port."""

    def __init__(self, *, store: Store, clock: Clock, host: str, port: int) -> None:
        self.host = host
        self.requested_port = port
        self.port: int | None = None
        self._runner = web.AppRunner(build_app(store=store, clock=clock), access_log=None)

    async def start(self) -> None:
        """Bind and serve; raises OSError when the address is taken or not allowed."""
        await self._runner.setup()
        site = web.TCPSite(self._runner, host=self.host, port=self.requested_port)
        try:
            await site.start()
        except OSError:
            await self._runner.cleanup()
            raise
        self.port = self._bound_port()
        logger.info("calendar feed server started host=%s port=%s", self.host, self.port)

    async def stop(self) -> None:
        await self._runner.cleanup()
        if self.port is not None:
            logger.info("calendar feed server stopped host=%s port=%s", self.host, self.port)
            self.port = None

    def _bound_port(self) -> int:
        address = self._runner.addresses[0]
        return int(address[1])


async def start_feed_server(settings: Settings, *, store: Store, clock: Clock) -> FeedServer | None:
    """Start the server that the settings ask for, or return None when they turn it off or it cannot bind.

    A port that cannot be bound (taken by another process, or another bot process of the
    team) is logged as an error and the bot runs on without feeds, because chat and
    reminders matter more than the calendar.
    """
    if settings.http_port is None:
        logger.info("calendar feed server off, FOLLOWUP_HTTP_PORT is 0 or empty")
        return None
    server = FeedServer(store=store, clock=clock, host=settings.http_host, port=settings.http_port)
    try:
        await server.start()
    except OSError as error:
        logger.error(
            "calendar feed server failed to start host=%s port=%s error=%s; "
            "set FOLLOWUP_HTTP_PORT to a free port, or 0 to turn the server off",
            settings.http_host, settings.http_port, error,
        )
        return None
    return server
