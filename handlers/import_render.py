"""The text of import previews and summaries, in the member's language."""

from __future__ import annotations

from collections.abc import Sequence

from bot.errors import CountryCode, MarketNames
from bot.i18n import N_, Translator
from bot.services.import_rows import (
    SAME_EMAIL_DOMAIN,
    SAME_NAME,
    SAME_PHONE,
    ColumnRef,
    DuplicateRow,
    ImportPreview,
    ImportResult,
    Reason,
    RowIssue,
)
from bot.transports.base import Button, Reply
from handlers.render import localized_param
from handlers.sheet_mapping import ColumnMapping, fold_header
from handlers.sheet_reader import SheetBook, SheetTable

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


def column_label(column: ColumnRef, *, t: Translator) -> str:
    """Name a column in the reader's language: "phone (column 电话)", or "电话" when both agree."""
    label = _field_label(column.field, t=t)
    header = column.header.strip()
    if not header or fold_header(header) == fold_header(label):
        return label
    # Translators: a customer field and the sheet column it came from, e.g. "phone (column 手机)".
    return t.gettext("%(field)s (column %(header)s)", field=label, header=header)


def _message(message: str, params: dict[str, object], *, t: Translator) -> str:
    # A reason quotes the cell; a cell of a whole page is cut so that the list stays readable.
    shown: dict[str, object] = {}
    for key, value in params.items():
        if isinstance(value, ColumnRef):
            value = column_label(value, t=t)
        elif isinstance(value, (CountryCode, MarketNames)):
            value = localized_param(value, t)
        elif isinstance(value, Reason):
            value = _message(value.message, value.params, t=t)
        elif isinstance(value, str) and len(value) > MAX_QUOTED_CHARS:
            value = value[:MAX_QUOTED_CHARS] + "…"
        shown[key] = value
    return t.gettext(message, **shown)


def issue_line(issue: RowIssue, *, t: Translator) -> str:
    reason = _message(issue.message, issue.params, t=t)
    if issue.sheet is not None:
        # Translators: a row of one worksheet of several, e.g. "老客户 第 3 行：…".
        return t.gettext("%(sheet)s, row %(row)s: %(reason)s", sheet=issue.sheet, row=issue.row, reason=reason)
    return t.gettext("Row %(row)s: %(reason)s", row=issue.row, reason=reason)


def duplicate_line(duplicate: DuplicateRow, *, t: Translator) -> str:
    reasons = join_words([t.gettext(DUPLICATE_REASON_LABELS[reason]) for reason in duplicate.reasons], t=t)
    if duplicate.sheet is not None:
        return _sheet_duplicate_line(duplicate, reasons=reasons, t=t)
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
    if duplicate.in_pool:
        return t.gettext(
            "Row %(row)s: same %(reasons)s as a customer in the team's pool; claim it with /claim.",
            row=duplicate.row,
            reasons=reasons,
        )
    return t.gettext(
        "Row %(row)s: same %(reasons)s as a customer already registered in the team.",
        row=duplicate.row,
        reasons=reasons,
    )


def _sheet_duplicate_line(duplicate: DuplicateRow, *, reasons: str, t: Translator) -> str:
    """Render the duplicate line of a workbook with several sheets, where every row names its sheet."""
    if duplicate.of_row is not None:
        return t.gettext(
            "%(sheet)s, row %(row)s: same %(reasons)s as %(other_sheet)s, row %(other)s.",
            sheet=duplicate.sheet,
            row=duplicate.row,
            reasons=reasons,
            other_sheet=duplicate.of_sheet,
            other=duplicate.of_row,
        )
    if duplicate.existing_id is not None:
        return t.gettext(
            "%(sheet)s, row %(row)s: same %(reasons)s as your customer #%(id)s %(name)s.",
            sheet=duplicate.sheet,
            row=duplicate.row,
            reasons=reasons,
            id=duplicate.existing_id,
            name=duplicate.existing_name,
        )
    if duplicate.in_pool:
        return t.gettext(
            "%(sheet)s, row %(row)s: same %(reasons)s as a customer in the team's pool; claim it with /claim.",
            sheet=duplicate.sheet,
            row=duplicate.row,
            reasons=reasons,
        )
    return t.gettext(
        "%(sheet)s, row %(row)s: same %(reasons)s as a customer already registered in the team.",
        sheet=duplicate.sheet,
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


def sheet_lines(
    book: SheetBook,
    sheets: Sequence[tuple[SheetTable, ColumnMapping]],
    *,
    without_customers: Sequence[str] = (),
    t: Translator,
) -> list[str]:
    """Describe each table read, with its columns, and the worksheets skipped."""
    lines: list[str] = []
    if book.workbook_as_csv:
        lines.append(t.gettext("%(name)s is an Excel workbook with a .csv name; it was read as a workbook.", name=book.filename))
    for table, mapping in sheets:
        if len(sheets) == 1:
            lines.append(
                t.ngettext(
                    "%(name)s: %(count)s row under the header on row %(header)s.",
                    "%(name)s: %(count)s rows under the header on row %(header)s.",
                    len(table.rows),
                    name=book.filename,
                    header=table.header_row,
                )
            )
        else:
            lines.append(
                t.ngettext(
                    "Sheet %(sheet)s: %(count)s row under the header on row %(header)s.",
                    "Sheet %(sheet)s: %(count)s rows under the header on row %(header)s.",
                    len(table.rows),
                    sheet=table.sheet_name,
                    header=table.header_row,
                )
            )
        lines += mapping_lines(mapping, t=t)
    if book.skipped_sheets:
        lines.append(
            t.gettext(
                "Sheets without a header row, not read: %(sheets)s.", sheets=t.gettext(", ").join(book.skipped_sheets)
            )
        )
    if without_customers:
        lines.append(
            t.gettext(
                "Sheets without a company or country column, not read: %(sheets)s.",
                sheets=t.gettext(", ").join(without_customers),
            )
        )
    return lines


def render_preview(
    preview: ImportPreview,
    *,
    book: SheetBook,
    sheets: Sequence[tuple[SheetTable, ColumnMapping]],
    without_customers: Sequence[str] = (),
    t: Translator,
) -> Reply:
    """Render the preview with the buttons that confirm or cancel it; `sheets` are the tables read."""
    lines = [
        *sheet_lines(book, sheets, without_customers=without_customers, t=t),
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
