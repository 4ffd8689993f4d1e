"""What a handler gets: the message, one open unit of work, the member and their language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.errors import AccessDenied, UserError
from bot.i18n import N_, Translator
from bot.models import Member, Team
from bot.transports.base import Incoming


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


class ChoiceRequired(UserError):
    """Asks the member to choose from numbered options before the command can go on.

    `template` is the command to run once answered, with `{choice}` where the chosen value
    goes; `labels` are shown, `values` are substituted. With `free_text`, a typed answer
    that is not a number is substituted as it is.
    """

    def __init__(
        self,
        message: str,
        *,
        template: str,
        labels: list[str],
        values: list[str],
        free_text: bool = False,
        **params: object,
    ) -> None:
        super().__init__(message, **params)
        self.template = template
        self.labels = labels
        self.values = values
        self.free_text = free_text
