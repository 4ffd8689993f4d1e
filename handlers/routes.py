"""Wires every command handler into a router: the one place that lists them all."""

from __future__ import annotations

from bot.clock import Clock
from bot.config import Settings
from bot.store import Store
from handlers import cadence, calendar, customers, deals, digest, export, followups, imports, inquiries, members, watchlist
from handlers import check, drafts, terms
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
    return router
