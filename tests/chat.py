"""A member talking to the real router, as a transport would hand their messages over."""

from __future__ import annotations

from bot.transports.base import Attachment, Incoming, Reply
from handlers.router import Router


class Chat:
    def __init__(
        self,
        router: Router,
        *,
        user_id: str,
        name: str = "",
        locale: str = "zh-hans",
        group_id: str | None = None,
    ) -> None:
        """Talk in a private chat, or in the group `group_id` when given."""
        self.router = router
        self.user_id = user_id
        self.chat_id = group_id or user_id
        self.is_private = group_id is None
        self.name = name or f"user{user_id}"
        self.locale = locale
        self.last: list[Reply] = []

    async def send(self, text: str) -> list[Reply]:
        incoming = Incoming(
            platform="test",
            user_id=self.user_id,
            chat_id=self.chat_id,
            text=text,
            display_name=self.name,
            locale=self.locale,
            is_private=self.is_private,
        )
        self.last = await self.router.handle(incoming)
        return self.last

    async def send_file(self, filename: str, data: bytes, *, caption: str = "") -> str:
        """Send a file with an optional caption, as a document, and return the replies' text."""
        incoming = Incoming(
            platform="test",
            user_id=self.user_id,
            chat_id=self.chat_id,
            text=caption,
            display_name=self.name,
            locale=self.locale,
            is_private=self.is_private,
            attachment=Attachment(filename=filename, data=data),
        )
        self.last = await self.router.handle(incoming)
        return "\n".join(reply.text for reply in self.last)

    async def say(self, text: str) -> str:
        """Send a message and return the replies' text joined by newlines."""
        return "\n".join(reply.text for reply in await self.send(text))

    async def press(self, data: str) -> str:
        incoming = Incoming(
            platform="test",
            user_id=self.user_id,
            chat_id=self.chat_id,
            callback_data=data,
            display_name=self.name,
            locale=self.locale,
            is_private=self.is_private,
        )
        self.last = await self.router.handle(incoming)
        return "\n".join(reply.text for reply in self.last)
