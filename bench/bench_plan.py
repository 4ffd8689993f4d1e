"""Planning cost of one day: every rep's follow-ups, birthdays and holiday greetings.

Data size: 100,000 customers spread over 60 countries and 500 reps (200 each). Every
customer has one contact with a birthday and one open deal, and the last contact dates
spread over the past 60 days. Planning is the pure step (reminders.day_plan.plan_rep_day) that a
digest runs after reading a rep's rows; the rows are built in memory, not read from a
database. Prints the peak memory (the growth of the process's maximum resident set while
planning, with cold holiday caches) and the seconds, the figure last.

Run: python bench/bench_plan.py [--customers 100000] [--reps 500]
"""

from __future__ import annotations

import argparse
import random
import time
import resource
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from bot.models import Contact, Customer, Deal, Stage
from reminders.day_plan import plan_rep_day
from reminders.zones import country_zones

# Sixty buyer countries: the main export markets first, then others with holiday data.
COUNTRIES = (
    "US CA MX BR GB DE FR IT ES NL PL RU TR SA AE EG NG ZA IN PK BD ID MY SG TH VN PH JP KR AU "
    "AR CL CO PE EC UY KE GH MA DZ TN IL JO KW QA OM BH IR IQ LK NP KH MM NZ SE NO DK FI BE PT"
).split()
REP_ZONE = "Asia/Shanghai"


def build_customers(count: int, *, reps: int, now: datetime) -> dict[int, list[Customer]]:
    rng = random.Random(7)
    by_rep: dict[int, list[Customer]] = {rep: [] for rep in range(reps)}
    for number in range(count):
        country = COUNTRIES[number % len(COUNTRIES)]
        customer = Customer(
            id=number + 1,
            team_id=1,
            owner_id=number % reps + 1,
            name=f"Buyer {number:06d}",
            name_key=f"buyer {number:06d}",
            country=country,
            zone=country_zones(country)[0],
            subdivision=None,
            tier="ABC"[number % 3],
            cadence_days=None,
            snoozed_until=None,
            last_contact_at=now - timedelta(days=rng.randrange(60), hours=rng.randrange(24)),
            created_at=now - timedelta(days=90),
        )
        customer.contacts = [
            Contact(
                id=number + 1,
                name=f"Contact {number}",
                birth_month=rng.randrange(1, 13),
                birth_day=rng.randrange(1, 29),
                birth_year=None,
            )
        ]
        customer.deals = [
            Deal(
                id=number + 1,
                product="CTP plate",
                stage=Stage.QUOTED,
                currency="USD",
                value=Decimal(rng.randrange(1_000, 100_000)),
                probability=None,
            )
        ]
        by_rep[number % reps].append(customer)
    return by_rep


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=500)
    args = parser.parse_args()

    now = datetime(2027, 10, 27, 1, 0, tzinfo=timezone.utc)  # 09:00 in Beijing, two days before Diwali
    today = date(2027, 10, 27)
    print(f"data: {args.customers} customers, {len(COUNTRIES)} countries, {args.reps} reps; plan {today}")
    by_rep = build_customers(args.customers, reps=args.reps, now=now)

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    totals = {"followups": 0, "birthdays": 0, "greetings": 0}
    for customers in by_rep.values():
        day = plan_rep_day(
            customers,
            today=today,
            previous_workday=today - timedelta(days=1),
            next_workday=today + timedelta(days=1),
            now=now,
            rep_zone=REP_ZONE,
            team_overrides={},
            greeting_lead_days=2,
        )
        totals["followups"] += len(day.followups)
        totals["birthdays"] += len(day.birthdays)
        totals["greetings"] += len(day.greetings)
    seconds = time.perf_counter() - started
    # ru_maxrss is in kilobytes on Linux.
    peak_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before

    print(f"planned: {totals['followups']} follow-ups, {totals['birthdays']} birthdays, {totals['greetings']} greeting groups")
    print(f"peak memory growth while planning: {peak_growth / 1024:.1f} MB (process peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")
    print(f"seconds to plan one day: {seconds:.2f}")


if __name__ == "__main__":
    main()
