"""Default follow-up cadence, in days, by customer tier.

Source: the team's sales playbook defaults (A hot every 3 days, B warm every 7, C cold every
30, existing buyers with a won deal a monthly check-in). Teams and customers override them.
"""

from __future__ import annotations

DEFAULT_CADENCE_DAYS: dict[str, int] = {"A": 3, "B": 7, "C": 30}

WON_CHECKIN_DAYS = 30

TIER_ORDER: dict[str, int] = {"A": 0, "B": 1, "C": 2}
