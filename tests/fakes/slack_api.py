"""A fake Slack Web API server for tests, served by aiohttp on 127.0.0.1.

It answers `/api/<method>` like Slack: `{"ok": true, ...}` or `{"ok": false, "error": ...}`,
reading parameters from the query string, a form body or a JSON body, and it records every
call so that tests can assert what the bot sent. It also serves shared files at
`/files/<id>/<name>` (only with the bot token, as url_private), response URLs at
`/response/<n>`, and the upload URLs of files.getUploadURLExternal at `/upload/<id>`.

Usage::

    async with FakeSlackAPI() as api:
        client = AsyncWebClient(token=api.token, base_url=api.api_url)

Controls: `rate_limit_next(count, retry_after=..., method=...)` answers the next calls of
a Web API method (chat.postMessage by default) with 429 and a Retry-After header;
`fail_next(method, error)` answers the next call with that error; `slow(method, seconds)` delays a method's response; `add_user` sets the name, locale and
bot flag that users.info returns; `add_file` serves a file for a file_share event;
`add_channel` sets whether a channel is private, archived and has the bot as a member.
A channel id not added is a public channel the bot has not joined, where chat:write.public
lets it post; a private channel without the bot is channel_not_found, as on Slack.

A file upload takes three requests, as slack_sdk's files_upload_v2 makes them:
files.getUploadURLExternal returns a file id and an upload URL on this server, a POST of
the bytes to that URL stores them, and files.completeUploadExternal shares the file in
`channel_id`. `shared_files(channel)` returns the completed uploads with their bytes.

Limitations:
    Implemented methods: auth.test, chat.postMessage, chat.postEphemeral, chat.update,
    conversations.open, conversations.info, views.open, users.info, files.getUploadURLExternal and
    files.completeUploadExternal. Any other method is recorded and answered with
    `unknown_method`. Block Kit is checked only for the limits the bot must keep (3,000
    characters a section, 50 blocks a message, 25 elements an actions block). The upload
    URL never answers 429.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any
from urllib.parse import urlencode

from aiohttp import BodyPartReader, web

DEFAULT_TOKEN = "xoxb-fake-token-for-tests"
TEAM_ID = "T0FAKE"
BOT_USER_ID = "UBOT0001"
BOT_ID = "BBOT0001"
SECTION_TEXT_LIMIT = 3000
MESSAGE_BLOCK_LIMIT = 50
ACTIONS_ELEMENT_LIMIT = 25


@dataclass(frozen=True)
class SlackCall:
    """One recorded request: the method (or "response_url", "file"), its parameters and answer."""

    method: str
    params: dict[str, Any]
    status: int
    response: dict[str, Any]
    received_at: float

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.response.get("ok"))


@dataclass
class FakeUpload:
    """A file announced by files.getUploadURLExternal; `data` and `channel` fill in as it proceeds."""

    file_id: str
    filename: str
    length: int
    data: bytes | None = None
    channel: str | None = None
    title: str | None = None
    initial_comment: str | None = None

    @property
    def shared(self) -> bool:
        return self.channel is not None


def signature_headers(body: str, *, secret: str, timestamp: int | None = None) -> dict[str, str]:
    """Return the X-Slack-Signature and X-Slack-Request-Timestamp headers Slack would send."""
    stamp = int(time.time()) if timestamp is None else timestamp
    base = f"v0:{stamp}:{body}".encode()
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(stamp), "X-Slack-Signature": f"v0={digest}"}


def form_body(fields: dict[str, str]) -> str:
    """Encode a slash command's or interaction's form fields as Slack posts them."""
    return urlencode(fields)


class FakeSlackAPI:
    """The fake server; use it as an async context manager."""

    def __init__(self, *, token: str = DEFAULT_TOKEN) -> None:
        self.token = token
        self.calls: list[SlackCall] = []
        self.users: dict[str, dict[str, Any]] = {}
        self.files: dict[str, tuple[str, bytes]] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.uploads: dict[str, FakeUpload] = {}
        # ts → channel of every accepted chat.postMessage, which chat.update may edit.
        self._message_channels: dict[str, str] = {}
        self._upload_ids = itertools.count(1)
        self._direct_channels: dict[str, str] = {}
        self._rate_limited: dict[str, list[int]] = {}
        self._delays: dict[str, float] = {}
        self._failures: dict[str, list[str]] = {}
        self._ts = itertools.count(1)
        self._responses = itertools.count(1)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    async def __aenter__(self) -> FakeSlackAPI:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._serve_api)
        app.router.add_get("/files/{file_id}/{name}", self._serve_file)
        app.router.add_post("/response/{number}", self._serve_response)
        app.router.add_post("/upload/{file_id}", self._serve_upload)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host="127.0.0.1", port=0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    # ------------------------------------------------------------------ controls

    def add_user(self, user_id: str, *, name: str, locale: str = "zh-CN", is_bot: bool = False) -> None:
        self.users[user_id] = {
            "id": user_id,
            "team_id": TEAM_ID,
            "name": name.lower().replace(" ", "."),
            "real_name": name,
            "is_bot": is_bot,
            "locale": locale,
            "profile": {"real_name": name, "display_name": name},
        }

    def add_channel(self, channel_id: str, *, is_private: bool = False, is_member: bool = True, is_archived: bool = False) -> None:
        self.channels[channel_id] = {
            "id": channel_id,
            "name": channel_id.lower(),
            "is_channel": True,
            "is_private": is_private,
            "is_member": is_member,
            "is_archived": is_archived,
        }

    def _channel(self, channel_id: str) -> dict[str, Any] | None:
        """Return the channel as conversations.info shows it to the bot, or None when hidden from it."""
        if channel_id.startswith("D"):
            return {"id": channel_id, "is_im": True, "is_member": True}
        channel = self.channels.get(channel_id)
        if channel is None:
            channel = {"id": channel_id, "name": channel_id.lower(), "is_channel": True, "is_private": False, "is_member": False, "is_archived": False}
        if channel["is_private"] and not channel["is_member"]:
            return None
        return channel

    def add_file(self, file_id: str, name: str, data: bytes) -> dict[str, Any]:
        """Serve a file and return its object as a file_share event carries it."""
        self.files[file_id] = (name, data)
        url = f"{self.base_url}/files/{file_id}/{name}"
        return {"id": file_id, "name": name, "size": len(data), "url_private": url, "url_private_download": url}

    def new_response_url(self) -> str:
        return f"{self.base_url}/response/{next(self._responses)}"

    def direct_channel(self, user_id: str) -> str:
        """Return the id of the user's direct message channel with the bot."""
        return self._direct_channels.setdefault(user_id, "D" + user_id[1:])

    def rate_limit_next(self, count: int, *, retry_after: int = 1, method: str = "chat.postMessage") -> None:
        self._rate_limited.setdefault(method, []).extend([retry_after] * count)

    def fail_next(self, method: str, error: str) -> None:
        """Make the next call of `method` fail with {"ok": false, "error": error}."""
        self._failures.setdefault(method, []).append(error)

    def slow(self, method: str, seconds: float) -> None:
        self._delays[method] = seconds

    # ------------------------------------------------------------------ inspection

    def calls_to(self, method: str) -> list[SlackCall]:
        return [call for call in self.calls if call.method == method]

    def posted(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Return the accepted chat.postMessage parameters, to one channel when given."""
        return [
            call.params
            for call in self.calls_to("chat.postMessage")
            if call.ok and (channel is None or call.params.get("channel") == channel)
        ]

    async def wait_for(self, predicate: Callable[[], bool], *, timeout: float = 5.0) -> None:
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(predicate), timeout)

    def updates(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Return the accepted chat.update parameters, to one channel when given."""
        return [
            call.params
            for call in self.calls_to("chat.update")
            if call.ok and (channel is None or call.params.get("channel") == channel)
        ]

    def shared_files(self, channel: str | None = None) -> list[FakeUpload]:
        """Return the uploads completed with files.completeUploadExternal, to one channel when given."""
        return [upload for upload in self.uploads.values() if upload.shared and (channel is None or upload.channel == channel)]

    async def wait_for_files(self, count: int, *, channel: str | None = None, timeout: float = 5.0) -> list[FakeUpload]:
        await self.wait_for(lambda: len(self.shared_files(channel)) >= count, timeout=timeout)
        return self.shared_files(channel)

    async def wait_for_posts(self, count: int, *, channel: str | None = None, timeout: float = 5.0) -> list[dict[str, Any]]:
        await self.wait_for(lambda: len(self.posted(channel)) >= count, timeout=timeout)
        return self.posted(channel)

    async def wait_for_calls(self, method: str, count: int, *, timeout: float = 5.0) -> list[SlackCall]:
        await self.wait_for(lambda: len(self.calls_to(method)) >= count, timeout=timeout)
        return self.calls_to(method)

    # ------------------------------------------------------------------ serving

    async def _record(self, method: str, params: dict[str, Any], status: int, response: dict[str, Any], received_at: float) -> None:
        async with self._changed:
            self.calls.append(SlackCall(method, params, status, response, received_at))
            self._changed.notify_all()

    async def _serve_api(self, request: web.Request) -> web.Response:
        received_at = time.monotonic()
        method = request.match_info["method"]
        params = await _read_params(request)
        delay = self._delays.get(method)
        if delay:
            await asyncio.sleep(delay)
        if request.headers.get("Authorization") != f"Bearer {self.token}" and params.get("token") != self.token:
            return await self._answer(method, params, 200, {"ok": False, "error": "invalid_auth"}, received_at)
        waits = self._rate_limited.get(method)
        if waits:
            wait = waits.pop(0)
            response = web.json_response({"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": str(wait)})
            await self._record(method, params, 429, {"ok": False, "error": "ratelimited"}, received_at)
            return response

        failures = self._failures.get(method)
        if failures:
            return await self._answer(method, params, 200, {"ok": False, "error": failures.pop(0)}, received_at)

        handler = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._post_message,
            "chat.postEphemeral": self._post_ephemeral,
            "chat.update": self._update_message,
            "conversations.open": self._conversations_open,
            "conversations.info": self._conversations_info,
            "views.open": self._views_open,
            "users.info": self._users_info,
            "files.getUploadURLExternal": self._get_upload_url,
            "files.completeUploadExternal": self._complete_upload,
        }.get(method)
        if handler is None:
            return await self._answer(method, params, 200, {"ok": False, "error": "unknown_method"}, received_at)
        return await self._answer(method, params, 200, handler(params), received_at)

    async def _answer(self, method: str, params: dict[str, Any], status: int, body: dict[str, Any], received_at: float) -> web.Response:
        await self._record(method, params, status, body, received_at)
        return web.json_response(body, status=status)

    def _auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": "https://fake.slack.com/", "team": "Fake", "user": "followup", "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": BOT_ID}

    def _post_message(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(str(params.get("channel") or ""))
        if not params.get("channel") or channel is None:
            return {"ok": False, "error": "channel_not_found"}
        if channel.get("is_archived"):
            return {"ok": False, "error": "is_archived"}
        error = _check_blocks(params.get("blocks"))
        if error:
            return {"ok": False, "error": "invalid_blocks", "errors": [error]}
        if not params.get("text") and not params.get("blocks"):
            return {"ok": False, "error": "no_text"}
        ts = f"{int(time.time())}.{next(self._ts):06d}"
        self._message_channels[ts] = str(params["channel"])
        return {"ok": True, "channel": params["channel"], "ts": ts, "message": {"text": params.get("text"), "ts": ts}}

    def _update_message(self, params: dict[str, Any]) -> dict[str, Any]:
        ts = str(params.get("ts") or "")
        if not params.get("channel") or not ts:
            return {"ok": False, "error": "invalid_arguments"}
        if self._message_channels.get(ts) != params["channel"]:
            return {"ok": False, "error": "message_not_found"}
        error = _check_blocks(params.get("blocks"))
        if error:
            return {"ok": False, "error": "invalid_blocks", "errors": [error]}
        if not params.get("text") and not params.get("blocks"):
            return {"ok": False, "error": "no_text"}
        return {"ok": True, "channel": params["channel"], "ts": ts, "text": params.get("text")}

    def _get_upload_url(self, params: dict[str, Any]) -> dict[str, Any]:
        filename = str(params.get("filename") or "")
        length = str(params.get("length") or "")
        if not filename or not length.isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F0UP{next(self._upload_ids):05d}"
        self.uploads[file_id] = FakeUpload(file_id=file_id, filename=filename, length=int(length))
        return {"ok": True, "file_id": file_id, "upload_url": f"{self.base_url}/upload/{file_id}"}

    def _complete_upload(self, params: dict[str, Any]) -> dict[str, Any]:
        files = params.get("files")
        if isinstance(files, str):
            files = json.loads(files)
        channel = params.get("channel_id") or params.get("channels")
        if not files:
            return {"ok": False, "error": "invalid_arguments"}
        if not channel or "," in str(channel):
            return {"ok": False, "error": "channel_not_found"}
        completed = []
        for item in files:
            upload = self.uploads.get(str(item.get("id")))
            # Slack completes only files whose bytes arrived at the upload URL.
            if upload is None or upload.data is None:
                return {"ok": False, "error": "file_not_found"}
            completed.append(upload)
        for upload, item in zip(completed, files):
            upload.channel = str(channel)
            upload.title = item.get("title")
            upload.initial_comment = params.get("initial_comment")
        shown = [{"id": upload.file_id, "name": upload.filename, "title": upload.title, "size": len(upload.data or b"")} for upload in completed]
        return {"ok": True, "files": shown}

    def _post_ephemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        error = _check_blocks(params.get("blocks"))
        if error:
            return {"ok": False, "error": "invalid_blocks", "errors": [error]}
        return {"ok": True, "message_ts": f"{int(time.time())}.{next(self._ts):06d}"}

    def _conversations_open(self, params: dict[str, Any]) -> dict[str, Any]:
        users = str(params.get("users") or "")
        if not users or "," in users:
            return {"ok": False, "error": "invalid_users" if users else "users_list_not_supplied"}
        return {"ok": True, "channel": {"id": self.direct_channel(users)}}

    def _conversations_info(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(str(params.get("channel") or ""))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        return {"ok": True, "channel": channel}

    def _views_open(self, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("trigger_id") or not params.get("view"):
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "view": {"id": "V0001"}}

    def _users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(str(params.get("user")))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        shown = dict(user)
        if str(params.get("include_locale")).lower() not in ("true", "1"):
            shown.pop("locale", None)
        return {"ok": True, "user": shown}

    async def _serve_file(self, request: web.Request) -> web.Response:
        received_at = time.monotonic()
        file_id = request.match_info["file_id"]
        params = {"file_id": file_id}
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            # Slack answers a request without the token with its login page.
            await self._record("file", params, 200, {"ok": False, "error": "login_page"}, received_at)
            return web.Response(text="<html>sign in</html>", content_type="text/html")
        stored = self.files.get(file_id)
        if stored is None:
            await self._record("file", params, 404, {"ok": False}, received_at)
            return web.Response(status=404)
        await self._record("file", params, 200, {"ok": True}, received_at)
        return web.Response(body=stored[1], content_type="application/octet-stream")

    async def _serve_upload(self, request: web.Request) -> web.Response:
        received_at = time.monotonic()
        file_id = request.match_info["file_id"]
        upload = self.uploads.get(file_id)
        data = await _read_upload(request)
        params = {"file_id": file_id, "bytes": len(data)}
        if upload is None:
            await self._record("upload", params, 404, {"ok": False, "error": "file_not_found"}, received_at)
            return web.Response(status=404, text="file_not_found")
        if len(data) != upload.length:
            # files.getUploadURLExternal announced another length.
            await self._record("upload", params, 400, {"ok": False, "error": "length_mismatch"}, received_at)
            return web.Response(status=400, text="length_mismatch")
        upload.data = data
        await self._record("upload", params, 200, {"ok": True}, received_at)
        return web.Response(text=f"OK - {len(data)}")

    async def _serve_response(self, request: web.Request) -> web.Response:
        received_at = time.monotonic()
        params = await _read_params(request)
        params["url"] = str(request.url)
        error = _check_blocks(params.get("blocks"))
        status = 400 if error else 200
        await self._record("response_url", params, status, {"ok": not error, "error": error}, received_at)
        return web.Response(status=status, text="ok" if not error else error)


def _check_blocks(blocks: Any) -> str:
    if blocks is None:
        return ""
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    if len(blocks) > MESSAGE_BLOCK_LIMIT:
        return f"no more than {MESSAGE_BLOCK_LIMIT} items allowed [json-pointer:/blocks]"
    for number, block in enumerate(blocks):
        if block.get("type") == "section" and len(block["text"]["text"]) > SECTION_TEXT_LIMIT:
            return f"must be less than {SECTION_TEXT_LIMIT + 1} characters [json-pointer:/blocks/{number}/text]"
        if block.get("type") == "actions" and len(block["elements"]) > ACTIONS_ELEMENT_LIMIT:
            return f"no more than {ACTIONS_ELEMENT_LIMIT} items allowed [json-pointer:/blocks/{number}/elements]"
    return ""


async def _read_upload(request: web.Request) -> bytes:
    """Return the uploaded bytes: the raw body, or the first file part of a multipart form."""
    if request.content_type != "multipart/form-data":
        return await request.read()
    reader = await request.multipart()
    async for part in reader:
        if isinstance(part, BodyPartReader) and part.filename is not None:
            return bytes(await part.read())
    return b""


async def _read_params(request: web.Request) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.query)
    if request.method != "POST" or not request.can_read_body:
        return params
    if request.content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            params.update(body)
        return params
    form = await request.post()
    params.update({key: str(value) for key, value in form.items()})
    if isinstance(params.get("blocks"), str):
        params["blocks"] = json.loads(params["blocks"])
    return params


class SlackSender:
    """Posts signed requests to the bot's HTTP endpoint, as Slack delivers events and commands.

    Every method returns the bot's HTTP response status and body, and the seconds the bot
    took to answer (the ack).
    """

    def __init__(self, api: FakeSlackAPI, *, url: str, secret: str) -> None:
        self.api = api
        self.url = url
        self.secret = secret
        self._events = itertools.count(1)

    async def post(
        self,
        body: str,
        *,
        content_type: str,
        timestamp: int | None = None,
        secret: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str, float]:
        import aiohttp

        sent_headers = {"Content-Type": content_type}
        sent_headers.update(signature_headers(body, secret=secret or self.secret, timestamp=timestamp))
        sent_headers.update(headers or {})
        started = time.monotonic()
        async with aiohttp.ClientSession() as session:
            async with session.post(self.url, data=body.encode(), headers=sent_headers) as response:
                text = await response.text()
                return response.status, text, time.monotonic() - started

    def command_body(self, user_id: str, text: str, *, channel_id: str | None = None) -> str:
        channel = channel_id or self.api.direct_channel(user_id)
        return form_body(
            {
                "token": "verification-token-unused",
                "team_id": TEAM_ID,
                "team_domain": "fake",
                "channel_id": channel,
                "channel_name": "directmessage" if channel.startswith("D") else "general",
                "user_id": user_id,
                "user_name": self.api.users.get(user_id, {}).get("name", user_id),
                "command": "/followup",
                "text": text,
                "api_app_id": "A0FAKE",
                "response_url": self.api.new_response_url(),
                "trigger_id": f"trigger.{next(self._events)}",
            }
        )

    async def command(self, user_id: str, text: str, *, channel_id: str | None = None, **options: Any) -> tuple[int, str, float]:
        body = self.command_body(user_id, text, channel_id=channel_id)
        return await self.post(body, content_type="application/x-www-form-urlencoded", **options)

    def event_body(self, event: dict[str, Any], *, event_id: str | None = None) -> str:
        envelope = {
            "token": "verification-token-unused",
            "team_id": TEAM_ID,
            "api_app_id": "A0FAKE",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(self._events):08d}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
        }
        return json.dumps(envelope)

    def message_event(self, user_id: str, text: str, **fields: Any) -> dict[str, Any]:
        event = {
            "type": "message",
            "channel": self.api.direct_channel(user_id),
            "channel_type": "im",
            "user": user_id,
            "text": text,
            "ts": f"{int(time.time())}.{next(self._events):06d}",
            "team": TEAM_ID,
        }
        event.update(fields)
        return event

    async def event(self, event: dict[str, Any], *, event_id: str | None = None, **options: Any) -> tuple[int, str, float]:
        return await self.post(self.event_body(event, event_id=event_id), content_type="application/json", **options)

    async def message(self, user_id: str, text: str, **options: Any) -> tuple[int, str, float]:
        return await self.event(self.message_event(user_id, text), **options)

    async def action(self, user_id: str, value: str, *, channel_id: str | None = None, **options: Any) -> tuple[int, str, float]:
        channel = channel_id or self.api.direct_channel(user_id)
        payload = {
            "type": "block_actions",
            "team": {"id": TEAM_ID, "domain": "fake"},
            "user": {"id": user_id, "name": self.api.users.get(user_id, {}).get("name", user_id), "team_id": TEAM_ID},
            "api_app_id": "A0FAKE",
            "token": "verification-token-unused",
            "container": {"type": "message", "channel_id": channel, "is_ephemeral": False},
            "trigger_id": f"trigger.{next(self._events)}",
            "channel": {"id": channel, "name": "directmessage"},
            "response_url": self.api.new_response_url(),
            "actions": [
                {"type": "button", "action_id": "followup:0", "block_id": "b1", "value": value,
                 "text": {"type": "plain_text", "text": value}, "action_ts": str(time.time())}
            ],
        }
        body = form_body({"payload": json.dumps(payload)})
        return await self.post(body, content_type="application/x-www-form-urlencoded", **options)
