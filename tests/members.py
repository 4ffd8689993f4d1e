"""Bring a chat into the team with a role, the way a real member would join."""

from __future__ import annotations

from sqlalchemy import update

from bot.models import Identity, Member, Role
from tests.chat import Chat


async def enroll(chat: Chat, *, admin: Chat, role: str = "rep", args: str = "") -> str:
    """Join the team as `role` ("rep", "manager" or "admin") and return the welcome text.

    `admin` is a chat of the team's admin, who hands out the invitation.
    """
    # NOTE: until invitations exist, the role is set directly after an open /start.
    welcome = await chat.say(f"/start {args}".strip())
    if role != "rep":
        async with chat.router.store.session() as session, session.begin():
            member_id = (
                await session.execute(
                    Identity.__table__.select().where(Identity.external_id == chat.user_id)
                )
            ).first().member_id
            await session.execute(update(Member).where(Member.id == member_id).values(role=Role(role)))
    return welcome
