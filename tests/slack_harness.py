"""A running Slack bot for tests: the real router, store and dispatcher behind a SlackTransport
in HTTP mode, with the Web API pointed at a FakeSlackAPI on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.clock import ManualClock
from bot.config import Settings
from bot.store import Store
from bot.transports.pacing import RateLimiter, RateLimits
from bot.transports.slack import SlackTransport
from handlers.commands import PICK_COMMAND
from handlers.router import Router
from handlers.routes import build_router
from reminders.dispatcher import Dispatcher
from tests.fakes.slack_api import FakeSlackAPI, SlackSender

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
UNPACED = RateLimits(messages_per_second=None, chat_interval=0.0)


def command_names(router: Router) -> set[str]:
    return set(router.handlers) | {PICK_COMMAND}


def message_text(message: dict[str, Any]) -> str:
    """Return the text of a posted message's section blocks, as the user reads it."""
    blocks = message.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return "".join(block["text"]["text"] for block in blocks if block.get("type") == "section")


def button_values(message: dict[str, Any]) -> list[str]:
    blocks = message.get("blocks") or []
    return [element["value"] for block in blocks if block.get("type") == "actions" for element in block["elements"]]


@dataclass
class SlackBot:
    api: FakeSlackAPI
    sender: SlackSender
    transport: SlackTransport
    router: Router
    clock: ManualClock
    dispatcher: Dispatcher

    async def say(self, user_id: str, text: str) -> str:
        """Send `/followup text` from the user's DM and return the reply posted there."""
        channel = self.api.direct_channel(user_id)
        before = len(self.api.posted(channel))
        status, _body, _seconds = await self.sender.command(user_id, text)
        assert status == 200
        await self.api.wait_for_posts(before + 1, channel=channel)
        await self.transport.drain()
        return "\n".join(message_text(post) for post in self.api.posted(channel)[before:])

    async def dm(self, user_id: str, text: str) -> str:
        """Send a direct message and return the reply posted in the DM."""
        channel = self.api.direct_channel(user_id)
        before = len(self.api.posted(channel))
        status, _body, _seconds = await self.sender.message(user_id, text)
        assert status == 200
        await self.api.wait_for_posts(before + 1, channel=channel)
        await self.transport.drain()
        return "\n".join(message_text(post) for post in self.api.posted(channel)[before:])

    async def press(self, user_id: str, value: str) -> str:
        channel = self.api.direct_channel(user_id)
        before = len(self.api.posted(channel))
        status, _body, _seconds = await self.sender.action(user_id, value)
        assert status == 200
        await self.api.wait_for_posts(before + 1, channel=channel)
        await self.transport.drain()
        return "\n".join(message_text(post) for post in self.api.posted(channel)[before:])

    async def advance(self, target: datetime) -> list[dict[str, Any]]:
        before = len(self.api.posted())
        await self.dispatcher.run_until(target, clock=self.clock)
        return self.api.posted()[before:]


@contextlib.asynccontextmanager
async def running_slack_bot(
    *,
    store: Store,
    clock: ManualClock,
    settings: Settings,
    limiter: RateLimiter | None = None,
    progress_interval: float = 0.0,
) -> AsyncIterator[SlackBot]:
    """Run a SlackTransport in HTTP mode against a FakeSlackAPI; progress edits are unthrottled by default."""
    router = build_router(store=store, clock=clock, settings=settings)
    async with FakeSlackAPI() as api:
        transport = SlackTransport(
            bot_token=api.token,
            signing_secret=SIGNING_SECRET,
            handler=router.handle,
            command_names=command_names(router),
            base_url=api.api_url,
            store=store,
            limiter=limiter or RateLimiter(UNPACED),
            http_port=0,
            progress_interval=progress_interval,
        )
        dispatcher = Dispatcher(store=store, clock=clock, notifiers={"slack": transport.notifier}, worker_id="slack-test")
        await transport.start()
        sender = SlackSender(api, url=f"http://127.0.0.1:{transport.port}/slack/events", secret=SIGNING_SECRET)
        try:
            yield SlackBot(api=api, sender=sender, transport=transport, router=router, clock=clock, dispatcher=dispatcher)
        finally:
            await transport.stop()
