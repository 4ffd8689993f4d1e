"""The text of import previews and summaries, in the member's language."""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import N_, Translator
from bot.services.import_rows import (
    SAME_EMAIL_DOMAIN,
    SAME_NAME,
    SAME_PHONE,
    DuplicateRow,
    ImportPreview,
    ImportResult,
    RowIssue,
)
from bot.transports.base import Button, Reply
from handlers.sheet_mapping import ColumnMapping
from handlers.sheet_reader import SheetTable

# A preview lists at most this many rows per section, so it stays a few messages long.
MAX_LISTED_ROWS = 20
# A reason quotes at most this many characters of a cell.
MAX_QUOTED_CHARS = 80

# Customer fields as the preview names them beside the sheet's headers.
FIELD_LABELS: dict[str, str] = {
    "company": N_("company name"),
    "country": N_("country"),
    "subdivision": N_("state/province"),
    "zone": N_("time zone"),
    "city": N_("city (for the time zone)"),
    "contact": N_("contact"),
    "role": N_("contact's role"),
    "email": N_("email"),
    "phone": N_("phone"),
    "birthday": N_("birthday"),
    "tier": N_("tier"),
    "source": N_("source"),
    "last_contact": N_("last contact"),
    "note": N_("note"),
    "tags": N_("tags"),
    "owner": N_("owner"),
}

DUPLICATE_REASON_LABELS: dict[str, str] = {
    SAME_NAME: N_("company name"),
    SAME_EMAIL_DOMAIN: N_("email domain"),
    SAME_PHONE: N_("phone"),
}


def _field_label(field: str, *, t: Translator) -> str:
    return t.gettext(FIELD_LABELS.get(field, field))


def join_words(words: Sequence[str], *, t: Translator) -> str:
    """Join words as a sentence lists them: "a", "a and b", "a, b and c"."""
    if len(words) < 2:
        return "".join(words)
    # Translators: the separator between the first items of a list, "a, b and c".
    head = t.gettext(", ").join(words[:-1])
    return t.gettext("%(first)s and %(last)s", first=head, last=words[-1])


def _listed(lines: Sequence[str], *, t: Translator) -> list[str]:
    """Indent list lines and cut the list at MAX_LISTED_ROWS with a count of the rest."""
    listed = [f"  {line}" for line in lines[:MAX_LISTED_ROWS]]
    if len(lines) > MAX_LISTED_ROWS:
        listed.append("  " + t.gettext("…and %(count)s more.", count=len(lines) - MAX_LISTED_ROWS))
    return listed


def issue_line(issue: RowIssue, *, t: Translator) -> str:
    # A reason quotes the cell; a cell of a whole page is cut so that the list stays readable.
    params = {
        key: value[:MAX_QUOTED_CHARS] + "…" if isinstance(value, str) and len(value) > MAX_QUOTED_CHARS else value
        for key, value in issue.params.items()
    }
    return t.gettext("Row %(row)s: %(reason)s", row=issue.row, reason=t.gettext(issue.message, **params))


def duplicate_line(duplicate: DuplicateRow, *, t: Translator) -> str:
    reasons = join_words([t.gettext(DUPLICATE_REASON_LABELS[reason]) for reason in duplicate.reasons], t=t)
    if duplicate.of_row is not None:
        return t.gettext(
            "Row %(row)s: same %(reasons)s as row %(other)s.", row=duplicate.row, reasons=reasons, other=duplicate.of_row
        )
    if duplicate.existing_id is not None:
        return t.gettext(
            "Row %(row)s: same %(reasons)s as your customer #%(id)s %(name)s.",
            row=duplicate.row,
            reasons=reasons,
            id=duplicate.existing_id,
            name=duplicate.existing_name,
        )
    return t.gettext(
        "Row %(row)s: same %(reasons)s as a customer already registered in the team.",
        row=duplicate.row,
        reasons=reasons,
    )


def mapping_lines(mapping: ColumnMapping, *, t: Translator) -> list[str]:
    """Describe which column fills which field, and which columns are left out and why."""
    # Translators: one sheet column and the customer field it fills, e.g. "客户名称 → company name".
    pairs = [t.gettext("%(header)s → %(field)s", header=header, field=_field_label(field, t=t)) for header, field in mapping.placed]
    lines = [t.gettext("Columns: %(pairs)s.", pairs=t.gettext(", ").join(pairs))]
    left_out = [t.gettext("%(header)s (row numbers)", header=header) for header in mapping.row_numbers]
    left_out += [t.gettext("%(header)s (skipped as asked)", header=header) for header in mapping.skipped]
    left_out += [
        t.gettext("%(header)s (imported customers are yours)", header=header) for header, _field in mapping.not_imported
    ]
    left_out += [
        t.gettext("%(header)s (%(field)s comes from an earlier column)", header=header, field=_field_label(field, t=t))
        for header, field in mapping.repeated
    ]
    left_out += [t.gettext("%(header)s (unknown column)", header=header) for header in mapping.unplaced]
    if left_out:
        lines.append(t.gettext("Not imported: %(columns)s.", columns=t.gettext(", ").join(left_out)))
    if mapping.unplaced:
        lines.append(
            t.gettext(
                "To import an unknown column, send the file again with a caption such as 列: %(header)s=备注 "
                "(or any column name, or skip).",
                header=mapping.unplaced[0],
            )
        )
    return lines


def render_preview(preview: ImportPreview, *, table: SheetTable, mapping: ColumnMapping, t: Translator) -> Reply:
    """Render the preview with the buttons that confirm or cancel it."""
    lines = [
        t.ngettext(
            "%(name)s: %(count)s row under the header on row %(header)s.",
            "%(name)s: %(count)s rows under the header on row %(header)s.",
            len(table.rows),
            name=preview.filename,
            header=table.header_row,
        ),
        *mapping_lines(mapping, t=t),
        t.gettext(
            "New customers: %(new)s. Duplicates: %(duplicates)s. Invalid rows: %(invalid)s.",
            new=len(preview.new_rows),
            duplicates=len(preview.duplicates),
            invalid=len(preview.invalid),
        ),
    ]
    if preview.duplicates:
        lines.append(t.gettext("Duplicates, left out:"))
        lines += _listed([duplicate_line(duplicate, t=t) for duplicate in preview.duplicates], t=t)
    if preview.invalid:
        lines.append(t.gettext("Invalid rows, left out:"))
        lines += _listed([issue_line(issue, t=t) for issue in preview.invalid], t=t)
    if preview.warnings:
        lines.append(t.gettext("To check:"))
        lines += _listed([issue_line(issue, t=t) for issue in preview.warnings], t=t)

    if preview.pending_id is None:
        lines.append(t.gettext("Nothing to import from %(name)s.", name=preview.filename))
        return Reply(text="\n".join(lines))
    lines.append(t.gettext("Nothing is written until you confirm."))
    count = len(preview.new_rows)
    buttons = (
        (
            Button(
                t.ngettext("Import %(count)s customer", "Import %(count)s customers", count),
                f"/import yes {preview.pending_id} {preview.check}",
            ),
            Button(t.gettext("Cancel"), f"/import cancel {preview.pending_id} {preview.check}"),
        ),
    )
    return Reply(text="\n".join(lines), buttons=buttons)


def render_result(result: ImportResult, *, t: Translator) -> Reply:
    """Render what a confirmed import wrote and what it left out."""
    lines = [
        t.ngettext(
            "Imported %(count)s customer from %(name)s (contacts: %(contacts)s). They are yours.",
            "Imported %(count)s customers from %(name)s (contacts: %(contacts)s). They are yours.",
            result.customers,
            name=result.filename,
            contacts=result.contacts,
        )
    ]
    if result.duplicates or result.invalid:
        left_out = []
        if result.duplicates:
            left_out.append(t.ngettext("%(count)s duplicate", "%(count)s duplicates", result.duplicates))
        if result.invalid:
            left_out.append(t.ngettext("%(count)s invalid row", "%(count)s invalid rows", result.invalid))
        lines.append(t.gettext("Left out as in the preview: %(rows)s.", rows=join_words(left_out, t=t)))
    if result.registered_meanwhile:
        lines.append(
            t.ngettext(
                "%(count)s row was left out because the team registered its customer after the preview:",
                "%(count)s rows were left out because the team registered their customers after the preview:",
                len(result.registered_meanwhile),
            )
        )
        lines += _listed([duplicate_line(duplicate, t=t) for duplicate in result.registered_meanwhile], t=t)
    if result.customers:
        lines.append(
            t.gettext(
                "Follow-up clocks start from the sheet's last-contact date for %(from_sheet)s, "
                "and from today for %(from_today)s. Send /today to see what is due.",
                from_sheet=result.clock_from_sheet,
                from_today=result.customers - result.clock_from_sheet,
            )
        )
    return Reply(text="\n".join(lines))
