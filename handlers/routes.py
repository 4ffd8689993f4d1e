"""Wires every command handler into a router: the one place that lists them all."""

from __future__ import annotations

from bot.clock import Clock
from bot.config import Settings
from bot.store import Store
from handlers import cadence, calendar, customers, deals, digest, export, followups, imports, inquiries, members, watchlist
from handlers import check, drafts, team, terms
from handlers import link
from handlers import audit, pool
from handlers import prices, stats
from handlers import fx, pipeline, priorities
from handlers.router import Router


def build_router(*, store: Store, clock: Clock, settings: Settings) -> Router:
    router = Router(store=store, clock=clock, settings=settings)
    router.add("start", members.cmd_start)
    router.add("help", members.cmd_help)
    router.add("lang", members.cmd_lang)
    router.add("tz", members.cmd_tz)
    router.add("add", customers.cmd_add)
    router.add("card", customers.cmd_card)
    router.add("find", customers.cmd_find)
    router.add("log", customers.cmd_log)
    router.add("deal", deals.cmd_deal)
    router.add("stage", deals.cmd_stage)
    router.add("today", followups.cmd_today)
    router.add("done", followups.cmd_done)
    router.add("snooze", followups.cmd_snooze)
    router.add("inquiry", inquiries.cmd_inquiry)
    router.add("replied", inquiries.cmd_replied)
    router.add("reply", drafts.cmd_reply)
    router.add("draft", drafts.cmd_draft)
    router.add(drafts.SENT_COMMAND, drafts.cmd_sent)
    router.add("terms", terms.cmd_terms)
    router.add("check", check.cmd_check)
    router.add("watch", watchlist.cmd_watch)
    router.add("cadence", cadence.cmd_cadence)
    router.add("digest", digest.cmd_digest)
    router.add("import", imports.cmd_import)
    router.add("calendar", calendar.cmd_calendar)
    router.add("export", export.cmd_export)
    router.add("link", link.cmd_link)
    router.add("stats", stats.cmd_stats)
    router.add("price", prices.cmd_price)
    router.add("pool", pool.cmd_pool)
    router.add("claim", pool.cmd_claim)
    router.add("audit", audit.cmd_audit)
    router.add("invite", team.cmd_invite)
    router.add("members", team.cmd_members)
    router.add("role", team.cmd_role)
    router.add("market", team.cmd_market)
    router.add("handover", team.cmd_handover)
    router.add("pipeline", pipeline.cmd_pipeline)
    router.add("forecast", pipeline.cmd_forecast)
    router.add("overdue", priorities.cmd_overdue)
    router.add("top", priorities.cmd_top)
    router.add("fx", fx.cmd_fx)
    # Last, so that every command above is audited: whatever it writes is recorded.
    return audit.audit_every_command(router)
