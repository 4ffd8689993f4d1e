"""Slack transport: slack-bolt's AsyncApp in, Block Kit messages out, in Socket Mode or over HTTP.

The bot takes one slash command, `/followup <command text>`, direct messages with the same
text commands and Chinese keywords, and presses of its Block Kit buttons. Each becomes a
neutral `Incoming` for the router, as on Telegram. A file shared in a direct message is
downloaded with the bot token and handed over as the Incoming's attachment.

Slack wants every request acknowledged within 3 seconds. Each listener therefore acks at
once, and Bolt runs the real work as a lazy listener in its own task
(`process_before_response=True`, so the ack is the HTTP response). Replies go out with
chat.postMessage to the member's direct message with the bot (in the thread, when the
member wrote in one), or, for a slash command typed in a channel, through the command's
response_url as an ephemeral message that only the sender sees. In HTTP mode Bolt checks
each request's signature and rejects a bad one, or one whose timestamp is more than 5
minutes off, with 401 before any listener runs. A signed interaction whose payload is not
JSON gets 400.

An event is handled once. Its event_id is recorded when it first arrives, in a bounded
in-memory LRU and, when a store is given, in the slack_events table, so that another bot
process behind the same load balancer knows it too; a redelivery of a recorded id is
dropped. A retry (X-Slack-Retry-Num header) of an id never recorded is handled, because
then the first delivery never reached the bot (it was down, or the request was lost).
Slack does not retry slash commands and interactions, which carry no event_id, so such a
request with a retry header is dropped. The bot ignores its own messages and other bots'
messages (a bot_id, or the bot_message subtype).

A reply's file (an export workbook, a chart) is uploaded with files_upload_v2 after the
reply's text. An ephemeral reply in a channel cannot carry a file, and a file shared in the
channel would be public, so the file goes to the member's direct message with the bot and
the ephemeral reply says so. A handler's progress (an import of many rows) shows in one
message in the direct message, posted at the first report and edited with chat.update.

Every chat.postMessage, chat.update and file upload, replies and digests alike, waits for
a `RateLimiter` with one message a second per channel, Slack's documented pace for
chat.postMessage. A 429 answer pauses that channel for its Retry-After seconds and the
message or upload is retried. A reply to a member goes ahead of digests and is never given
up for a pause: while the direct message is paused for more than a few seconds, a reply to
a slash command or a button goes through its response_url (not paced by chat.postMessage),
and any other reply waits out the pause. A digest gives up after MAX_RATE_LIMIT_WAIT_SECONDS
and the dispatcher retries it later. An error that no retry can fix (channel_not_found,
is_archived, account_inactive…) raises DeliveryRejected, so the dispatcher stops at once.

Limitations:
    A slash command typed in a direct message with another person gets its reply in the
    member's direct message with the bot, because the bot cannot post into other
    people's conversations.
    Progress shows only in the direct message with the bot; a command typed in a channel
    shows none, because an ephemeral message cannot be edited with chat.update.
    The user cache (language and name from users.info) lives for an hour per process, so a
    changed Slack language takes up to an hour to apply. Slack languages other than
    Chinese get English, because the bot has only those two catalogs.
    A reply sent through a response_url while the direct message is rate-limited is
    ephemeral: Slack shows it until the member reloads the app.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass, replace
from functools import partial
from datetime import datetime, timedelta, timezone
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from bot.attachments import ATTACHMENT_TOO_BIG, MAX_ATTACHMENT_BYTES, too_big_params
from bot.i18n import N_, translator
from bot.models import SlackEvent
from bot.store import Store
from bot.transports.base import Attachment, Delivery, DeliveryRejected, DeliveryUnknown, Incoming, OutgoingFile, Reply
from bot.transports.pacing import ChatPaused, RateLimiter, RateLimits
from bot.transports.slack_render import ACTION_PREFIX, SlackMessage, plain_text, render_reply

logger = logging.getLogger(__name__)

PLATFORM = "slack"
SLASH_COMMAND = "/followup"
DEFAULT_HTTP_PATH = "/slack/events"

Handler = Callable[[Incoming], Awaitable[list[Reply]]]

# Slack's rate limits page: chat.postMessage allows about one message a second per
# channel, with short bursts tolerated; there is no fixed workspace-wide number.
SLACK_LIMITS = RateLimits(messages_per_second=None, chat_interval=1.0)
# A digest does not wait for a Retry-After longer than this; the dispatcher retries later.
MAX_RATE_LIMIT_WAIT_SECONDS = 30.0
# A reply that has a response_url waits at most this long for a paused direct message
# before it goes through the response_url instead.
REPLY_FALLBACK_PAUSE_SECONDS = 3.0
RATE_LIMIT_RETRIES = 2

# Web API errors that mean the message can never be delivered to this channel or user
# (Slack's chat.postMessage and conversations.open error lists).
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "channel_is_archived",
        "account_inactive",
        "user_not_found",
        "user_disabled",
        "cannot_dm_bot",
    }
)

# Slack retries an unacknowledged event after about 1 and 5 minutes; an hour covers that.
EVENT_ID_LIFETIME = timedelta(hours=1)
EVENT_ID_CACHE_SIZE = 10_000
# Old event ids are deleted from the table once per this many accepted events.
EVENT_PRUNE_EVERY = 500

USER_CACHE_SIZE = 5_000
USER_CACHE_SECONDS = 3600.0

# The minimum seconds between two edits of a progress message, the channel's one message a
# second; reports in between are dropped.
PROGRESS_INTERVAL_SECONDS = 1.0

_APOLOGY = N_("Something went wrong. Please try again.")
_DOWNLOAD_FAILED = N_("The file %(name)s could not be downloaded from Slack. Send it again.")
_FILE_NOT_SENT = N_(
    "The file %(name)s could not be uploaded to Slack, or the upload timed out. "
    "If it is not in your direct message with the bot, ask for it again."
)
_FILE_IN_DIRECT_MESSAGE = N_(
    "The file %(name)s is in your direct message with the bot, so that only you can see it."
)

# Errors of a failed or unanswered upload, which an interactive reply reports to the member.
_UPLOAD_ERRORS = (SlackApiError, SlackRequestError, aiohttp.ClientError, asyncio.TimeoutError, DeliveryUnknown, ChatPaused)

# Slack user ids ("U…", or "W…" in Enterprise Grid) name a person; chat.postMessage needs
# the direct message channel ("D…"), which conversations.open returns.
_USER_ID = re.compile(r"^[UW][A-Z0-9]+$")
_WORD = re.compile(r"^\S+")


@dataclass(frozen=True)
class _Request:
    """A Slack request turned into an Incoming, with where its replies go."""

    incoming: Incoming
    # The command's or button's response_url; None for a message event.
    response_url: str | None = None
    # The thread the member wrote in, so that the reply goes there too.
    thread_ts: str | None = None


def choose_mode(*, bot_token: str | None, app_token: str | None, signing_secret: str | None) -> str | None:
    """Return "socket", "http" or None (Slack off) for the given credentials.

    Socket Mode wins when both an app token and a signing secret are set, because it
    needs no public URL.

    Raises:
        ValueError: if the bot token is set without an app token or a signing secret.
    """
    if not bot_token:
        return None
    if app_token:
        return "socket"
    if signing_secret:
        return "http"
    raise ValueError(
        "SLACK_BOT_TOKEN is set, but neither SLACK_APP_TOKEN (Socket Mode) nor "
        "SLACK_SIGNING_SECRET (HTTP Events API) is; set one of them"
    )


def slash_text(text: str, command_names: Collection[str]) -> str:
    """Turn the text after /followup into the message the router reads.

    "add 名称: …" becomes "/add 名称: …" when "add" is a command name. Text that starts
    with "/", a Chinese keyword or an answer to a question ("2") stays as typed. Empty
    text becomes "/help".
    """
    stripped = text.strip()
    if not stripped:
        return "/help"
    match = _WORD.match(stripped)
    assert match is not None
    if match.group(0).lower() in command_names:
        return "/" + stripped
    return stripped


def slack_locale(value: str | None) -> str | None:
    """Map a Slack user's locale ("zh-CN", "en-US", "ja-JP") to the bot's: Chinese or else English."""
    if not value:
        return None
    return "zh_CN" if value.strip().lower().startswith("zh") else "en"


def is_direct_message(channel_id: str | None) -> bool:
    """Tell whether a channel id is a direct message, whose ids start with "D"."""
    return bool(channel_id) and str(channel_id).startswith("D")


class EventDeduplicator:
    """Remembers accepted Slack event ids, in memory and optionally in the database."""

    def __init__(self, store: Store | None, *, capacity: int = EVENT_ID_CACHE_SIZE) -> None:
        self._store = store
        self._capacity = capacity
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._accepted = 0

    async def first_delivery(self, event_id: str) -> bool:
        """Record `event_id`; return False when it was recorded before (a redelivery)."""
        if event_id in self._seen:
            self._seen.move_to_end(event_id)
            return False
        self._seen[event_id] = None
        if len(self._seen) > self._capacity:
            self._seen.popitem(last=False)
        if self._store is None:
            return True
        now = datetime.now(timezone.utc)
        try:
            async with self._store.session() as session, session.begin():
                session.add(SlackEvent(event_id=event_id[:64], received_at=now))
        except IntegrityError:
            # Another process accepted the event first.
            return False
        self._accepted += 1
        if self._accepted % EVENT_PRUNE_EVERY == 0:
            async with self._store.session() as session, session.begin():
                await session.execute(delete(SlackEvent).where(SlackEvent.received_at < now - EVENT_ID_LIFETIME))
        return True


class SlackTransport:
    """Runs the bot in Slack through slack-bolt, in Socket Mode or as an HTTP endpoint.

    Args:
        bot_token: the bot's xoxb- token.
        handler: the router, awaited with each Incoming.
        command_names: the router's command names, to turn "/followup add …" into "/add …".
        signing_secret: the app's signing secret; serves the HTTP Events API.
        app_token: the app-level xapp- token; runs in Socket Mode instead.
        base_url: the Web API base URL, e.g. a fake server in tests; None is slack.com.
        store: keeps accepted event ids in the database, shared by all bot processes.
        limiter: paces chat.postMessage; a RateLimiter with SLACK_LIMITS by default.
        http_host, http_port, http_path: where the HTTP mode listens; port 0 picks a free port.
        slash_command: the slash command's name in the app manifest.
        progress_interval: the minimum seconds between two edits of a progress message.
    """

    def __init__(
        self,
        *,
        bot_token: str,
        handler: Handler,
        command_names: Collection[str],
        signing_secret: str | None = None,
        app_token: str | None = None,
        base_url: str | None = None,
        store: Store | None = None,
        limiter: RateLimiter | None = None,
        http_host: str = "127.0.0.1",
        http_port: int = 3000,
        http_path: str = DEFAULT_HTTP_PATH,
        slash_command: str = SLASH_COMMAND,
        progress_interval: float = PROGRESS_INTERVAL_SECONDS,
    ) -> None:
        mode = choose_mode(bot_token=bot_token, app_token=app_token, signing_secret=signing_secret)
        assert mode is not None
        self.mode = mode
        self._bot_token = bot_token
        self._handler = handler
        self._command_names = frozenset(name.lower() for name in command_names)
        self._limiter = limiter if limiter is not None else RateLimiter(SLACK_LIMITS)
        self._deduplicator = EventDeduplicator(store)
        self._signature_verifier = SignatureVerifier(signing_secret) if signing_secret else None
        self._http_host = http_host
        self._http_port = http_port
        self._http_path = http_path
        self._progress_interval = progress_interval
        self._runner: web.AppRunner | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self.port: int | None = None
        self.bot_user_id: str | None = None
        # user id → (fetched at, locale, display name)
        self._users: OrderedDict[str, tuple[float, str | None, str]] = OrderedDict()
        # user id → the direct message channel with the bot
        self._direct_channels: OrderedDict[str, str] = OrderedDict()

        api_url = base_url.rstrip("/") + "/" if base_url else "https://slack.com/api/"
        self.client = AsyncWebClient(token=bot_token, base_url=api_url)
        self.app = AsyncApp(
            client=self.client,
            signing_secret=signing_secret or "",
            # Socket Mode requests carry no signature; Bolt checks HTTP requests only when enabled.
            request_verification_enabled=mode == "http",
            # The ack is the HTTP response; the work runs in lazy listeners after it.
            process_before_response=True,
            logger=logging.getLogger("slack_bolt"),
        )
        self.app.middleware(self._drop_redeliveries)
        self.app.command(slash_command)(ack=self._ack, lazy=[self._on_command])
        self.app.event("message")(ack=self._ack, lazy=[self._on_message])
        self.app.action(re.compile("^" + re.escape(ACTION_PREFIX)))(ack=self._ack, lazy=[self._on_action])
        self._notifier = SlackNotifier(self)
        self.socket_handler: AsyncSocketModeHandler | None = None
        if mode == "socket":
            # Built here, connected in start(); it needs a running event loop.
            self.socket_handler = AsyncSocketModeHandler(self.app, app_token)

    @property
    def notifier(self) -> SlackNotifier:
        """The Notifier that sends digests and reminders through this app."""
        return self._notifier

    @property
    def limiter(self) -> RateLimiter:
        return self._limiter

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Check the bot token (auth.test), then connect in Socket Mode or start the HTTP server."""
        identity = await self.client.auth_test()
        self.bot_user_id = identity.get("user_id")
        if self.socket_handler is not None:
            await self.socket_handler.connect_async()
            logger.info("slack transport started mode=socket team_id=%s bot_user_id=%s", identity.get("team_id"), self.bot_user_id)
            return
        self._runner = web.AppRunner(self.web_app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host=self._http_host, port=self._http_port)
        try:
            await site.start()
        except OSError:
            await self._runner.cleanup()
            self._runner = None
            raise
        self.port = int(self._runner.addresses[0][1])
        logger.info(
            "slack transport started mode=http host=%s port=%s path=%s team_id=%s",
            self._http_host, self.port, self._http_path, identity.get("team_id"),
        )

    async def stop(self) -> None:
        """Stop taking requests, let running handlers finish, and close the connections."""
        if self.socket_handler is not None:
            await self.socket_handler.close_async()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        await self.drain()
        logger.info("slack transport stopped")

    async def drain(self, timeout: float = 30.0) -> None:
        """Wait for the lazy listeners that are still running."""
        deadline = time.monotonic() + timeout
        while self._tasks and time.monotonic() < deadline:
            await asyncio.wait(set(self._tasks), timeout=max(0.0, deadline - time.monotonic()))

    def web_app(self) -> web.Application:
        """Return an aiohttp application that serves Slack's requests at the HTTP path."""
        app = web.Application()
        app.router.add_post(self._http_path, self._serve_http)
        return app

    async def _serve_http(self, request: web.Request) -> web.Response:
        try:
            bolt_request = await to_bolt_request(request)
        except ValueError as error:
            # Bolt parses the body before it checks the signature; an interaction whose
            # payload is not JSON fails there.
            return await self._reject_malformed(request, error)
        bolt_response = await self.app.async_dispatch(bolt_request)
        if bolt_response.status == 401:
            logger.warning("slack request rejected status=401 remote=%s", request.remote)
        return await to_aiohttp_response(bolt_response)

    async def _reject_malformed(self, request: web.Request, error: ValueError) -> web.Response:
        """Answer a body that cannot be parsed: 401 when unsigned or badly signed, else 400."""
        body = await request.text()
        signed = self._signature_verifier is not None and self._signature_verifier.is_valid_request(body, dict(request.headers))
        status = 400 if signed else 401
        logger.warning("slack request rejected status=%d remote=%s: malformed body: %s", status, request.remote, error)
        return web.Response(status=status, text="invalid_payload" if signed else "")

    # ------------------------------------------------------------------ Bolt listeners

    async def _drop_redeliveries(self, req: AsyncBoltRequest, resp: BoltResponse, next: Callable[[], Awaitable[BoltResponse]]) -> BoltResponse:
        retry = (req.headers.get("x-slack-retry-num") or [None])[0]
        retry_reason = (req.headers.get("x-slack-retry-reason") or ["?"])[0]
        event_id = req.body.get("event_id") if isinstance(req.body, dict) else None
        if event_id:
            if not await self._deduplicator.first_delivery(str(event_id)):
                logger.info("slack redelivery dropped event_id=%s retry_num=%s", event_id, retry)
                return BoltResponse(status=200, body="")
            if retry:
                logger.info(
                    "slack retry of an event never received handled event_id=%s retry_num=%s reason=%s",
                    event_id, retry, retry_reason,
                )
        elif retry:
            logger.info("slack redelivery without event_id dropped retry_num=%s reason=%s", retry, retry_reason)
            return BoltResponse(status=200, body="")
        return await next()

    @staticmethod
    async def _ack(ack: Callable[..., Awaitable[None]]) -> None:
        await ack()

    async def _on_command(self, body: dict[str, Any]) -> None:
        await self._run(self._command_incoming(body), body)

    async def _on_message(self, body: dict[str, Any]) -> None:
        await self._run(self._message_incoming(body), body)

    async def _on_action(self, body: dict[str, Any]) -> None:
        await self._run(self._action_incoming(body), body)

    async def _run(self, build: Awaitable[_Request | None], body: dict[str, Any]) -> None:
        # Bolt starts lazy listeners as tasks; tracking this one lets stop() wait for it.
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        try:
            request = await build
            if request is not None:
                await self._handle(request)
        except Exception:
            logger.exception("slack request processing failed type=%s", body.get("type"))
        finally:
            if task is not None:
                self._tasks.discard(task)

    # ------------------------------------------------------------------ building Incoming

    async def _command_incoming(self, body: dict[str, Any]) -> _Request:
        user_id = str(body["user_id"])
        channel_id = str(body.get("channel_id") or "")
        private = is_direct_message(channel_id) or body.get("channel_name") == "directmessage"
        locale, name = await self._user_profile(user_id, fallback_name=str(body.get("user_name") or ""))
        chat_id = await self.direct_channel(user_id) if private else channel_id
        incoming = Incoming(
            platform=PLATFORM,
            user_id=user_id,
            chat_id=chat_id,
            text=slash_text(plain_text(str(body.get("text") or "")), self._command_names),
            display_name=name,
            locale=locale,
            is_private=private,
            workspace_id=body.get("team_id"),
            can_post_here=None if private else partial(self.bot_can_post, channel_id),
        )
        return _Request(incoming, response_url=body.get("response_url"))

    async def _message_incoming(self, body: dict[str, Any]) -> _Request | None:
        event = body.get("event") or {}
        subtype = event.get("subtype")
        if event.get("bot_id") or subtype == "bot_message" or event.get("user") in (None, self.bot_user_id):
            logger.debug("slack bot message ignored event_id=%s", body.get("event_id"))
            return None
        if subtype not in (None, "file_share") or event.get("channel_type") != "im":
            # Edits, deletions, joins and channel chatter are not commands.
            return None
        user_id = str(event["user"])
        channel_id = str(event["channel"])
        self._remember_direct_channel(user_id, channel_id)
        locale, name = await self._user_profile(user_id, fallback_name="")
        incoming = Incoming(
            platform=PLATFORM,
            user_id=user_id,
            chat_id=channel_id,
            text=plain_text(str(event.get("text") or "")),
            display_name=name,
            locale=locale,
            is_private=True,
            workspace_id=body.get("team_id") or event.get("team"),
        )
        thread_ts = event.get("thread_ts")
        files = event.get("files") or []
        if subtype == "file_share" and files:
            attachment = await self._download(body.get("event_id"), incoming, files[0], thread_ts=thread_ts)
            if attachment is None:
                return None
            incoming = replace(incoming, attachment=attachment)
        return _Request(incoming, thread_ts=thread_ts)

    async def _action_incoming(self, body: dict[str, Any]) -> _Request | None:
        actions = body.get("actions") or []
        if not actions or not actions[0].get("value"):
            return None
        user = body.get("user") or {}
        user_id = str(user["id"])
        channel_id = str((body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id") or "")
        private = is_direct_message(channel_id)
        locale, name = await self._user_profile(user_id, fallback_name=str(user.get("name") or ""))
        if private:
            self._remember_direct_channel(user_id, channel_id)
        incoming = Incoming(
            platform=PLATFORM,
            user_id=user_id,
            chat_id=channel_id or await self.direct_channel(user_id),
            display_name=name,
            locale=locale,
            callback_data=str(actions[0]["value"]),
            is_private=private,
            workspace_id=(body.get("team") or {}).get("id"),
        )
        thread_ts = (body.get("container") or {}).get("thread_ts") or (body.get("message") or {}).get("thread_ts")
        return _Request(incoming, response_url=body.get("response_url"), thread_ts=thread_ts)

    async def _user_profile(self, user_id: str, *, fallback_name: str) -> tuple[str | None, str]:
        """Return the user's Slack language and name from users.info, cached for an hour."""
        cached = self._users.get(user_id)
        if cached is not None and time.monotonic() - cached[0] < USER_CACHE_SECONDS:
            return cached[1], cached[2]
        try:
            response = await self.client.users_info(user=user_id, include_locale=True)
        except (SlackApiError, aiohttp.ClientError, asyncio.TimeoutError) as error:
            logger.warning("users.info failed user_id=%s: %s", user_id, error)
            return None, fallback_name or user_id
        user = response.get("user") or {}
        profile = user.get("profile") or {}
        name = user.get("real_name") or profile.get("real_name") or profile.get("display_name") or user.get("name") or fallback_name or user_id
        locale = slack_locale(user.get("locale"))
        self._users[user_id] = (time.monotonic(), locale, str(name))
        if len(self._users) > USER_CACHE_SIZE:
            self._users.popitem(last=False)
        return locale, str(name)

    def _remember_direct_channel(self, user_id: str, channel_id: str) -> None:
        self._direct_channels[user_id] = channel_id
        self._direct_channels.move_to_end(user_id)
        if len(self._direct_channels) > USER_CACHE_SIZE:
            self._direct_channels.popitem(last=False)

    async def direct_channel(self, user_id: str) -> str:
        """Return the id of the user's direct message channel with the bot (conversations.open)."""
        channel = self._direct_channels.get(user_id)
        if channel is not None:
            return channel
        response = await self.client.conversations_open(users=user_id)
        channel = str(response["channel"]["id"])
        self._remember_direct_channel(user_id, channel)
        return channel

    async def bot_can_post(self, channel_id: str) -> bool:
        """Tell whether the bot can post in a channel: it is a member, or the channel is public.

        chat:write.public lets the bot post in public channels it has not joined. A
        private channel the bot is not in is channel_not_found to conversations.info.
        """
        try:
            response = await self.client.conversations_info(channel=channel_id)
        except SlackApiError as error:
            logger.info("slack channel not postable channel_id=%s error=%s", channel_id, error.response.get("error"))
            return False
        channel = response.get("channel") or {}
        if channel.get("is_archived"):
            return False
        if channel.get("is_member"):
            return True
        return bool(channel.get("is_channel")) and not channel.get("is_private")

    async def _download(self, event_id: object, incoming: Incoming, file: dict[str, Any], *, thread_ts: str | None) -> Attachment | None:
        """Download a shared file with the bot token, or reply with the reason and return None."""
        t = translator(incoming.locale)
        name = str(file.get("name") or "file")
        declared = int(file.get("size") or 0)
        if declared > MAX_ATTACHMENT_BYTES:
            logger.info("slack file rejected over the size limit event_id=%s bytes=%d", event_id, declared)
            await self._send(incoming.chat_id, Reply(text=t.gettext(ATTACHMENT_TOO_BIG, **too_big_params(name=name, size=declared))), urgent=True, thread_ts=thread_ts)
            return None
        url = file.get("url_private_download") or file.get("url_private")
        data = None
        if url:
            data = await self._fetch_private(str(url), event_id=event_id)
        if data is None:
            await self._send(incoming.chat_id, Reply(text=t.gettext(_DOWNLOAD_FAILED, name=name)), urgent=True, thread_ts=thread_ts)
            return None
        if len(data) > MAX_ATTACHMENT_BYTES:
            await self._send(incoming.chat_id, Reply(text=t.gettext(ATTACHMENT_TOO_BIG, **too_big_params(name=name, size=len(data)))), urgent=True, thread_ts=thread_ts)
            return None
        logger.info("slack file downloaded event_id=%s bytes=%d", event_id, len(data))
        return Attachment(filename=name, data=data)

    async def _fetch_private(self, url: str, *, event_id: object) -> bytes | None:
        """Return the bytes at a url_private, read up to one byte over the size limit."""
        headers = {"Authorization": f"Bearer {self._bot_token}"}
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
                async with session.get(url, headers=headers) as response:
                    if response.status != 200:
                        logger.warning("slack file download failed event_id=%s status=%d", event_id, response.status)
                        return None
                    # Slack answers an unauthorised request with its HTML login page and 200.
                    if response.content_type == "text/html":
                        logger.warning("slack file download got a login page event_id=%s; check the files:read scope", event_id)
                        return None
                    return await response.content.read(MAX_ATTACHMENT_BYTES + 1)
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            logger.warning("slack file download failed event_id=%s: %r", event_id, error)
            return None

    # ------------------------------------------------------------------ handling and sending

    async def _handle(self, request: _Request) -> None:
        started = time.monotonic()
        incoming = request.incoming
        if incoming.is_private:
            progress = SlackProgressMessage(
                client=self.client,
                limiter=self._limiter,
                chat_id=incoming.chat_id,
                min_interval=self._progress_interval,
                thread_ts=request.thread_ts,
            )
            incoming = replace(incoming, progress=progress.report)
        try:
            replies = await self._handler(incoming)
        except Exception:
            # The router turns user errors into replies, so anything here is a bug or an outage.
            logger.exception("handler failed platform=slack user_id=%s chat_id=%s", incoming.user_id, incoming.chat_id)
            replies = [Reply(text=translator(incoming.locale).gettext(_APOLOGY))]
        for reply in replies:
            if incoming.is_private:
                await self._reply_in_chat(request, reply)
            elif request.response_url is not None:
                await self._respond(request.response_url, reply, incoming=incoming)
            else:
                logger.warning("slack reply dropped: no response_url for a channel request user_id=%s", incoming.user_id)
        logger.info(
            "slack request handled user_id=%s replies=%d in %d ms",
            incoming.user_id, len(replies), (time.monotonic() - started) * 1000,
        )

    async def _respond(self, response_url: str, reply: Reply, *, incoming: Incoming) -> None:
        """Reply through a response_url, seen only by the user who sent the command.

        A file goes to the user's direct message with the bot, and the reply says so.
        """
        if reply.file is not None:
            notice = await self._upload_to_direct_message(incoming, reply.file)
            text = f"{reply.text}\n\n{notice}" if reply.text.strip() else notice
            reply = Reply(text=text, buttons=reply.buttons)
        await self._send_to_response_url(response_url, render_reply(reply), incoming=incoming)

    @staticmethod
    async def _send_to_response_url(response_url: str, messages: list[SlackMessage], *, incoming: Incoming) -> None:
        webhook = AsyncWebhookClient(response_url)
        for message in messages:
            response = await webhook.send(text=message.text, blocks=message.blocks, response_type="ephemeral")
            if response.status_code != 200:
                logger.warning("response_url send failed user_id=%s status=%d", incoming.user_id, response.status_code)

    async def _upload_to_direct_message(self, incoming: Incoming, file: OutgoingFile) -> str:
        """Upload a file to the user's direct message with the bot and return the notice for the user."""
        t = translator(incoming.locale)
        try:
            channel = await self.direct_channel(incoming.user_id)
            # The reply waits for the upload, so a long pause fails it and the reply says so.
            await self._upload_paced(channel, file, urgent=True, max_pause=MAX_RATE_LIMIT_WAIT_SECONDS)
        except _UPLOAD_ERRORS as error:
            logger.warning("slack file upload failed user_id=%s filename=%s: %r", incoming.user_id, file.filename, error)
            return t.gettext(_FILE_NOT_SENT, name=file.filename)
        return t.gettext(_FILE_IN_DIRECT_MESSAGE, name=file.filename)

    async def _reply_in_chat(self, request: _Request, reply: Reply) -> None:
        """Post a reply in the user's direct message; a failed upload is reported there."""
        incoming = request.incoming
        await self._post_reply_messages(request, _text_messages(reply))
        if reply.file is None:
            return
        # With a response_url, a long pause fails the upload and the notice below goes through it.
        max_pause = MAX_RATE_LIMIT_WAIT_SECONDS if request.response_url is not None else None
        try:
            await self._upload_paced(incoming.chat_id, reply.file, urgent=True, max_pause=max_pause, thread_ts=request.thread_ts)
        except _UPLOAD_ERRORS as error:
            logger.warning(
                "slack file upload failed user_id=%s chat_id=%s filename=%s: %r",
                incoming.user_id, incoming.chat_id, reply.file.filename, error,
            )
            notice = translator(incoming.locale).gettext(_FILE_NOT_SENT, name=reply.file.filename)
            await self._post_reply_messages(request, render_reply(Reply(text=notice)))

    async def _post_reply_messages(self, request: _Request, messages: list[SlackMessage]) -> None:
        """Post a reply's messages in the direct message, however long Slack rate-limits it.

        With a response_url, a pause of over REPLY_FALLBACK_PAUSE_SECONDS sends the rest of
        the reply through the response_url at once. Without one, the reply waits out the pause.
        """
        incoming = request.incoming
        max_pause = REPLY_FALLBACK_PAUSE_SECONDS if request.response_url is not None else None
        for number, message in enumerate(messages):
            try:
                await self._post_paced(incoming.chat_id, message, urgent=True, max_pause=max_pause, thread_ts=request.thread_ts)
            except (ChatPaused, SlackApiError) as error:
                if request.response_url is None or not _is_rate_limit(error):
                    raise
                logger.warning(
                    "slack reply sent through response_url, direct message rate limited user_id=%s chat_id=%s parts=%d: %s",
                    incoming.user_id, incoming.chat_id, len(messages) - number, error,
                )
                await self._send_to_response_url(request.response_url, messages[number:], incoming=incoming)
                return

    async def send_reply(self, chat_id: str, reply: Reply) -> None:
        """Send a Reply to a channel, or to a user's direct message when given a user id."""
        if _USER_ID.match(chat_id):
            chat_id = await self.direct_channel(chat_id)
        await self._send(chat_id, reply, urgent=False)

    async def _send(self, chat_id: str, reply: Reply, *, urgent: bool, thread_ts: str | None = None) -> None:
        """Post a reply's text, then upload its file; raise when either fails."""
        await self._post_messages(chat_id, _text_messages(reply), urgent=urgent, thread_ts=thread_ts)
        if reply.file is not None:
            await self._upload_paced(chat_id, reply.file, urgent=urgent, max_pause=_max_pause(urgent), thread_ts=thread_ts)

    async def _post_messages(self, chat_id: str, messages: list[SlackMessage], *, urgent: bool, thread_ts: str | None = None) -> None:
        for number, message in enumerate(messages, start=1):
            try:
                await self._post_paced(chat_id, message, urgent=urgent, max_pause=_max_pause(urgent), thread_ts=thread_ts)
            except DeliveryUnknown as error:
                if len(messages) == 1:
                    raise
                raise DeliveryUnknown(f"part {number} of {len(messages)}: {error}") from error.__cause__

    async def _post_paced(
        self, chat_id: str, message: SlackMessage, *, urgent: bool, max_pause: float | None, thread_ts: str | None = None
    ) -> None:
        """Post one message when the limiter allows it, retrying after a 429 answer.

        `max_pause` is the longest rate-limit pause to wait for; None waits for any.

        Raises:
            DeliveryUnknown: if the request may have reached Slack but no response came.
            ChatPaused: if a Retry-After paused the channel for over `max_pause`.
            SlackApiError: any other error answer, or a 429 after RATE_LIMIT_RETRIES retries.
        """

        async def post() -> None:
            await self.client.chat_postMessage(channel=chat_id, text=message.text, blocks=message.blocks, thread_ts=thread_ts)

        await self._call_paced(chat_id, post, urgent=urgent, max_pause=max_pause, method="chat.postMessage")

    async def _upload_paced(
        self, chat_id: str, file: OutgoingFile, *, urgent: bool, max_pause: float | None, thread_ts: str | None = None
    ) -> None:
        """Upload a file into a channel when the limiter allows it, retrying after a 429 answer.

        files_upload_v2 makes three requests (files.getUploadURLExternal, a POST of the bytes,
        files.completeUploadExternal); a 429 on either API method repeats all three.

        Raises:
            DeliveryUnknown: if the upload may have completed but no response came.
            ChatPaused: if a Retry-After paused the channel for over `max_pause`; None waits for any.
            SlackApiError: any other error answer, or a 429 after RATE_LIMIT_RETRIES retries.
            SlackRequestError: if the upload URL did not accept the bytes.
        """

        async def upload() -> None:
            # Slack picks the file type from the name; OutgoingFile.mime_type has no field here.
            await self.client.files_upload_v2(
                channel=chat_id, file=file.data, filename=file.filename, title=file.filename, thread_ts=thread_ts
            )

        await self._call_paced(chat_id, upload, urgent=urgent, max_pause=max_pause, method="files_upload_v2")
        logger.info("slack file uploaded chat_id=%s filename=%s bytes=%d", chat_id, file.filename, len(file.data))

    async def _call_paced(
        self, chat_id: str, call: Callable[[], Awaitable[None]], *, urgent: bool, max_pause: float | None, method: str
    ) -> None:
        """Await `call` when the limiter allows a message to `chat_id`, retrying after a 429 answer."""
        for attempt in range(RATE_LIMIT_RETRIES + 1):
            await self._limiter.acquire(chat_id, urgent=urgent, max_pause=max_pause)
            try:
                await call()
                return
            except SlackApiError as error:
                if error.response.status_code != 429:
                    raise
                wait = _retry_after(error)
                self._limiter.pause_chat(chat_id, wait)
                if attempt == RATE_LIMIT_RETRIES or (max_pause is not None and wait > max_pause):
                    logger.warning(
                        "slack rate limited: giving up method=%s chat_id=%s retry_after=%.0f s attempts=%d",
                        method, chat_id, wait, attempt + 1,
                    )
                    raise
                logger.warning(
                    "slack rate limited: retrying method=%s chat_id=%s retry_after=%.0f s attempt=%d",
                    method, chat_id, wait, attempt + 1,
                )
            except (asyncio.TimeoutError, aiohttp.ServerDisconnectedError) as error:
                raise DeliveryUnknown(
                    f"{method} to chat_id={chat_id} may have been delivered, but no response came: {error!r}"
                ) from error


def _max_pause(urgent: bool) -> float | None:
    """Return the longest rate-limit pause a send waits for: any for a reply, a bounded one for a digest."""
    return None if urgent else MAX_RATE_LIMIT_WAIT_SECONDS


def _is_rate_limit(error: Exception) -> bool:
    if isinstance(error, ChatPaused):
        return True
    return isinstance(error, SlackApiError) and error.response.status_code == 429


def _text_messages(reply: Reply) -> list[SlackMessage]:
    """Render a reply's text and buttons; a reply with only a file has no message."""
    if reply.file is not None and not reply.text.strip() and not reply.buttons:
        return []
    return render_reply(Reply(text=reply.text, buttons=reply.buttons))


class SlackProgressMessage:
    """Shows a handler's progress in one message: posted at the first report, edited after.

    An edit comes at most every `min_interval` seconds, and a report in between is
    dropped, because the next report or the reply supersedes it. A failed post or edit is
    logged and the handler goes on, since progress is a courtesy.
    """

    def __init__(
        self,
        *,
        client: AsyncWebClient,
        limiter: RateLimiter,
        chat_id: str,
        min_interval: float,
        thread_ts: str | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._thread_ts = thread_ts
        self._limiter = limiter
        self._chat_id = chat_id
        self._min_interval = min_interval
        self._monotonic = monotonic
        # The posted message's ts, which chat.update needs to edit it.
        self._ts: str | None = None
        self._text = ""
        self._shown_at = 0.0

    async def report(self, text: str) -> None:
        """Post or edit the progress message to show `text`."""
        now = self._monotonic()
        if self._ts is not None and (text == self._text or now - self._shown_at < self._min_interval):
            return
        [message] = render_reply(Reply(text=text))
        try:
            await self._limiter.acquire(self._chat_id, urgent=True, max_pause=MAX_RATE_LIMIT_WAIT_SECONDS)
            if self._ts is None:
                response = await self._client.chat_postMessage(
                    channel=self._chat_id, text=message.text, blocks=message.blocks, thread_ts=self._thread_ts
                )
                self._ts = str(response["ts"])
            else:
                await self._client.chat_update(channel=self._chat_id, ts=self._ts, text=message.text, blocks=message.blocks)
        except SlackApiError as error:
            if error.response.status_code == 429:
                self._limiter.pause_chat(self._chat_id, _retry_after(error))
            logger.warning("progress message failed chat_id=%s: %s", self._chat_id, error)
            return
        except (ChatPaused, aiohttp.ClientError, asyncio.TimeoutError) as error:
            logger.warning("progress message failed chat_id=%s: %r", self._chat_id, error)
            return
        self._text = text
        self._shown_at = now


def _retry_after(error: SlackApiError) -> float:
    headers = error.response.headers or {}
    value = headers.get("Retry-After") or headers.get("retry-after") or "1"
    if isinstance(value, list):
        value = value[0]
    try:
        return max(0.0, float(value))
    except ValueError:
        return 1.0


class SlackNotifier:
    """Sends the dispatcher's deliveries through a running SlackTransport.

    A delivery's chat_id is a channel ("C…"), a direct message ("D…") or a user id ("U…"),
    which is opened as a direct message first.
    """

    def __init__(self, transport: SlackTransport) -> None:
        self._transport = transport

    async def send(self, delivery: Delivery) -> None:
        """Send the delivery; raise on failure so that the reminder stays unsent.

        Raises:
            DeliveryUnknown: if a message may have reached Slack but no response came.
            DeliveryRejected: if Slack answered with one of PERMANENT_ERRORS.
            ChatPaused: if a 429 paused the channel for longer than MAX_RATE_LIMIT_WAIT_SECONDS.
            SlackApiError: any other failure.
        """
        if delivery.platform != PLATFORM:
            raise ValueError(f"SlackNotifier cannot send to platform {delivery.platform!r}: {delivery!r}")
        try:
            await self._transport.send_reply(delivery.chat_id, delivery.reply)
        except SlackApiError as error:
            code = error.response.get("error")
            if code not in PERMANENT_ERRORS:
                raise
            logger.warning(
                "delivery rejected for good platform=slack chat_id=%s reminder_ids=%s error=%s",
                delivery.chat_id, delivery.reminder_ids, code,
            )
            raise DeliveryRejected(f"Slack rejected the message to chat_id={delivery.chat_id}: {code}") from error
        except DeliveryUnknown as error:
            logger.warning(
                "delivery outcome unknown, not resending chat_id=%s reminder_ids=%s: %s",
                delivery.chat_id, delivery.reminder_ids, error,
            )
            raise
        logger.info("delivery sent platform=slack chat_id=%s reminder_ids=%s", delivery.chat_id, delivery.reminder_ids)
