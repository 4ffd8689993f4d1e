"""Handler context: the message, one open unit of work, the member and their language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.errors import AccessDenied, UserError
from bot.i18n import N_, Translator
from bot.models import Customer, Member, Team
from bot.transports.base import Incoming
from reminders.planner import due_date


@dataclass
class HandlerContext:
    incoming: Incoming
    session: AsyncSession
    team: Team
    member: Member | None
    t: Translator
    now: datetime
    settings: Settings

    def require_member(self) -> Member:
        if self.member is None or not self.member.active:
            raise AccessDenied(N_("Send /start first to join your team."))
        return self.member


def member_zone(context: HandlerContext) -> str:
    return context.member.zone if context.member else context.team.default_zone


def member_today(context: HandlerContext) -> date:
    """Return the acting member's local date, which relative dates (明天, next Friday) count from."""
    return context.now.astimezone(ZoneInfo(member_zone(context))).date()


def next_followup_date(context: HandlerContext, customer: Customer) -> date:
    """Return the date of the customer's next follow-up as the acting member counts it."""
    due, _is_checkin = due_date(
        customer, team_overrides=context.team.cadence_overrides or {}, rep_zone=member_zone(context)
    )
    return due


class ChoiceRequired(UserError):
    """Asks the member to choose from numbered options before the command can go on.

    The command run after the reply is `before` + the chosen value + `after`; `labels` are
    shown and `values` are what a number chooses. With `free_text`, a typed reply that is
    not a number is used as it is.
    """

    def __init__(
        self,
        message: str,
        *,
        before: str,
        after: str = "",
        labels: list[str],
        values: list[str],
        free_text: bool = False,
        more: int = 0,
        **params: object,
    ) -> None:
        super().__init__(message, **params)
        self.before = before
        self.after = after
        self.labels = labels
        self.values = values
        self.free_text = free_text
        # Matches left out of the list; the member is asked to write more of the name.
        self.more = more
