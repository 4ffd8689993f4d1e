"""Check each sheet row with the command parsers and turn it into a customer to import.

A row is invalid when a value cannot be read; the reason is the parser's message, in the
rep's language, with the sheet's row number. A row whose only problem is a birthday in
the future is imported as written and flagged, because that is a typing slip that the
rep should see rather than lose.

Cells come as Excel gives them: text, numbers, or dates. A date column accepts date
cells, Excel serial numbers (45981 is 2025-11-20), and text in the forms parse_date
reads (2027/3/5, 2027年3月5日, 05-Mar-2027, 3月5日).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

import phonenumbers
import pytz
from openpyxl.utils.datetime import from_excel
from phonenumbers import timezone as phone_timezones

from bot.errors import ParseError
from bot.i18n import N_
from bot.services.customers import MAX_NAME_LENGTH, ContactDraft, CustomerDraft, name_key
from bot.services.import_rows import ColumnRef, ImportRow, Reason, RowIssue
from handlers.customers import DEFAULT_TIER, parse_state
from handlers.limits import FIELD_LIMITS
from handlers.parsing import (
    DatePurpose,
    MonthDay,
    country_name,
    normalize_text,
    parse_date,
    parse_email,
    parse_phone,
    parse_source,
    parse_tier,
    resolve_country,
)
from handlers.parsing_dates import BIRTHDAY_IN_FUTURE, BIRTHDAY_NOT_RECOGNISED, DATE_DOES_NOT_EXIST, DATE_NOT_RECOGNISED
from handlers.router import MAX_MESSAGE_CHARS
from handlers.sheet_columns import PLACEHOLDERS, SHEET_COLUMNS, ZERO_PLACEHOLDER_FIELDS, export_header
from handlers.sheet_mapping import ColumnMapping, fold_header
from handlers.sheet_reader import SheetRow, SheetTable
from reminders.zones import country_zones, default_zone, resolve_zone, zone_label

logger = logging.getLogger(__name__)

NO_COMPANY = N_("No company name.")
NO_COUNTRY = N_("No country for %(name)s.")
ZONE_NEEDED = N_(
    "%(country)s spans several time zones, and %(column)s names none I know. "
    "Write a city of %(country)s there, e.g. %(cities)s."
)
ZONE_COLUMN_NEEDED = N_(
    "%(country)s spans several time zones. Add a %(city)s or %(zone)s column to the sheet "
    "and fill it in, e.g. %(cities)s."
)
LAST_CONTACT_IN_FUTURE = N_("Last contact %(date)s is in the future.")
LAST_CONTACT_TOO_OLD = N_("%(column)s %(date)s is before 2000-01-01. Check the year.")
BIRTHDAY_KEPT_IN_FUTURE = N_("Birthday %(date)s is in the future. It was kept as written; check it.")
BIRTHDAY_NOT_READ = N_("%(column)s '%(value)s' is not a date I can read. Write e.g. 1985-03-05, 5.3.1985 or 3月5日.")
LAST_CONTACT_NOT_READ = N_("%(column)s '%(value)s' is not a date I can read. Write e.g. 2026-11-20 or 20.11.2026.")
COLUMN_PROBLEM = N_("%(column)s: %(reason)s")
VALUE_TOO_LONG = N_("%(column)s is too long (%(length)s characters). Use at most %(limit)s.")
EXTRA_VALUES_DROPPED = N_("%(column)s has several values; only the first, %(value)s, was imported.")

# Excel serial numbers run from 1 (1900-01-01) to 2958465 (9999-12-31). A text of five
# digits is read as one: a shorter number such as 1985 is more likely a year.
_MAX_SERIAL = 2_958_465
_SERIAL_TEXT = re.compile(r"\d{5}(?:\.\d+)?")
# A time after a date in a text cell ("2026-11-20 14:30") is dropped: only the date counts.
_TRAILING_TIME = re.compile(r"\s+\d{1,2}:\d{2}(?::\d{2})?$")
_YEAR = re.compile(r"\d{4}")
_ISO_YEARLESS = re.compile(r"--(\d{1,2})-(\d{1,2})")
# Dotted dates in sheets are day.month.year, as Europe writes them (5.3.2027 is 5 March).
_DOTTED_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
# A last-contact date before this is a typing slip (1926 for 2026), not a customer's history.
EARLIEST_LAST_CONTACT = date(2000, 1, 1)
# Separators between several values in one cell. Phones contain spaces, so spaces do not
# separate them.
_EMAIL_SEPARATORS = re.compile(r"[;,，；/、\s]+")
_PHONE_SEPARATORS = re.compile(r"[;,，；/、\n]+")
_TAG_SEPARATORS = re.compile(r"[,，、;；]+")
_PHONE_MARK = re.compile(r"\d")
_EMAIL_MARK = re.compile(r"@.*\.")
_LINE_ENDS = re.compile(r"\r\n?")
# A note column with one of these headers is the note itself. Other columns that fill the
# note (微信, WhatsApp after the first phone) add lines under their own header.
_PLAIN_NOTE_HEADERS = frozenset(fold_header(name) for names in SHEET_COLUMNS["note"] for name in names)

# Columns whose length is checked, with the limit of the database column they fill. The
# note is a text column; like a note sent with /add, it is bounded by the message limit.
_LENGTH_LIMITS = {
    "company": MAX_NAME_LENGTH,
    "contact": FIELD_LIMITS["contact"],
    "role": FIELD_LIMITS["role"],
    "email": FIELD_LIMITS["email"],
    "source": FIELD_LIMITS["source"],
    "note": MAX_MESSAGE_CHARS,
    "tags": MAX_MESSAGE_CHARS,
}
# Stored free text keeps its full-width punctuation ("询价，20尺柜"); only values that are
# matched (countries, tiers, emails, phones) are folded to half width.
# Names (company, contact) are matched for duplicates, and full-width letters in them are
# an input method's slip, so they are folded like keys.
_FREE_TEXT_FIELDS = frozenset({"note"})


@dataclass(frozen=True)
class CheckedRow:
    """The outcome for one row: a customer to import or the reason it is invalid, and warnings."""

    row: ImportRow | None
    invalid: RowIssue | None
    warnings: tuple[RowIssue, ...] = ()


@dataclass(frozen=True)
class CheckedRows:
    rows: tuple[ImportRow, ...]
    invalid: tuple[RowIssue, ...]
    warnings: tuple[RowIssue, ...]


class _RowProblem(Exception):
    """A value of the row cannot be imported; carries the message id and its parameters."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


@dataclass
class RowChecker:
    """Checks rows of one sheet for one member: `today` is the member's local date.

    `sheet` names the worksheet on every row and issue when the file has several.
    """

    table: SheetTable
    mapping: ColumnMapping
    today: date
    locale: str
    sheet: str | None = None
    _headers: dict[str, str] = field(init=False)
    # A sheet names few countries many times, and an unknown one costs a fuzzy search.
    _countries: dict[str, str | ParseError] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._headers = {name: self.table.headers[index] for name, index in self.mapping.columns.items()}

    def _column(self, name: str) -> ColumnRef:
        return ColumnRef(name, self._headers[name])

    def _country(self, text: str) -> str:
        if text not in self._countries:
            try:
                self._countries[text] = resolve_country(text)
            except ParseError as error:
                self._countries[text] = error
        found = self._countries[text]
        if isinstance(found, ParseError):
            # A new error each time, because raising one object again grows its traceback.
            raise ParseError(found.message, **found.params)
        return found

    def check_many(self, rows: Iterable[SheetRow]) -> list[CheckedRow]:
        return [self.check(row) for row in rows]

    def check(self, row: SheetRow) -> CheckedRow:
        """Check one row; a value that cannot be read makes the row invalid instead of raising."""
        warnings: list[RowIssue] = []
        try:
            imported = self._import_row(row, warnings)
        except ParseError as error:
            issue = RowIssue(row.number, error.message, dict(error.params), sheet=self.sheet)
            return CheckedRow(row=None, invalid=issue)
        except _RowProblem as problem:
            return CheckedRow(row=None, invalid=RowIssue(row.number, problem.message, problem.params, sheet=self.sheet))
        return CheckedRow(row=imported, invalid=None, warnings=tuple(warnings))

    # ------------------------------------------------------------------ fields

    def _cell_at(self, row: SheetRow, index: int | None, name: str) -> object:
        if index is None or index >= len(row.cells):
            return None
        value = row.cells[index]
        return None if is_placeholder(value, field=name) else value

    def _cell(self, row: SheetRow, name: str) -> object:
        return self._cell_at(row, self.mapping.columns.get(name), name)

    def _text(self, row: SheetRow, name: str, *, single_line: bool = True) -> str:
        value = self._cell(row, name)
        text = free_text(value) if name in _FREE_TEXT_FIELDS else cell_text(value)
        if single_line:
            text = " ".join(text.split())
        self._check_length(name, text, header=self._headers.get(name, ""))
        return text

    def _check_length(self, name: str, text: str, *, header: str) -> None:
        limit = _LENGTH_LIMITS.get(name)
        if limit is not None and len(text) > limit:
            raise _RowProblem(VALUE_TOO_LONG, column=ColumnRef(name, header), length=len(text), limit=limit)

    def _import_row(self, row: SheetRow, warnings: list[RowIssue]) -> ImportRow:
        name = self._text(row, "company")
        # A name of punctuation alone ("-", "/") has an empty key and names no company.
        if not name_key(name):
            raise _RowProblem(NO_COMPANY)
        country_text = self._text(row, "country")
        if not country_text:
            raise _RowProblem(NO_COUNTRY, name=name)
        country = self._country(country_text)
        subdivision_text = self._text(row, "subdivision")
        subdivision = parse_state(subdivision_text, country=country, locale=self.locale) if subdivision_text else None

        phone, phone_notes = self._phones(row, country=country, warnings=warnings)
        email = self._first_value(row, "email", _EMAIL_SEPARATORS, _EMAIL_MARK, warnings)
        # Imported addresses are stored in lower case, so that one buyer's address typed
        # in two ways by two reps matches. An error quotes the whole cell.
        email = _quoting(parse_email, email, cell=self._text(row, "email")).lower() if email else None
        zone = self._zone(row, country=country, phone=phone)

        tier_text = self._text(row, "tier")
        tier = parse_tier(tier_text) if tier_text else DEFAULT_TIER
        source_text = self._text(row, "source")
        source, source_detail = parse_source(source_text) if source_text else ("other", None)
        birthday = self._birthday(row, warnings)
        last_contact = self._last_contact(row)

        contact_name = self._text(row, "contact")
        role = self._text(row, "role") or None
        contacts: tuple[ContactDraft, ...] = ()
        if contact_name or email or phone or birthday or role:
            contacts = (ContactDraft(name=contact_name, role=role, email=email, phone=phone, birthday=birthday),)
        note = self._note(row, extra_lines=phone_notes)
        tags = tuple(tag.strip() for tag in _TAG_SEPARATORS.split(self._text(row, "tags")) if tag.strip())
        customer = CustomerDraft(
            name=name,
            country=country,
            zone=zone,
            tier=tier,
            subdivision=subdivision,
            source=source,
            source_detail=source_detail,
            note=note,
            tags=tags,
            contacts=contacts,
        )
        return ImportRow(row=row.number, customer=customer, last_contact=last_contact, sheet=self.sheet)

    def _first_value(
        self,
        row: SheetRow,
        name: str,
        separators: re.Pattern[str],
        mark: re.Pattern[str],
        warnings: list[RowIssue],
    ) -> str:
        """Return the first of several values in a cell, with a warning that the others were dropped.

        A cell splits only when every part looks like a value (a phone has a digit, an
        address an "@" and a dot after it), so that the error for "raj at acme" quotes
        the whole cell.
        """
        text = self._text(row, name)
        values = split_values(text, separators, mark)
        if len(values) > 1:
            warnings.append(
                RowIssue(row.number, EXTRA_VALUES_DROPPED, {"column": self._column(name), "value": values[0]}, sheet=self.sheet)
            )
        return values[0] if values else ""

    def _phones(self, row: SheetRow, *, country: str, warnings: list[RowIssue]) -> tuple[str | None, list[str]]:
        """Return the contact's phone, the first that reads, and note lines for the other phone columns.

        A cell with several numbers keeps the first and warns, as for emails. The numbers of
        further phone columns (Mobile, WhatsApp) go to the note under their header.
        """
        first = self._first_value(row, "phone", _PHONE_SEPARATORS, _PHONE_MARK, warnings)
        candidates = [(self._headers.get("phone", ""), first)] if first else []
        for index in self.mapping.extra.get("phone", ()):
            text = cell_text(self._cell_at(row, index, "phone"))
            header = self.table.headers[index]
            candidates += [(header, value) for value in split_values(text, _PHONE_SEPARATORS, _PHONE_MARK)]
        phone: str | None = None
        first_error: ParseError | None = None
        lines: list[str] = []
        for header, value in candidates:
            try:
                parsed = parse_phone(value, country=country)
            except ParseError as error:
                first_error = first_error or error
                lines.append(f"{header}: {value}")
                continue
            if phone is None:
                phone = parsed
            elif parsed != phone:
                lines.append(f"{header}: {parsed}")
        if phone is None and first_error is not None:
            raise first_error
        # A number that did not read stays in the note as written, so nothing is lost.
        return phone, lines

    def _note(self, row: SheetRow, *, extra_lines: list[str]) -> str | None:
        """Join the note columns: the plain note first, then each other column under its header."""
        indexes = [index for index in (self.mapping.columns.get("note"), *self.mapping.extra.get("note", ())) if index is not None]
        # A single note column is the note, whatever its header, unless other phones join it.
        alone = len(indexes) == 1 and not self.mapping.extra.get("phone")
        plain: list[str] = []
        labelled: list[str] = []
        for index in indexes:
            text = free_text(self._cell_at(row, index, "note"))
            if not text:
                continue
            header = self.table.headers[index]
            if alone or fold_header(header) in _PLAIN_NOTE_HEADERS:
                plain.append(text)
            else:
                labelled.append(f"{header.strip()}: {text}")
        note = "\n".join([*plain, *labelled, *extra_lines])
        self._check_length("note", note, header=self._headers.get("note", ""))
        return note or None

    def _zone(self, row: SheetRow, *, country: str, phone: str | None) -> str:
        """Pick the buyer's zone: the zone column, the city, the country's zone, then the phone's area."""
        zone_text = self._text(row, "zone")
        if zone_text:
            return resolve_zone(zone_text, country=country)
        city = self._text(row, "city")
        if city:
            try:
                return resolve_zone(city, country=country)
            except ParseError:
                # A city without a zone of its own (Mumbai, Hamburg) lies in the country's main zone.
                pass
        zone = default_zone(country)
        if zone is not None:
            return zone
        zone = zone_of_phone(phone, country=country) if phone else None
        if zone is not None:
            return zone
        country_label = country_name(country, self.locale)
        separator = "、" if self.locale == "zh_CN" else ", "
        cities = separator.join(dict.fromkeys(zone_label(item, self.locale) for item in country_zones(country)[:3]))
        for name in ("city", "zone"):
            if name in self.mapping.columns:
                raise _RowProblem(ZONE_NEEDED, country=country_label, column=self._column(name), cities=cities)
        raise _RowProblem(
            ZONE_COLUMN_NEEDED,
            country=country_label,
            city=export_header("city", self.locale),
            zone=export_header("zone", self.locale),
            cities=cities,
        )

    def _date(self, row: SheetRow, name: str, *, purpose: DatePurpose, not_read: str) -> date | MonthDay | None:
        """Read a date column; an error names the column."""
        value = self._cell(row, name)
        if is_blank(value):
            return None
        try:
            return cell_date(value, today=self.today, purpose=purpose, epoch=self.table.date_epoch)
        except ParseError as error:
            if error.message in (DATE_NOT_RECOGNISED, BIRTHDAY_NOT_RECOGNISED):
                raise _RowProblem(not_read, column=self._column(name), value=cell_text(value)) from None
            if error.message == BIRTHDAY_IN_FUTURE:
                raise
            raise _RowProblem(COLUMN_PROBLEM, column=self._column(name), reason=Reason(error.message, dict(error.params))) from None

    def _birthday(self, row: SheetRow, warnings: list[RowIssue]) -> tuple[int | None, int, int] | None:
        try:
            parsed = self._date(row, "birthday", purpose=DatePurpose.BIRTHDAY, not_read=BIRTHDAY_NOT_READ)
        except ParseError:
            parsed = self._date(row, "birthday", purpose=DatePurpose.ANY, not_read=BIRTHDAY_NOT_READ)
        if parsed is None:
            return None
        if isinstance(parsed, MonthDay):
            return (None, parsed.month, parsed.day)
        if parsed > self.today:
            warnings.append(RowIssue(row.number, BIRTHDAY_KEPT_IN_FUTURE, {"date": parsed.isoformat()}, sheet=self.sheet))
        return (parsed.year, parsed.month, parsed.day)

    def _last_contact(self, row: SheetRow) -> date | None:
        parsed = self._date(row, "last_contact", purpose=DatePurpose.ANY, not_read=LAST_CONTACT_NOT_READ)
        if parsed is None:
            return None
        assert isinstance(parsed, date)  # ANY always gives a full date
        value = self._cell(row, "last_contact")
        if parsed > self.today and isinstance(value, str) and not _YEAR.search(normalize_text(value)):
            # "11月20日" written in early December is last November, not next.
            parsed = MonthDay(parsed.month, parsed.day).in_year(parsed.year - 1)
        if parsed > self.today:
            raise _RowProblem(LAST_CONTACT_IN_FUTURE, date=parsed.isoformat())
        if parsed < EARLIEST_LAST_CONTACT:
            raise _RowProblem(LAST_CONTACT_TOO_OLD, column=self._column("last_contact"), date=parsed.isoformat())
        return parsed


def check_rows(checker: RowChecker, rows: Iterable[SheetRow]) -> CheckedRows:
    """Check every row and collect the customers, the invalid rows and the warnings."""
    imported: list[ImportRow] = []
    invalid: list[RowIssue] = []
    warnings: list[RowIssue] = []
    for checked in checker.check_many(rows):
        if checked.row is not None:
            imported.append(checked.row)
        if checked.invalid is not None:
            invalid.append(checked.invalid)
        warnings.extend(checked.warnings)
    return CheckedRows(rows=tuple(imported), invalid=tuple(invalid), warnings=tuple(warnings))


# ---------------------------------------------------------------------------- cells


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_placeholder(value: object, *, field: str) -> bool:
    """Tell whether a cell is a placeholder for nothing: 无, -, N/A, or 0 in a phone or date column."""
    if value == 0 and not isinstance(value, bool) and field in ZERO_PLACEHOLDER_FIELDS:
        return True
    if not isinstance(value, str):
        return False
    folded = normalize_text(value).casefold()
    return folded in PLACEHOLDERS or (folded == "0" and field in ZERO_PLACEHOLDER_FIELDS)


def split_values(text: str, separators: re.Pattern[str], mark: re.Pattern[str]) -> list[str]:
    """Split a cell into its values when every part looks like one (`mark`); else keep it whole."""
    values = [value.strip() for value in separators.split(text) if value.strip()]
    if len(values) > 1 and not all(mark.search(value) for value in values):
        return [text.strip()]
    return values


def _quoting(parse: Callable[[str], str], value: str, *, cell: str) -> str:
    """Parse one value of a cell; an error quotes the whole cell, which the rep can find."""
    try:
        return parse(value)
    except ParseError as error:
        raise ParseError(error.message, **{**error.params, "value": cell}) from None


def free_text(value: object) -> str:
    """Return a cell of free text as written: full-width punctuation kept, line ends unified, ends stripped."""
    if not isinstance(value, str):
        return cell_text(value)
    return _LINE_ENDS.sub("\n", value).strip()


def cell_text(value: object) -> str:
    """Return a cell as clean text: NFKC (full-width to half-width), single spaces, no ends.

    A whole number stored as a float (a phone typed into a number cell) loses its ".0".
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return normalize_text(str(value))


def cell_date(value: object, *, today: date, purpose: DatePurpose, epoch: datetime) -> date | MonthDay:
    """Read a date cell: a date, an Excel serial number, or text that parse_date reads.

    Raises:
        ParseError: for a value that is no date, or one that does not suit `purpose`.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _serial_date(value, text=cell_text(value), epoch=epoch)
    text = cell_text(value)
    if _SERIAL_TEXT.fullmatch(text):
        return _serial_date(float(text), text=text, epoch=epoch)
    dotted = _DOTTED_DATE.fullmatch(_TRAILING_TIME.sub("", text))
    if dotted:
        day, month, year = (int(part) for part in dotted.groups())
        try:
            found = date(year, month, day)
        except ValueError:
            raise ParseError(DATE_DOES_NOT_EXIST, value=text) from None
        if purpose is DatePurpose.BIRTHDAY and found > today:
            raise ParseError(BIRTHDAY_IN_FUTURE, value=text)
        return found
    yearless = _ISO_YEARLESS.fullmatch(text)
    if yearless:
        # Export writes a birthday without a year as "--03-12" (ISO 8601's yearless form).
        text = f"{int(yearless.group(1))}月{int(yearless.group(2))}日"
    return parse_date(_TRAILING_TIME.sub("", text), today=today, purpose=purpose)


def _serial_date(serial: float, *, text: str, epoch: datetime) -> date:
    if not 1 <= serial <= _MAX_SERIAL:
        raise ParseError(DATE_NOT_RECOGNISED, value=text)
    converted = from_excel(serial, epoch=epoch)
    assert isinstance(converted, datetime)  # serials from 1 on are dates, not bare times
    return converted.date()


def zone_of_phone(phone: str, *, country: str) -> str | None:
    """Return the zone that the phone number's area lies in, when it names one zone of `country`.

    The phonenumbers library lists the zones of geographic numbers (213 is Los Angeles).
    A mobile number usually gives all of the country's zones, and then the result is None.
    """
    try:
        number = phonenumbers.parse(phone)
    except phonenumbers.NumberParseException:
        return None
    allowed = {*country_zones(country), *pytz.country_timezones.get(country, ())}
    zones = {zone for zone in phone_timezones.time_zones_for_number(number) if zone in allowed}
    return zones.pop() if len(zones) == 1 else None
