"""Export of the team's data to an Excel workbook, for admins and managers."""

from __future__ import annotations

from bot.errors import ParseError
from bot.i18n import N_
from bot.services.exports import XLSX_MIME_TYPE, export_team, may_export, refuse_export
from bot.transports.base import OutgoingFile, Reply
from handlers.context import HandlerContext

EXPORT_TAKES_NO_OPTIONS = N_(
    "/export takes no options, so '%(value)s' is not understood. "
    "Send /export alone to get the team's customers, deals and interactions as an Excel file."
)
EXPORT_REFUSED = N_(
    "Only admins and managers can export the team's data. "
    "Your request was recorded, and your managers were notified."
)


async def cmd_export(context: HandlerContext, args: str) -> list[Reply]:
    """Send the whole team's customers, deals and interactions as an .xlsx file."""
    member = context.require_member()
    if args.strip():
        raise ParseError(EXPORT_TAKES_NO_OPTIONS, value=args.strip())
    incoming = context.incoming
    t = context.t
    if not may_export(member):
        # A reply rather than an error, because an error would roll back the audit event
        # and the managers' alerts.
        await refuse_export(
            context.session, actor=member, now=context.now, platform=incoming.platform, chat_id=incoming.chat_id
        )
        return [Reply(text=t.gettext(EXPORT_REFUSED))]

    export = await export_team(
        context.session,
        actor=member,
        locale=t.locale,
        now=context.now,
        platform=incoming.platform,
        chat_id=incoming.chat_id,
    )
    counts = export.counts
    summary = t.gettext(
        "Team export of %(date)s: %(customers)s, %(deals)s, %(interactions)s. "
        "Interaction times are in %(zone)s. The export is recorded in the audit log.",
        date=export.local_date.isoformat(),
        customers=t.ngettext("%(count)s customer", "%(count)s customers", counts.customers),
        deals=t.ngettext("%(count)s deal", "%(count)s deals", counts.deals),
        interactions=t.ngettext("%(count)s interaction", "%(count)s interactions", counts.interactions),
        zone=export.zone,
    )
    file = OutgoingFile(filename=export.filename, data=export.data, mime_type=XLSX_MIME_TYPE)
    return [Reply(text=summary, file=file)]
