"""Customer import from a sheet: a file sent to the bot gives a preview, /import yes writes it.

A private message with an .xlsx or .csv file and no command comes here (handlers/router.py),
and so does `/import` with a file. The caption may map columns: 列: 旺旺=备注.
`/import yes [ID]` confirms and `/import cancel [ID]` discards the pending import; the
preview's buttons send these with the id.
"""

from __future__ import annotations

import asyncio
import logging

from bot.errors import ParseError, UserError
from bot.i18n import N_
from bot.models import Member
from bot.services import imports as import_service
from bot.services.import_rows import ImportRow, RowIssue
from bot.transports.base import Attachment, Reply
from handlers.context import HandlerContext, member_today
from handlers.import_render import render_preview, render_result
from handlers.sheet_columns import MISSING_COLUMN_EXAMPLES, SHEET_COLUMNS, export_header
from handlers.sheet_mapping import ColumnMapping, map_columns, parse_column_map
from handlers.sheet_reader import SheetError, SheetTable, read_book
from handlers.sheet_rows import RowChecker

logger = logging.getLogger(__name__)

IMPORT_USAGE = N_(
    "Send me your customer sheet as an .xlsx or .csv file, and I will show what it would import. "
    "Nothing is written until you confirm with /import yes."
)
IMPORT_ACTION_UNKNOWN = N_("'%(value)s' is not an import action. Write /import yes or /import cancel.")
IMPORT_ID_INVALID = N_("Import id '%(value)s' is not a number. Write e.g. /import yes 12.")
COLUMN_MISSING = N_(
    "%(name)s has no %(headers)s column. Rename that column to %(header)s, or map it in the file's caption, "
    "e.g. 列: %(example)s=%(header)s."
)
IMPORT_CANCELLED = N_("Import of %(name)s cancelled. Nothing was imported.")
CHECKING_ROWS = N_("Checking rows: %(done)s of %(total)s…")
WRITING_ROWS = N_("Importing customers: %(done)s of %(total)s…")

# Words after /import that confirm or discard the pending import, in English and Chinese.
CONFIRM_WORDS = frozenset({"yes", "y", "ok", "confirm", "是", "好", "确认", "确定"})
CANCEL_WORDS = frozenset({"cancel", "no", "n", "discard", "取消", "否", "不"})
# Columns without which no row can be imported.
REQUIRED_FIELDS = ("company", "country")
# Rows are checked in chunks of this size, off the event loop, with progress after each.
# A sheet of at most one chunk shows no progress.
CHECK_CHUNK_ROWS = 2_000


async def cmd_import(context: HandlerContext, args: str) -> list[Reply]:
    """Preview a customer sheet sent as a file, or confirm or cancel the pending import."""
    member = context.require_member()
    attachment = context.incoming.attachment
    if attachment is not None:
        return [await _preview(context, member=member, attachment=attachment, caption=args)]
    action, _, rest = args.strip().partition(" ")
    if not action:
        return [Reply(text=context.t.gettext(IMPORT_USAGE))]
    folded = action.casefold()
    if folded in CONFIRM_WORDS:
        pending_id, check = _pending_reference(rest)
        return [await _confirm(context, member=member, pending_id=pending_id, check=check)]
    if folded in CANCEL_WORDS:
        pending_id, check = _pending_reference(rest)
        filename = await import_service.cancel_import(
            context.session, actor=member, pending_id=pending_id, now=context.now, check=check
        )
        return [Reply(text=context.t.gettext(IMPORT_CANCELLED, name=filename))]
    raise UserError(IMPORT_ACTION_UNKNOWN, value=action)


def _pending_reference(text: str) -> tuple[int | None, str | None]:
    """Read "[ID [CHECK]]" after yes or cancel; a button sends the check, a rep types the id alone."""
    words = text.split()
    if not words:
        return None, None
    value = words[0].removeprefix("#")
    if not value.isdigit() or len(words) > 2:
        raise ParseError(IMPORT_ID_INVALID, value=text.strip())
    return int(value), words[1] if len(words) == 2 else None


async def _report(context: HandlerContext, text: str) -> None:
    progress = context.incoming.progress
    if progress is not None:
        await progress(text)


async def _preview(context: HandlerContext, *, member: Member, attachment: Attachment, caption: str) -> Reply:
    overrides = parse_column_map(caption, locale=context.t.locale)
    # Reading a large workbook takes seconds of CPU; a thread keeps the event loop serving.
    book = await asyncio.to_thread(read_book, attachment.filename, attachment.data, overrides=overrides)
    sheets: list[tuple[SheetTable, ColumnMapping]] = []
    # A workbook's other sheets (deals, an export's summary) may have headers but no customers.
    without_customers: list[str] = []
    first_missing: SheetError | None = None
    for table in book.tables:
        mapping = map_columns(table.headers, overrides=overrides)
        name = book.filename if len(book.tables) == 1 else f"{book.filename} › {table.sheet_name}"
        try:
            _require_columns(name, mapping, locale=context.t.locale)
        except SheetError as error:
            first_missing = first_missing or error
            without_customers.append(table.sheet_name or name)
            continue
        sheets.append((table, mapping))
    if not sheets:
        assert first_missing is not None  # a book has at least one table
        raise first_missing
    if without_customers:
        logger.info("import sheets without customer columns skipped count=%d", len(without_customers))
    rows, invalid, warnings = await _check_rows(context, sheets=sheets)
    preview = await import_service.preview_import(
        context.session,
        actor=member,
        filename=attachment.filename,
        rows=rows,
        invalid=invalid,
        warnings=warnings,
        now=context.now,
    )
    return render_preview(preview, book=book, sheets=sheets, without_customers=without_customers, t=context.t)


def _require_columns(name: str, mapping: ColumnMapping, *, locale: str) -> None:
    for field in REQUIRED_FIELDS:
        if field not in mapping.columns:
            chinese, english = SHEET_COLUMNS[field]
            raise SheetError(
                COLUMN_MISSING,
                name=name,
                headers=" / ".join((chinese[0], english[0])),
                header=export_header(field, locale),
                example=MISSING_COLUMN_EXAMPLES[field],
            )


async def _check_rows(
    context: HandlerContext, *, sheets: list[tuple[SheetTable, ColumnMapping]]
) -> tuple[list[ImportRow], list[RowIssue], list[RowIssue]]:
    """Check the rows of every table; with several sheets, rows and issues name their sheet."""
    today = member_today(context)
    several = len(sheets) > 1
    rows: list[ImportRow] = []
    invalid: list[RowIssue] = []
    warnings: list[RowIssue] = []
    total = sum(len(table.rows) for table, _mapping in sheets)
    done = 0
    for table, mapping in sheets:
        checker = RowChecker(
            table=table,
            mapping=mapping,
            today=today,
            locale=context.t.locale,
            sheet=table.sheet_name if several else None,
        )
        for start in range(0, len(table.rows), CHECK_CHUNK_ROWS):
            chunk = table.rows[start : start + CHECK_CHUNK_ROWS]
            for checked in await asyncio.to_thread(checker.check_many, chunk):
                if checked.row is not None:
                    rows.append(checked.row)
                if checked.invalid is not None:
                    invalid.append(checked.invalid)
                warnings.extend(checked.warnings)
            done += len(chunk)
            if total > CHECK_CHUNK_ROWS:
                await _report(context, context.t.gettext(CHECKING_ROWS, done=done, total=total))
    return rows, invalid, warnings


async def _confirm(context: HandlerContext, *, member: Member, pending_id: int | None, check: str | None) -> Reply:
    async def on_progress(done: int, total: int) -> None:
        if total > import_service.INSERT_BATCH_ROWS:
            await _report(context, context.t.gettext(WRITING_ROWS, done=done, total=total))

    incoming = context.incoming
    result = await import_service.confirm_import(
        context.session,
        actor=member,
        pending_id=pending_id,
        now=context.now,
        check=check,
        platform=incoming.platform,
        chat_id=incoming.chat_id,
        on_progress=on_progress,
    )
    return render_result(result, t=context.t)
