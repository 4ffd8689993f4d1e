"""Neutral message types shared by every transport, and the notifier protocol."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Attachment:
    """A file the user sent with a message, already downloaded."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class OutgoingFile:
    """A file the bot sends, e.g. an export workbook; transports deliver it as a document."""

    filename: str
    data: bytes
    mime_type: str


# Awaited with a short status line ("Checking rows: 4,000 of 20,000"); each call replaces
# the previous line. Failures to show it are the transport's to log, never the caller's.
ProgressReporter = Callable[[str], Awaitable[None]]
ChannelCheck = Callable[[], Awaitable[bool]]


@dataclass(frozen=True)
class Incoming:
    """One user message or button press, as every transport hands it to the router.

    `platform` and `user_id` identify the sender on its chat platform ("telegram", "12345");
    `chat_id` is where the reply goes. `locale` is the chat client's language, if known.
    A button press sets `callback_data` and leaves `text` empty. A document sent to the bot
    arrives as `attachment`, with its caption as `text`.
    """

    platform: str
    user_id: str
    chat_id: str
    text: str = ""
    display_name: str = ""
    locale: str | None = None
    callback_data: str | None = None
    is_private: bool = True
    attachment: Attachment | None = None
    # The sender's workspace on platforms that have them (the Slack team id), else None.
    workspace_id: str | None = None
    # Shows a long job's progress in the chat, e.g. one message that the transport edits.
    # Transports that cannot show progress leave it None.
    progress: ProgressReporter | None = field(default=None, compare=False, repr=False)
    # Awaited before a group chat or channel subscribes to something: True when the bot can
    # post there. None where a message from the chat already proves that (Telegram groups).
    can_post_here: ChannelCheck | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Button:
    """An inline button; `data` comes back as `Incoming.callback_data` when pressed."""

    label: str
    data: str


@dataclass(frozen=True)
class Reply:
    """A rendered response: plain text (never markup), optional rows of buttons and a file."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    file: OutgoingFile | None = None


@dataclass(frozen=True)
class Delivery:
    """A message addressed to a member or chat, sent by the dispatcher through a notifier."""

    platform: str
    chat_id: str
    reply: Reply
    reminder_ids: tuple[int, ...] = field(default=())


class DeliveryUnknown(Exception):
    """The request may have reached the chat platform, but no answer came back.

    The message may have been delivered, so the caller must not resend it blindly.
    """


class DeliveryRejected(Exception):
    """The chat platform refused the message for good: the chat is gone, archived, or blocks the bot.

    Sending it again cannot succeed, so the caller marks it failed instead of retrying.
    """


class Notifier(Protocol):
    """Sends messages that no user message asked for: digests and reminders."""

    async def send(self, delivery: Delivery) -> None:
        """Deliver one message; raise on failure so that the reminder stays unsent.

        Raises:
            DeliveryUnknown: when the outcome is unknown, e.g. a timeout after sending.
            DeliveryRejected: when the platform refused the message for good.
        """
        ...
