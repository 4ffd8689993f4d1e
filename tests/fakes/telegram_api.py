"""A fake Telegram Bot API server for tests, served by aiohttp on 127.0.0.1.

The server handles `/bot<token>/<method>` over GET and POST like the real Bot API. It
returns `{"ok": true, "result": ...}` or `{"ok": false, "error_code": ..., "description": ...}`,
and it records every call so that tests can assert what the bot sent. Tests queue updates
with `push_text`, `push_document` and `push_callback`, and the bot receives them through
long polling. A pushed document is served by getFile and `/file/bot<token>/<file_path>`.

Usage::

    async with FakeTelegramAPI() as api:
        bot = Bot(api.token, base_url=api.base_url + "/bot")
        api.push_text(1001, "/today")
        messages = await api.wait_for_messages(1, chat_id=1001)

Two opt-in modes serve delivery tests. `FakeTelegramAPI(flood_limits=FloodLimits())`
responds to sendMessage with 429 Too Many Requests and a `retry_after`, as Telegram does,
when the bot exceeds the flood limits, and `flood_error_count` counts those responses.
`delay_responses` records a call and acts on it but responds late, so that a client with
a shorter read timeout times out after the server has sent the message.

Limitations:
    Only the methods a text bot with inline buttons needs are implemented: getMe,
    getUpdates, getFile, sendMessage, sendDocument, editMessageText, editMessageReplyMarkup, answerCallbackQuery,
    setMyCommands, getMyCommands, deleteMyCommands, deleteWebhook, getWebhookInfo, close and
    logOut. Any other method is recorded and gets a 404 response, as from the real API. Error descriptions imitate the real API's wording, which Telegram does
    not document, so tests should assert on error codes. Entities and parse_mode are not
    parsed, so length checks count the raw text.
    The flood limits apply to sendMessage and sendDocument, and only accepted messages
    count toward them. Telegram does not say how it counts, so this is an estimate of its behaviour.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import math
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from aiohttp import web

logger = logging.getLogger(__name__)

DEFAULT_TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijk"

# Bot API limits, from https://core.telegram.org/bots/api (sendMessage, InlineKeyboardButton,
# BotCommand). Telegram counts text length in UTF-16 code units.
MESSAGE_TEXT_LIMIT = 4096
CALLBACK_DATA_LIMIT = 64
COMMAND_PATTERN = re.compile(r"[a-z0-9_]{1,32}")
COMMAND_DESCRIPTION_LIMIT = 256
COMMANDS_PER_LIST_LIMIT = 100
# sendDocument: https://core.telegram.org/bots/api#senddocument, caption 0-1024 characters.
CAPTION_LIMIT = 1024

# Form-encoded bodies carry every value as a string, and PTB JSON-encodes the non-string
# ones. These parameters are strings in the Bot API, so they are kept as sent, or a text
# such as "42" would turn into a number.
_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "callback_query_id",
        "inline_message_id",
        "language_code",
        "parse_mode",
        "url",
        "description",
        "short_description",
        "name",
        "title",
        "query",
        "emoji",
        "business_connection_id",
        "message_effect_id",
    }
)


@dataclass(frozen=True)
class FloodLimits:
    """Flood limits that the fake enforces on sendMessage, in messages and seconds.

    The numbers are those of Telegram's Bot FAQ: about 30 messages a second to all chats,
    one a second to one chat, 20 a minute to one group or channel. `tolerance` shortens
    each interval and window by that many seconds, so that a client pacing at exactly
    the limits passes despite timer jitter, and one that overshoots by more gets a 429.
    """

    messages_per_second: int = 30
    chat_interval: float = 1.0
    group_messages_per_window: int = 20
    group_window: float = 60.0
    tolerance: float = 0.1


class ApiError(Exception):
    """A Bot API error response: HTTP status, description and optional response parameters."""

    def __init__(
        self, status: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


@dataclass(frozen=True)
class ApiCall:
    """One recorded request: the method as the client spelled it, its parameters and the response.

    `received_at` is the instant of arrival on the server's monotonic clock.
    """

    method: str
    params: dict[str, Any]
    status: int
    response: dict[str, Any]
    received_at: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == 200


def utf16_length(text: str) -> int:
    """Return the length of `text` in UTF-16 code units, the unit of Telegram's limits."""
    return len(text.encode("utf-16-le")) // 2


def _decode_param(name: str, value: str) -> Any:
    if name in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


class FakeTelegramAPI:
    """A fake Bot API server for one bot, used as an async context manager.

    `max_poll_wait` caps how long getUpdates waits for an update (in seconds), whatever
    timeout the client asks for, so that tests stay fast. `flood_limits`, when given,
    makes sendMessage enforce them. `monotonic` is the clock of those limits and of
    `ApiCall.received_at`; a test may inject a virtual one.
    """

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "FollowUpBot",
        bot_first_name: str = "FollowUp Bot",
        max_poll_wait: float = 1.0,
        flood_limits: FloodLimits | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.max_poll_wait = max_poll_wait
        self.flood_limits = flood_limits
        self.calls: list[ApiCall] = []
        self._monotonic = monotonic

        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        # Files that users sent, by file_id: (file_path, bytes), for getFile and downloads.
        self._user_files: dict[str, tuple[str, bytes]] = {}
        self._callback_query_ids = itertools.count(4_390_000_000_000_000_001)
        self._updates: list[dict[str, Any]] = []
        self._allowed_updates: list[str] | None = None
        self._updates_pushed = asyncio.Event()
        self._calls_changed = asyncio.Condition()
        self._closing = False
        self._closed = asyncio.Event()
        self._chats: dict[str, dict[str, Any]] = {}
        self._messages: dict[tuple[str, int], dict[str, Any]] = {}
        self._open_callback_query_ids: set[str] = set()
        self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._blocked_chat_ids: set[str] = set()
        self._flood: dict[str, list[int]] = {}
        self._response_delays: dict[str, list[float]] = {}
        # Arrival instants of accepted messages: all of them within the last second, and
        # per chat those within the group window.
        self._accepted_at: deque[float] = deque()
        self._accepted_at_by_chat: dict[str, deque[float]] = {}

        self._methods: dict[str, Callable[[dict[str, Any]], Awaitable[Any]]] = {
            "getme": self._get_me,
            "getfile": self._get_file,
            "getupdates": self._get_updates,
            "sendmessage": self._send_message,
            "senddocument": self._send_document,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "answercallbackquery": self._answer_callback_query,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "deletewebhook": self._return_true,
            "getwebhookinfo": self._get_webhook_info,
            "close": self._return_true,
            "logout": self._return_true,
        }

    # ------------------------------------------------------------------ lifecycle

    async def __aenter__(self) -> FakeTelegramAPI:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._serve)
        app.router.add_get("/file/bot{token}/{path:.+}", self._serve_file)
        # A short shutdown timeout, because a client that was not stopped may still hold
        # a long poll open when the test ends. The access log is off because its request
        # lines contain the token, and a test asserts that no log line does.
        self._runner = web.AppRunner(app, shutdown_timeout=1.0, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        sockets = self._runner.addresses
        self._port = sockets[0][1]
        logger.debug("fake Telegram API listening port=%s", self._port)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._closing = True
        self._closed.set()
        self._updates_pushed.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        """The server's root URL, e.g. "http://127.0.0.1:38211", without the "/bot" prefix."""
        if self._port is None:
            raise RuntimeError("FakeTelegramAPI is not running; use it as `async with`")
        return f"http://127.0.0.1:{self._port}"

    # ------------------------------------------------------------------ test controls

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue a raw Update for getUpdates, assigning an `update_id` if it has none."""
        update.setdefault("update_id", next(self._update_ids))
        self._updates.append(update)
        self._updates_pushed.set()
        return update

    def push_text(
        self,
        user_id: int,
        text: str,
        *,
        language_code: str | None = "zh-hans",
        chat_type: str = "private",
        chat_id: int | None = None,
        chat_title: str = "Sales team",
        first_name: str = "Wei",
        last_name: str | None = None,
        username: str | None = None,
        is_bot: bool = False,
        edited: bool = False,
    ) -> dict[str, Any]:
        """Queue a text message from a user and return the Update.

        A private chat has the user's id, and a group needs `chat_id` (negative, as in Telegram).
        A text starting with "/" gets a bot_command entity as Telegram adds one.
        `edited=True` queues an `edited_message` update instead.
        """
        user = self._user_object(
            user_id,
            first_name=first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
            is_bot=is_bot,
        )
        if chat_type == "private":
            chat = {key: value for key, value in user.items() if key in _PRIVATE_CHAT_FIELDS}
            chat["id"] = user_id
            chat["type"] = "private"
        else:
            if chat_id is None:
                raise ValueError(f"chat_id is required for chat_type={chat_type!r}")
            chat = {"id": chat_id, "type": chat_type, "title": chat_title}
        self._chats[str(chat["id"])] = chat

        now = int(time.time())
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "from": user,
            "chat": chat,
            "date": now,
            "text": text,
        }
        command = re.match(r"/\S+", text)
        if command:
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_length(command.group())}
            ]
        if edited:
            message["edit_date"] = now
            return self.push_update({"edited_message": message})
        return self.push_update({"message": message})

    def push_document(
        self,
        user_id: int,
        filename: str,
        data: bytes,
        *,
        caption: str | None = None,
        mime_type: str = "application/octet-stream",
        declared_size: int | None = None,
        chat_type: str = "private",
        chat_id: int | None = None,
        language_code: str | None = "zh-hans",
        first_name: str = "Wei",
    ) -> dict[str, Any]:
        """Queue a document sent by a user, with an optional caption, and return the Update.

        `declared_size` overrides the file_size that the update states, so a test can
        announce a large file without building one.
        """
        update = self.push_text(
            user_id,
            caption or "",
            language_code=language_code,
            chat_type=chat_type,
            chat_id=chat_id,
            first_name=first_name,
        )
        message = update["message"]
        del message["text"]
        message.pop("entities", None)
        if caption:
            message["caption"] = caption
        file_id = f"BQAC-user-{next(self._file_ids)}"
        self._user_files[file_id] = (f"documents/{file_id}{_suffix(filename)}", data)
        message["document"] = {
            "file_id": file_id,
            "file_unique_id": f"unique-{file_id}",
            "file_name": filename,
            "mime_type": mime_type,
            "file_size": declared_size if declared_size is not None else len(data),
        }
        return update

    def push_callback(
        self,
        user_id: int,
        data: str,
        *,
        message_id: int | None = None,
        chat_id: int | None = None,
        language_code: str | None = "zh-hans",
        first_name: str = "Wei",
        last_name: str | None = None,
    ) -> dict[str, Any]:
        """Queue a button press on a message the bot sent and return the Update.

        The pressed message is the one with `message_id` in the chat (the user's private
        chat unless `chat_id` is given), or the bot's latest message there when omitted.
        """
        target_chat_id = str(chat_id if chat_id is not None else user_id)
        message = self._find_message(target_chat_id, message_id)
        if message is None:
            # No such message was sent through this server, so build the bot message
            # the button would have been attached to.
            message = {
                "message_id": message_id if message_id is not None else next(self._message_ids),
                "from": self._bot_user(),
                "chat": self._chat_object(target_chat_id),
                "date": int(time.time()),
                "text": "(message with buttons)",
            }
        query_id = str(next(self._callback_query_ids))
        self._open_callback_query_ids.add(query_id)
        callback_query = {
            "id": query_id,
            "from": self._user_object(
                user_id,
                first_name=first_name,
                last_name=last_name,
                username=None,
                language_code=language_code,
                is_bot=False,
            ),
            "message": message,
            "chat_instance": f"-{abs(hash(target_chat_id)) % 10**18}",
            "data": data,
        }
        return self.push_update({"callback_query": callback_query})

    def flood_limit_next(self, count: int, *, method: str = "sendMessage", retry_after: int = 1) -> None:
        """Respond to the next `count` calls of `method` with 429 Too Many Requests.

        `retry_after` must be at least 1 second, because PTB ignores a zero `retry_after`.
        """
        if retry_after < 1:
            raise ValueError(f"retry_after must be >= 1 second, got {retry_after}")
        self._flood.setdefault(method.lower(), []).extend([retry_after] * count)

    def delay_responses(self, count: int, *, seconds: float, method: str = "sendMessage") -> None:
        """Delay the responses to the next `count` calls of `method` by `seconds`.

        Each call is handled and recorded at once, as when Telegram has sent a message
        but its response is lost, so a client with a shorter read timeout times out
        after the fact. The server responds at once when it closes.
        """
        self._response_delays.setdefault(method.lower(), []).extend([seconds] * count)

    @property
    def flood_error_count(self) -> int:
        """The number of calls that got a 429 Too Many Requests response, scripted or enforced."""
        return sum(1 for call in self.calls if call.status == 429)

    def block_chat(self, chat_id: int | str) -> None:
        """Make sendMessage to `chat_id` fail with 403, as when a user has blocked the bot."""
        self._blocked_chat_ids.add(str(chat_id))

    def calls_to(self, method: str) -> list[ApiCall]:
        """Return the recorded calls of `method` (any spelling case), failed ones included."""
        expected = method.lower()
        return [call for call in self.calls if call.method.lower() == expected]

    def sent_messages(self, chat_id: int | str | None = None) -> list[dict[str, Any]]:
        """Return the parameters of every successful sendMessage, optionally for one chat."""
        return [
            call.params
            for call in self.calls_to("sendMessage")
            if call.ok and (chat_id is None or str(call.params.get("chat_id")) == str(chat_id))
        ]

    def sent_documents(self, chat_id: int | str | None = None) -> list[dict[str, Any]]:
        """Return the parameters of every successful sendDocument, optionally for one chat.

        An uploaded `document` is a dict with its "filename", "content_type" and "data" (bytes).
        """
        return [
            call.params
            for call in self.calls_to("sendDocument")
            if call.ok and (chat_id is None or str(call.params.get("chat_id")) == str(chat_id))
        ]

    async def wait_for_documents(
        self, count: int, *, chat_id: int | str | None = None, timeout: float = 5.0
    ) -> list[dict[str, Any]]:
        """Wait until `count` documents were sent (to `chat_id` if given) and return all of them."""
        await self._wait_until(
            lambda: len(self.sent_documents(chat_id)) >= count,
            timeout=timeout,
            describe=lambda: f"expected {count} sent document(s) to chat_id={chat_id}, got {len(self.sent_documents(chat_id))}",
        )
        return self.sent_documents(chat_id)

    def commands(self, *, language_code: str = "", scope: dict[str, Any] | None = None) -> list[dict[str, Any]] | None:
        """Return the command list stored by setMyCommands for a scope and language, if any."""
        return self._commands.get((_scope_key(scope), language_code))

    async def wait_for_messages(
        self, count: int, *, chat_id: int | str | None = None, timeout: float = 5.0
    ) -> list[dict[str, Any]]:
        """Wait until `count` messages were sent (to `chat_id` if given) and return all of them."""
        await self._wait_until(
            lambda: len(self.sent_messages(chat_id)) >= count,
            timeout=timeout,
            describe=lambda: (
                f"expected {count} sent message(s) to chat_id={chat_id}, "
                f"got {self.sent_messages(chat_id)!r}"
            ),
        )
        return self.sent_messages(chat_id)

    async def wait_for_calls(self, method: str, count: int = 1, *, timeout: float = 5.0) -> list[ApiCall]:
        """Wait until `method` was called `count` times and return those calls."""
        await self._wait_until(
            lambda: len(self.calls_to(method)) >= count,
            timeout=timeout,
            describe=lambda: f"expected {count} call(s) to {method}, got {self.calls_to(method)!r}",
        )
        return self.calls_to(method)

    async def _wait_until(
        self, predicate: Callable[[], bool], *, timeout: float, describe: Callable[[], str]
    ) -> None:
        try:
            async with self._calls_changed:
                await asyncio.wait_for(self._calls_changed.wait_for(predicate), timeout)
        except TimeoutError:
            raise AssertionError(f"timed out after {timeout} s: {describe()}") from None

    # ------------------------------------------------------------------ HTTP layer

    async def _serve(self, request: web.Request) -> web.Response:
        received_at = self._monotonic()
        method = request.match_info["method"]
        params = await _read_params(request)
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            implementation = self._methods.get(method.lower())
            if implementation is None:
                raise ApiError(404, "Not Found")
            self._raise_if_flooded(method)
            result = await implementation(params)
            status, body = 200, {"ok": True, "result": result}
        except ApiError as error:
            status = error.status
            body = {"ok": False, "error_code": error.status, "description": error.description}
            if error.parameters:
                body["parameters"] = error.parameters

        self.calls.append(
            ApiCall(method=method, params=params, status=status, response=body, received_at=received_at)
        )
        async with self._calls_changed:
            self._calls_changed.notify_all()
        delays = self._response_delays.get(method.lower())
        if delays:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closed.wait(), delays.pop(0))
        return web.json_response(body, status=status)

    def _raise_if_flooded(self, method: str) -> None:
        pending = self._flood.get(method.lower())
        if pending:
            retry_after = pending.pop(0)
            raise ApiError(
                429,
                f"Too Many Requests: retry after {retry_after}",
                {"retry_after": retry_after},
            )

    # ------------------------------------------------------------------ Bot API methods

    async def _return_true(self, params: dict[str, Any]) -> bool:
        return True

    async def _get_file(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = str(self._require(params, "file_id"))
        if file_id not in self._user_files:
            raise ApiError(400, "Bad Request: invalid file_id")
        file_path, data = self._user_files[file_id]
        return {"file_id": file_id, "file_unique_id": f"unique-{file_id}", "file_size": len(data), "file_path": file_path}

    async def _serve_file(self, request: web.Request) -> web.Response:
        """Serve a file's bytes at the download path that getFile's file_path names."""
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        path = request.match_info["path"]
        for file_path, data in self._user_files.values():
            if file_path == path:
                return web.Response(body=data, content_type="application/octet-stream")
        return web.Response(status=404)

    async def _get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _get_webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"url": "", "has_custom_certificate": False, "pending_update_count": len(self._updates)}

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        # Telegram keeps the last allowed_updates until a call changes it; [] means all types.
        if "allowed_updates" in params:
            self._allowed_updates = params["allowed_updates"] or None
        if offset > 0:
            # An offset confirms every update before it, and Telegram then deletes those updates.
            self._updates = [u for u in self._updates if u["update_id"] >= offset]

        deadline = asyncio.get_running_loop().time() + min(timeout, self.max_poll_wait)
        while True:
            deliverable = [u for u in self._updates if self._is_allowed(u)]
            remaining = deadline - asyncio.get_running_loop().time()
            if deliverable or remaining <= 0 or self._closing:
                return deliverable[:limit]
            self._updates_pushed.clear()
            try:
                await asyncio.wait_for(self._updates_pushed.wait(), remaining)
            except TimeoutError:
                pass

    def _is_allowed(self, update: dict[str, Any]) -> bool:
        if self._allowed_updates is None:
            return True
        return any(kind in update for kind in self._allowed_updates)

    def _deliverable_chat(self, chat_id: object) -> dict[str, Any]:
        """Return the chat a message goes to, after the blocked-bot and flood checks."""
        chat = self._chat_object(str(chat_id))
        if str(chat["id"]) in self._blocked_chat_ids:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if self.flood_limits is not None:
            self._enforce_flood_limits(self.flood_limits, chat)
        return chat

    async def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._require(params, "chat_id")
        text = str(self._require(params, "text"))
        _check_text(text)
        reply_markup = params.get("reply_markup")
        _check_reply_markup(reply_markup)
        chat = self._deliverable_chat(chat_id)

        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "from": self._bot_user(),
            "chat": chat,
            "date": int(time.time()),
            # Telegram trims surrounding whitespace from the text it stores.
            "text": text.strip(),
        }
        if reply_markup and "inline_keyboard" in reply_markup:
            message["reply_markup"] = reply_markup
        self._messages[(str(chat["id"]), message["message_id"])] = message
        return message

    async def _send_document(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._require(params, "chat_id")
        document = self._require(params, "document")
        if isinstance(document, dict):
            data = document["data"]
            if not data:
                raise ApiError(400, "Bad Request: file must be non-empty")
            document_object = {
                "file_id": f"BQAC-fake-{next(self._file_ids)}",
                "file_unique_id": f"fake-{len(self.calls)}",
                "file_name": document["filename"],
                "mime_type": document["content_type"],
                "file_size": len(data),
            }
        else:
            # A file_id or URL of a file Telegram already has; the fake keeps no such files.
            document_object = {"file_id": str(document), "file_unique_id": str(document)}
        caption = params.get("caption")
        if caption is not None and utf16_length(str(caption)) > CAPTION_LIMIT:
            raise ApiError(400, "Bad Request: message caption is too long")
        reply_markup = params.get("reply_markup")
        _check_reply_markup(reply_markup)
        chat = self._deliverable_chat(chat_id)

        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "from": self._bot_user(),
            "chat": chat,
            "date": int(time.time()),
            "document": document_object,
        }
        if caption:
            message["caption"] = str(caption)
        if reply_markup and "inline_keyboard" in reply_markup:
            message["reply_markup"] = reply_markup
        self._messages[(str(chat["id"]), message["message_id"])] = message
        return message

    async def _edit_message_text(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._require_message(params)
        text = str(self._require(params, "text"))
        _check_text(text)
        reply_markup = params.get("reply_markup")
        _check_reply_markup(reply_markup)
        if message["text"] == text.strip() and message.get("reply_markup") == reply_markup:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup "
                "of the message",
            )
        message["text"] = text.strip()
        message["edit_date"] = int(time.time())
        _replace_markup(message, reply_markup)
        return message

    async def _edit_message_reply_markup(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._require_message(params)
        reply_markup = params.get("reply_markup")
        _check_reply_markup(reply_markup)
        if message.get("reply_markup") == reply_markup:
            raise ApiError(400, "Bad Request: message is not modified")
        message["edit_date"] = int(time.time())
        _replace_markup(message, reply_markup)
        return message

    async def _answer_callback_query(self, params: dict[str, Any]) -> bool:
        query_id = str(self._require(params, "callback_query_id"))
        if query_id not in self._open_callback_query_ids:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self._open_callback_query_ids.discard(query_id)
        return True

    async def _set_my_commands(self, params: dict[str, Any]) -> bool:
        commands = self._require(params, "commands")
        if not isinstance(commands, list) or len(commands) > COMMANDS_PER_LIST_LIMIT:
            raise ApiError(400, "Bad Request: commands must be a list of at most 100 BotCommand")
        for command in commands:
            if not COMMAND_PATTERN.fullmatch(str(command.get("command", ""))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            description = str(command.get("description", ""))
            if not 1 <= len(description.strip()) <= COMMAND_DESCRIPTION_LIMIT:
                raise ApiError(400, "Bad Request: command description must be 1-256 characters")
        key = self._commands_key(params)
        self._commands[key] = [
            {"command": command["command"], "description": command["description"]}
            for command in commands
        ]
        return True

    async def _get_my_commands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self._commands.get(self._commands_key(params), [])

    async def _delete_my_commands(self, params: dict[str, Any]) -> bool:
        self._commands.pop(self._commands_key(params), None)
        return True

    # ------------------------------------------------------------------ flood limits

    def _enforce_flood_limits(self, limits: FloodLimits, chat: dict[str, Any]) -> None:
        """Raise a 429 if a message to `chat` now would break a limit, else count it."""
        now = self._monotonic()
        chat_key = str(chat["id"])
        overall = self._accepted_at
        while overall and overall[0] <= now - (1.0 - limits.tolerance):
            overall.popleft()
        if len(overall) >= limits.messages_per_second:
            raise _too_many_requests(1.0)

        in_chat = self._accepted_at_by_chat.setdefault(chat_key, deque())
        gap = now - in_chat[-1] if in_chat else math.inf
        if gap < limits.chat_interval - limits.tolerance:
            raise _too_many_requests(limits.chat_interval - gap)

        group_window = limits.group_window - limits.tolerance
        while in_chat and in_chat[0] <= now - group_window:
            in_chat.popleft()
        if chat["type"] != "private" and len(in_chat) >= limits.group_messages_per_window:
            raise _too_many_requests(in_chat[0] + group_window - now)

        overall.append(now)
        in_chat.append(now)

    # ------------------------------------------------------------------ helpers

    def _commands_key(self, params: dict[str, Any]) -> tuple[str, str]:
        language_code = str(params.get("language_code") or "")
        # The Bot API takes a two-letter ISO 639-1 code here, or none for the default list.
        if language_code and not re.fullmatch(r"[a-z]{2}", language_code):
            raise ApiError(400, f"Bad Request: invalid language code {language_code!r}")
        return _scope_key(params.get("scope")), language_code

    @staticmethod
    def _require(params: dict[str, Any], name: str) -> Any:
        value = params.get(name)
        if value is None or value == "":
            raise ApiError(400, f"Bad Request: {name} is empty")
        return value

    def _require_message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = str(self._require(params, "chat_id"))
        message = self._find_message(chat_id, int(self._require(params, "message_id")))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        return message

    def _find_message(self, chat_id: str, message_id: int | None) -> dict[str, Any] | None:
        if message_id is not None:
            return self._messages.get((chat_id, message_id))
        in_chat = [msg for (chat, _), msg in self._messages.items() if chat == chat_id]
        return in_chat[-1] if in_chat else None

    def _bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    @staticmethod
    def _user_object(
        user_id: int,
        *,
        first_name: str,
        last_name: str | None,
        username: str | None,
        language_code: str | None,
        is_bot: bool,
    ) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        return user

    def _chat_object(self, chat_id: str) -> dict[str, Any]:
        known = self._chats.get(chat_id)
        if known is not None:
            return known
        try:
            numeric_id = int(chat_id)
        except ValueError:
            # "@channelusername" targets are only valid for chats the bot is in.
            raise ApiError(400, "Bad Request: chat not found") from None
        if numeric_id > 0:
            return {"id": numeric_id, "type": "private", "first_name": f"User {numeric_id}"}
        return {"id": numeric_id, "type": "supergroup", "title": f"Chat {numeric_id}"}


_PRIVATE_CHAT_FIELDS = frozenset({"first_name", "last_name", "username"})


def _suffix(filename: str) -> str:
    # Telegram keeps the extension in file_path ("documents/file_3.xlsx").
    _, dot, extension = filename.rpartition(".")
    return f".{extension}" if dot and extension.isalnum() else ""


def _too_many_requests(wait: float) -> ApiError:
    # Telegram gives whole seconds, at least one.
    retry_after = max(1, math.ceil(wait))
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})


def _scope_key(scope: Any) -> str:
    if not scope:
        return "default"
    if isinstance(scope, str):
        scope = json.loads(scope)
    return json.dumps(scope, sort_keys=True)


def _check_text(text: str) -> None:
    if not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if utf16_length(text) > MESSAGE_TEXT_LIMIT:
        raise ApiError(400, "Bad Request: message is too long")


def _check_reply_markup(reply_markup: Any) -> None:
    if reply_markup is None:
        return
    if not isinstance(reply_markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    for row in reply_markup.get("inline_keyboard", []):
        for button in row:
            if not str(button.get("text", "")).strip():
                raise ApiError(400, "Bad Request: inline keyboard button text must be non-empty")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode("utf-8")) <= CALLBACK_DATA_LIMIT:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")


def _replace_markup(message: dict[str, Any], reply_markup: Any) -> None:
    if reply_markup and reply_markup.get("inline_keyboard"):
        message["reply_markup"] = reply_markup
    else:
        message.pop("reply_markup", None)


async def _read_params(request: web.Request) -> dict[str, Any]:
    """Collect the call's parameters from the query string and a JSON, form or multipart body."""
    params: dict[str, Any] = {
        name: _decode_param(name, value) for name, value in request.query.items()
    }
    if not request.can_read_body:
        return params
    if request.content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            params.update(body)
        return params
    form = await request.post()
    for name, value in form.items():
        if isinstance(value, web.FileField):
            params[name] = {
                "filename": value.filename,
                "content_type": value.content_type,
                "data": value.file.read(),
            }
        else:
            params[name] = _decode_param(name, str(value))
    return params
