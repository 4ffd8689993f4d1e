"""/audit for admins and managers, and the audit hooks every command runs through."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from bot.errors import AccessDenied, NotFound, ParseError
from bot.i18n import N_, Translator
from bot.models import AuditEvent, Customer, Member
from bot.services import audit as audit_service
from bot.services.alerts import BULK_READ_ACTION, check_bulk_read
from bot.services.members import is_manager
from bot.services.exports import EXPORT_ACTION, EXPORT_REFUSED_ACTION
from bot.services.pool import POOL_CLAIM_ACTION, POOL_LIST_ACTION, POOL_RELEASE_ACTION
from bot.transports.base import Reply
from handlers.context import HandlerContext
from handlers.router import Handler, Router
from reminders.alerts import describe_chat

AUDIT_USAGE = N_("Write /audit @NAME [DAYS] to read a member's audit log, or /audit limit 30 to set the bulk-read alert (admins, managers).")
AUDIT_TIME_FORMAT = "%Y-%m-%d %H:%M"
# A word meant as the number of days, valid or not: "7", "-5", "+3", "30d", "30天".
_NUMBER_LIKE = re.compile(r"[+-]?\d+(?:d|天)?")

# Audit action -> its name in /audit. Source: the actions services record. Others show their code.
ACTION_LABELS: dict[str, str] = {
    audit_service.CARD_READ_ACTION: N_("read card"),
    audit_service.SEARCH_ACTION: N_("search listed"),
    audit_service.WRITE_ACTION: N_("changed"),
    audit_service.AUDIT_READ_ACTION: N_("read the audit log"),
    BULK_READ_ACTION: N_("bulk-read alert"),
    EXPORT_ACTION: N_("exported the team's data"),
    EXPORT_REFUSED_ACTION: N_("export refused"),
    POOL_CLAIM_ACTION: N_("claimed from the pool"),
    POOL_LIST_ACTION: N_("listed the pool"),
    POOL_RELEASE_ACTION: N_("customer returned to the pool"),
    "import": N_("imported customers"),
}
# Command -> the name of its write events in /audit, for commands with a clearer name than "changed".
WRITE_COMMAND_LABELS: dict[str, str] = {
    "add": N_("registered a customer"),
    "start": N_("joined the team"),
    "deal": N_("changed a deal"),
    "log": N_("logged a follow-up"),
    "done": N_("logged a follow-up"),
}


async def audit_card_read(context: HandlerContext, customer: Customer, *, command: str = "card") -> None:
    """Record a read of one customer's details and alert the managers past the bulk-read limit.

    Every command that shows one customer's details calls this: /card, /draft, /reply,
    /check 客户: and /cadence NAME. Lists of the member's own due work (/today, the digest)
    are not recorded as reads.
    """
    member = context.require_member()
    incoming = context.incoming
    await audit_service.record(
        context.session,
        actor=member,
        action=audit_service.CARD_READ_ACTION,
        now=context.now,
        customer_id=customer.id,
        platform=incoming.platform,
        chat_id=incoming.chat_id,
        command=command,
    )
    await check_bulk_read(
        context.session, actor=member, team=context.team, now=context.now, platform=incoming.platform, chat_id=incoming.chat_id
    )


async def audit_listing(context: HandlerContext, customers: list[Customer], *, command: str) -> None:
    """Record which customers a search result listed."""
    incoming = context.incoming
    await audit_service.record_search(
        context.session,
        actor=context.require_member(),
        customer_ids=[customer.id for customer in customers],
        now=context.now,
        platform=incoming.platform,
        chat_id=incoming.chat_id,
        command=command,
    )


def audited(name: str, handler: Handler) -> Handler:
    """Wrap a command so that whatever it writes is recorded as one "write" audit event."""

    async def run(context: HandlerContext, args: str) -> list[Reply]:
        with audit_service.WriteTracker(context.session) as tracker:
            replies = await handler(context, args)
            await context.session.flush()
        member = context.member
        if member is not None:
            await audit_service.record_writes(
                context.session,
                actor=member,
                tracker=tracker,
                command=name,
                now=context.now,
                platform=context.incoming.platform,
                chat_id=context.incoming.chat_id,
            )
        return replies

    return run


def audit_every_command(router: Router) -> Router:
    """Wrap every handler of `router` with `audited`; call once, after all commands are added."""
    for name, handler in list(router.handlers.items()):
        router.handlers[name] = audited(name, handler)
    return router


def _describe(event: AuditEvent, *, t: Translator, zone: str) -> str:
    when = event.at.astimezone(ZoneInfo(zone)).strftime(AUDIT_TIME_FORMAT)
    label = ACTION_LABELS.get(event.action)
    if event.action == audit_service.WRITE_ACTION:
        label = WRITE_COMMAND_LABELS.get(event.command or "", label)
    parts = [when, t.gettext(label) if label else event.action]
    customer_ids = event.detail.get("customer_ids") if isinstance(event.detail, dict) else None
    if event.customer_id is not None:
        parts.append(f"#{event.customer_id}")
    elif isinstance(customer_ids, list) and customer_ids:
        shown = " ".join(f"#{customer_id}" for customer_id in customer_ids[:10])
        more = len(customer_ids) - 10
        parts.append(shown + (t.gettext(" …and %(count)s more", count=more) if more > 0 else ""))
    elif isinstance(event.detail.get("count"), int):
        parts.append(t.ngettext("%(count)s customer", "%(count)s customers", int(event.detail["count"])))
    if event.command:
        parts.append(f"/{event.command}")
    if event.platform:
        parts.append(describe_chat(event.platform, event.chat_id, t=t))
    return " · ".join(parts)


async def _subject_and_days(context: HandlerContext, words: list[str]) -> tuple[Member, int]:
    """Read "NAME [DAYS]": the member and the look-back in days.

    The last word is the days when it looks like a number ("7", "-5", "30d") or when the
    whole text names no member but the words before it do, so "/audit @Ann abc" says that
    'abc' is not a number of days instead of that nobody is called 'Ann abc'.
    """
    session = context.session
    team = context.team
    last = words[-1]
    if len(words) == 1:
        return await audit_service.find_team_member(session, team=team, text=last), audit_service.parse_days(None)
    if _NUMBER_LIKE.fullmatch(last):
        days = audit_service.parse_days(last)
        return await audit_service.find_team_member(session, team=team, text=" ".join(words[:-1])), days
    try:
        subject = await audit_service.find_team_member(session, team=team, text=" ".join(words))
    except NotFound:
        subject = await audit_service.find_team_member(session, team=team, text=" ".join(words[:-1]))
        return subject, audit_service.parse_days(last)
    return subject, audit_service.parse_days(None)


async def cmd_audit(context: HandlerContext, args: str) -> list[Reply]:
    """Show a member's audit events, newest first; or set the team's bulk-read limit."""
    member = context.require_member()
    words = args.split()
    t = context.t
    if not words:
        raise ParseError(AUDIT_USAGE)
    if words[0].lower() == "limit":
        if len(words) != 2:
            raise ParseError(AUDIT_USAGE)
        limit = await audit_service.set_bulk_read_limit(context.session, actor=member, team=context.team, text=words[1])
        text = t.ngettext(
            "Managers are now alerted when a rep reads more than %(limit)s customer card within an hour.",
            "Managers are now alerted when a rep reads more than %(limit)s customer cards within an hour.",
            limit,
            limit=limit,
        )
        return [Reply(text=text)]
    if not is_manager(member):
        # Checked before the name is looked up, so a rep learns nothing about who exists.
        raise AccessDenied(N_("Only admins and managers can read the audit log."))
    subject, days = await _subject_and_days(context, words)
    incoming = context.incoming
    log = await audit_service.member_log(
        context.session,
        actor=member,
        team=context.team,
        subject=subject,
        days=days,
        now=context.now,
        platform=incoming.platform,
        chat_id=incoming.chat_id,
    )
    header = t.ngettext(
        # Translators: %(period)s is "last 7 days" or "last 1 day".
        "Audit log of %(name)s, %(period)s: %(count)s event, newest first.",
        "Audit log of %(name)s, %(period)s: %(count)s events, newest first.",
        log.total,
        name=subject.display_name,
        period=t.ngettext("last %(count)s day", "last %(count)s days", days),
    )
    lines = [header] + [_describe(event, t=t, zone=member.zone) for event in log.events]
    if log.total > len(log.events):
        lines.append(t.gettext("…and %(count)s older events not shown.", count=log.total - len(log.events)))
    return [Reply(text="\n".join(lines))]
