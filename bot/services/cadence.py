"""Per-team and per-customer overrides of the follow-up cadence."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import NotFound
from bot.i18n import N_
from bot.models import Customer, Member, Team
from bot.services.customers import is_owned_by
from reminders.cadence_table import DEFAULT_CADENCE_DAYS, WON_CHECKIN_DAYS

logger = logging.getLogger(__name__)

MAX_CADENCE_DAYS = 365


def team_cadence(team: Team) -> dict[str, int]:
    """Return the days per tier and for won buyers, with the team's overrides applied."""
    cadence = {**DEFAULT_CADENCE_DAYS, "won": WON_CHECKIN_DAYS}
    cadence.update(team.cadence_overrides or {})
    return cadence


def set_team_cadence(team: Team, *, key: str, days: int | None, actor: Member) -> None:
    """Override one tier's days (or 'won'), or drop the override when `days` is None."""
    overrides = dict(team.cadence_overrides or {})
    if days is None:
        overrides.pop(key, None)
    else:
        overrides[key] = days
    # Assign a new dict: SQLAlchemy does not track changes made inside a JSON value.
    team.cadence_overrides = overrides
    logger.info("team cadence set team_id=%s member_id=%s key=%s days=%s", team.id, actor.id, key, days)


async def set_customer_cadence(session: AsyncSession, *, customer: Customer, days: int | None, actor: Member) -> None:
    if not is_owned_by(customer, actor):
        raise NotFound(N_("No customer '%(query)s' among yours. Try /find."), query=customer.name)
    customer.cadence_days = days
    await session.flush()
    logger.info("customer cadence set customer_id=%s member_id=%s days=%s", customer.id, actor.id, days)
