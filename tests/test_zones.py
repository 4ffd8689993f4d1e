"""Zone choice, labels and typed zones in reminders.zones and the zone table."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import pytz

from bot.errors import ParseError
from reminders.calendar import country_zones, default_zone, resolve_zone, zone_label
from reminders.zone_table import COUNTRY_ZONES
from reminders.zones import city_key, format_utc_offset

US_ZONES = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
]


# --- Zone table -------------------------------------------------------------------------


def test_zone_table_covers_every_multi_zone_country() -> None:
    multi_zone = {code for code, zones in pytz.country_timezones.items() if len(zones) > 1}
    assert sorted(multi_zone - COUNTRY_ZONES.keys()) == []


@pytest.mark.parametrize("code", sorted(COUNTRY_ZONES))
def test_zone_table_row_consistent(code: str) -> None:
    row = COUNTRY_ZONES[code]
    assert row.offered, code
    assert len(set(row.offered)) == len(row.offered), code
    for zone in row.offered:
        assert zone in pytz.country_timezones[code], zone
        ZoneInfo(zone)
    if row.default is not None:
        assert row.default == row.offered[0], code
    if len(row.offered) == 1:
        assert row.default is not None, code


# --- country_zones and default_zone -----------------------------------------------------


def test_country_zones_us_curated() -> None:
    assert country_zones("US") == US_ZONES


def test_country_zones_lower_case_code() -> None:
    assert country_zones(" us ") == US_ZONES


def test_country_zones_single_zone_country_from_pytz() -> None:
    assert country_zones("IN") == ["Asia/Kolkata"]


def test_country_zones_returns_copy() -> None:
    zones = country_zones("US")
    zones.clear()
    assert country_zones("US") == US_ZONES


def test_country_zones_unknown_country_raises() -> None:
    with pytest.raises(ParseError, match="Country 'XX' is not recognised.*India / IN"):
        country_zones("XX")


@pytest.mark.parametrize("code", ["US", "CA", "BR", "RU", "AU", "MX", "ID"])
def test_default_zone_none_for_multi_zone_country(code: str) -> None:
    assert default_zone(code) is None


@pytest.mark.parametrize(
    ("code", "zone"),
    [
        ("IN", "Asia/Kolkata"),
        ("CN", "Asia/Shanghai"),
        ("DE", "Europe/Berlin"),
        ("ES", "Europe/Madrid"),
        ("KZ", "Asia/Almaty"),
        ("AR", "America/Argentina/Buenos_Aires"),
        ("SA", "Asia/Riyadh"),
        ("gb", "Europe/London"),
    ],
)
def test_default_zone_for_effectively_single_zone_country(code: str, zone: str) -> None:
    assert default_zone(code) == zone


def test_default_zone_unknown_country_raises() -> None:
    with pytest.raises(ParseError):
        default_zone("ZZ")


# --- zone_label -------------------------------------------------------------------------


def test_zone_label_chinese_city() -> None:
    assert zone_label("America/Chicago", "zh_CN") == "芝加哥"


def test_zone_label_english_city() -> None:
    assert zone_label("America/Chicago", "en") == "Chicago"


def test_zone_label_with_offset_follows_dst() -> None:
    january = datetime(2026, 1, 15, tzinfo=timezone.utc)
    july = datetime(2026, 7, 15, tzinfo=timezone.utc)
    assert zone_label("America/Chicago", "en", at=january) == "Chicago (UTC-6)"
    assert zone_label("America/Chicago", "en", at=july) == "Chicago (UTC-5)"


def test_zone_label_half_hour_offset() -> None:
    instant = datetime(2026, 1, 15, tzinfo=timezone.utc)
    assert zone_label("Asia/Kolkata", "zh_CN", at=instant) == "加尔各答 (UTC+5:30)"


def test_zone_label_client_language_tag() -> None:
    assert zone_label("America/New_York", "zh-CN") == "纽约"


def test_zone_label_unknown_locale_falls_back_to_chinese() -> None:
    assert zone_label("America/New_York", "xx") == "纽约"


def test_zone_label_utc() -> None:
    assert zone_label("UTC", "zh_CN") == "UTC"


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(480, "UTC+8"), (-300, "UTC-5"), (330, "UTC+5:30"), (345, "UTC+5:45"), (-570, "UTC-9:30"), (0, "UTC+0")],
)
def test_format_utc_offset(minutes: int, text: str) -> None:
    assert format_utc_offset(timedelta(minutes=minutes)) == text


# --- resolve_zone -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("芝加哥", "America/Chicago"),
        ("chicago", "America/Chicago"),
        ("Chicago", "America/Chicago"),
        ("America/Chicago", "America/Chicago"),
        ("america/chicago", "America/Chicago"),
        ("2", "America/Chicago"),
        ("２", "America/Chicago"),
        ("new york", "America/New_York"),
        ("纽约", "America/New_York"),
        ("纽约市", "America/New_York"),
        ("紐約", "America/New_York"),
        ("Los Angeles", "America/Los_Angeles"),
        ("洛杉矶", "America/Los_Angeles"),
        ("America/New York", "America/New_York"),
        ("boise", "America/Boise"),
    ],
)
def test_resolve_zone_us_forms(text: str, zone: str) -> None:
    assert resolve_zone(text, country="US") == zone


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("sao paulo", "America/Sao_Paulo"),
        ("São Paulo", "America/Sao_Paulo"),
        ("圣保罗", "America/Sao_Paulo"),
        ("moscow", "Europe/Moscow"),
        ("莫斯科", "Europe/Moscow"),
        ("sydney", "Australia/Sydney"),
        ("悉尼", "Australia/Sydney"),
        ("加尔各答", "Asia/Kolkata"),
        ("Asia/Kolkata", "Asia/Kolkata"),
        ("london", "Europe/London"),
        ("Ho Chi Minh City", "Asia/Ho_Chi_Minh"),
    ],
)
def test_resolve_zone_any_country(text: str, zone: str) -> None:
    assert resolve_zone(text) == zone


@pytest.mark.parametrize("text", ["UTC", "utc", "GMT", " gmt ", "Etc/UTC"])
def test_resolve_zone_utc_names(text: str) -> None:
    assert resolve_zone(text) == "UTC"


def test_resolve_zone_number_chooses_from_curated_list() -> None:
    assert resolve_zone("1", country="RU") == "Europe/Moscow"
    assert resolve_zone("7", country="US") == "Pacific/Honolulu"


def test_resolve_zone_city_outside_curated_list() -> None:
    assert resolve_zone("Monterrey", country="MX") == "America/Monterrey"


def test_resolve_zone_iana_name_outside_country_accepted() -> None:
    assert resolve_zone("Europe/London", country="US") == "Europe/London"


def test_resolve_zone_city_outside_country_rejected() -> None:
    with pytest.raises(ParseError, match="'London' is not recognised"):
        resolve_zone("London", country="US")


def test_resolve_zone_unknown_lists_accepted_forms_for_country() -> None:
    with pytest.raises(ParseError) as raised:
        resolve_zone("Houston", country="US")
    message = str(raised.value)
    assert "'Houston'" in message
    assert "纽约 / New York" in message
    assert "1 to 7" in message
    assert "America/New_York" in message


def test_resolve_zone_unknown_lists_accepted_forms_without_country() -> None:
    with pytest.raises(ParseError) as raised:
        resolve_zone("Atlantis")
    message = str(raised.value)
    assert "芝加哥 / Chicago" in message
    assert "America/Chicago" in message
    assert raised.value.params["value"] == "Atlantis"


def test_resolve_zone_number_out_of_range() -> None:
    with pytest.raises(ParseError, match="from 1 to 7"):
        resolve_zone("8", country="US")
    with pytest.raises(ParseError, match="from 1 to 7"):
        resolve_zone("0", country="US")


def test_resolve_zone_number_without_country() -> None:
    with pytest.raises(ParseError, match="no country is set"):
        resolve_zone("2")


@pytest.mark.parametrize("text", ["EST", "MST", "Etc/GMT+5", "localtime", ""])
def test_resolve_zone_fixed_offset_names_rejected(text: str) -> None:
    with pytest.raises(ParseError, match="not recognised"):
        resolve_zone(text)


def test_resolve_zone_unknown_country_raises() -> None:
    with pytest.raises(ParseError, match="Country 'XX'"):
        resolve_zone("Chicago", country="XX")


def test_city_key_folds_accents_case_and_spaces() -> None:
    assert city_key("São Paulo") == city_key("sao_paulo") == "saopaulo"
    assert city_key("St. John's") == "stjohns"
    assert city_key("纽约市") == "纽约"
