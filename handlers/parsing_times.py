"""Instants in the past as reps write them: when an inquiry arrived, in the rep's own zone."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from bot.errors import ParseError
from bot.i18n import N_
from handlers.parsing_dates import DATE_NOT_RECOGNISED, DatePurpose, parse_date
from handlers.parsing_text import normalize_text, parse_small_count

logger = logging.getLogger(__name__)

RECEIVED_NOT_RECOGNISED = N_(
    "Received time '%(value)s' is not recognised. Write e.g. 2027-03-09 10:00, 今天 9:30, 昨天 18:00 or 2小时前."
)
RECEIVED_WITHOUT_TIME = N_("Received time '%(value)s' has no time of day. Write e.g. %(value)s 10:00.")
TIME_DOES_NOT_EXIST = N_("Time '%(value)s' does not exist. Write hours 0-23 and minutes 0-59, e.g. 09:30.")

# Counts in "N hours ago" above this are read as this, so that timedelta never overflows.
# Even in days, the cap is far older than the 30 days that bot.services.inquiries accepts.
_AGO_COUNT_CAP = 100_000

_NOW_WORDS = frozenset({"刚刚", "刚才", "now", "just now"})
_AGO = re.compile(
    r"(?P<count>\d+|[一二两三四五六七八九十]+)\s*"
    r"(?P<unit>分钟|分|个小时|小时|个钟头|钟头|天|minutes?|mins?|m|hours?|hrs?|h|days?|d)\s*"
    r"(?:前|以前|之前|ago)"
)
_AGO_UNITS = {
    "分钟": timedelta(minutes=1), "分": timedelta(minutes=1), "minute": timedelta(minutes=1),
    "minutes": timedelta(minutes=1), "min": timedelta(minutes=1), "mins": timedelta(minutes=1),
    "m": timedelta(minutes=1),
    "个小时": timedelta(hours=1), "小时": timedelta(hours=1), "个钟头": timedelta(hours=1),
    "钟头": timedelta(hours=1), "hour": timedelta(hours=1), "hours": timedelta(hours=1),
    "hr": timedelta(hours=1), "hrs": timedelta(hours=1), "h": timedelta(hours=1),
    "天": timedelta(days=1), "day": timedelta(days=1), "days": timedelta(days=1), "d": timedelta(days=1),
}  # fmt: skip

# A time of day at the end of the text: 10:00, 9:30 pm, 3pm, 下午3点半, 晚上8:15, 10点20分.
_CLOCK = r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?:\s*(?P<ampm>am|pm))?"
_HOUR_AMPM = r"(?P<hour2>\d{1,2})\s*(?P<ampm2>am|pm)"
_CHINESE_CLOCK = (
    r"(?P<hour3>\d{1,2}|[零一二两三四五六七八九十]+)\s*[点點时]"
    r"\s*(?:(?P<minute3>\d{1,2}|[零一二三四五六七八九十]+)\s*分?|(?P<half>半)|(?P<quarter>一刻|三刻))?"
)
_PERIOD = r"(?P<period>凌晨|早上|早晨|上午|中午|下午|傍晚|晚上)?\s*"
_TIME_AT_END = re.compile(r"(?:^|(?<=\s)|(?<=[^\x00-\x7f]))" + _PERIOD + f"(?:{_CLOCK}|{_HOUR_AMPM}|{_CHINESE_CLOCK})$")
_AFTERNOON = frozenset({"下午", "傍晚", "晚上"})
_ISO_T = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})t(?=\d)")


def parse_received(text: str, *, now: datetime, zone: str) -> datetime:
    """Read a past instant in the rep's `zone`: 2027-03-09 10:00, 今天 9:30, 昨天下午3点, 10:00, 2小时前.

    A time without a date is today's. A date is read as parse_date reads it with
    DatePurpose.ANY, so 3/9 is 9 March and a date without a year lies near today. The
    result is an aware UTC datetime; whether it is in the future is the caller's check.

    NOTE: a weekday name means the next such day (parse_date's reading), so 周一 10:00
    written on a Tuesday is next Monday and the caller rejects it as in the future.

    Raises:
        ParseError: for text that is no date and time, a date without a time, or a time
            that does not exist.
    """
    value = normalize_text(text)
    folded = _ISO_T.sub(r"\1 ", value.casefold())
    if folded in _NOW_WORDS:
        return now.astimezone(timezone.utc)

    ago = _AGO.fullmatch(folded)
    if ago:
        count_text = ago.group("count")
        count = min(int(count_text), _AGO_COUNT_CAP) if count_text.isdigit() else parse_small_count(count_text)
        if count is None:
            raise ParseError(RECEIVED_NOT_RECOGNISED, value=value)
        return (now - count * _AGO_UNITS[ago.group("unit")]).astimezone(timezone.utc)

    tz = ZoneInfo(zone)
    match = _TIME_AT_END.search(folded)
    if match is None:
        _raise_without_time(value, folded=folded, today=now.astimezone(tz).date())
        raise ParseError(RECEIVED_NOT_RECOGNISED, value=value)
    wall = _time_of_day(match, value=value)
    date_text = folded[: match.start()].strip(" ,")
    day = now.astimezone(tz).date() if not date_text else _date(date_text, value=value, today=now.astimezone(tz).date())
    local = datetime.combine(day, wall).replace(tzinfo=tz)
    # The round trip through UTC moves a wall time inside a DST gap forward by the gap.
    return local.astimezone(timezone.utc)


def _date(text: str, *, value: str, today: date) -> date:
    try:
        parsed = parse_date(text, today=today, purpose=DatePurpose.ANY)
    except ParseError as error:
        # An impossible or ambiguous date keeps its own, more precise message.
        if error.message == DATE_NOT_RECOGNISED:
            raise ParseError(RECEIVED_NOT_RECOGNISED, value=value) from None
        raise
    assert isinstance(parsed, date)  # DatePurpose.ANY always places the year
    return parsed


def _raise_without_time(value: str, *, folded: str, today: date) -> None:
    """Raise RECEIVED_WITHOUT_TIME when the whole text is a date, which lacks only the time."""
    try:
        parse_date(folded, today=today, purpose=DatePurpose.ANY)
    except ParseError:
        return
    raise ParseError(RECEIVED_WITHOUT_TIME, value=value)


def _time_of_day(match: re.Match[str], *, value: str) -> time:
    groups = match.groupdict()
    ampm = groups["ampm"] or groups["ampm2"]
    if groups["hour"] is not None:
        hour, minute = int(groups["hour"]), int(groups["minute"])
    elif groups["hour2"] is not None:
        hour, minute = int(groups["hour2"]), 0
    else:
        hour_count = parse_small_count(groups["hour3"])
        minute_count = parse_small_count(groups["minute3"]) if groups["minute3"] else 0
        if hour_count is None or minute_count is None:
            raise ParseError(TIME_DOES_NOT_EXIST, value=value)
        hour, minute = hour_count, minute_count
        if groups["half"]:
            minute = 30
        elif groups["quarter"]:
            minute = 15 if groups["quarter"] == "一刻" else 45

    if ampm:
        if not 1 <= hour <= 12:
            raise ParseError(TIME_DOES_NOT_EXIST, value=value)
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    period = groups["period"]
    if period in _AFTERNOON and hour < 12:
        hour += 12
    elif period == "中午" and hour < 11:
        # 中午1点 is 13:00; 中午11点 and 中午12点 stay in the late morning and at noon.
        hour += 12
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ParseError(TIME_DOES_NOT_EXIST, value=value)
    return time(hour, minute)

