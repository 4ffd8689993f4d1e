"""The one-hour warning before an inquiry's reply deadline."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.models import Inquiry, Member
from bot.transports.base import Reply
from reminders.inquiry_render import render_nudge


async def build_nudge(
    session: AsyncSession, *, inquiry_id: int, member: Member, now: datetime, t: Translator
) -> Reply | str:
    """Render the nudge, or return the reason why none is due any more."""
    inquiry = await session.get(Inquiry, inquiry_id)
    if inquiry is None:
        return "inquiry deleted"
    if inquiry.replied_at is not None:
        return "already replied"
    if inquiry.member_id != member.id:
        return "inquiry has another owner"
    if inquiry.deadline_at <= now:
        # Past the deadline a warning is pointless; the digest lists the late reply.
        return "deadline passed"
    return render_nudge(inquiry, t=t, rep_zone=member.zone, now=now)
