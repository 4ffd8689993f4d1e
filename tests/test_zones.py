"""Zone choice, labels and typed zones in reminders.zones and the zone table."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import pytz

from bot.errors import ParseError
from reminders.calendar import country_zones, default_zone, resolve_zone, zone_label
from reminders.zone_table import CITY_ZONE_ALIASES, COUNTRY_ZONES, OFFSET_EXAMPLE_ZONES
from reminders.zones import (
    ZONE_FIXED_OFFSET,
    ZONE_FIXED_OFFSET_IN_COUNTRY,
    ZONE_FIXED_OFFSET_IN_COUNTRY_NUMBERED,
    ZONE_NOT_IN_COUNTRY,
    ZONE_NOT_IN_COUNTRY_NUMBERED,
    ZONE_NOT_RECOGNISED,
    city_key,
    format_utc_offset,
)

US_CITIES = (
    "1. 纽约 / New York, 2. 芝加哥 / Chicago, 3. 丹佛 / Denver, 4. 凤凰城 / Phoenix, "
    "5. 洛杉矶 / Los Angeles, 6. 安克雷奇 / Anchorage, 7. 檀香山 / Honolulu"
)

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


def test_city_zone_aliases_resolve() -> None:
    # An alias that CLDR already names for another zone would never be used.
    for city, zone in CITY_ZONE_ALIASES.items():
        assert zone in pytz.country_timezones["CN"], city
        assert resolve_zone(city) == zone, city


def test_offset_example_zones_exist() -> None:
    for zone in OFFSET_EXAMPLE_ZONES:
        ZoneInfo(zone)


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


@pytest.mark.parametrize("text", ["Europe/London", "Asia/Tokyo", "UTC", "GMT"])
def test_resolve_zone_zone_outside_country_rejected(text: str) -> None:
    with pytest.raises(ParseError) as raised:
        resolve_zone(text, country="US")
    assert raised.value.message == ZONE_NOT_IN_COUNTRY_NUMBERED
    assert raised.value.params["country"] == "美国 / United States"
    assert raised.value.params["cities"] == US_CITIES


def test_resolve_zone_zone_outside_single_zone_country_rejected() -> None:
    with pytest.raises(ParseError) as raised:
        resolve_zone("Asia/Tokyo", country="IN")
    assert raised.value.message == ZONE_NOT_IN_COUNTRY
    assert raised.value.params["cities"] == "加尔各答 / Kolkata"
    assert raised.value.params["zone"] == "Asia/Kolkata"
    assert "number" not in str(raised.value)


@pytest.mark.parametrize(
    ("text", "country", "zone"),
    [
        ("America/Boise", "US", "America/Boise"),
        ("Asia/Calcutta", "IN", "Asia/Calcutta"),
        ("US/Eastern", "US", "US/Eastern"),
        ("Asia/Urumqi", "CN", "Asia/Urumqi"),
        ("Europe/Busingen", "DE", "Europe/Busingen"),
    ],
)
def test_resolve_zone_iana_name_inside_country_accepted(text: str, country: str, zone: str) -> None:
    assert resolve_zone(text, country=country) == zone


@pytest.mark.parametrize(("text", "zone"), [("Asia/Tokyo", "Asia/Tokyo"), ("Europe/London", "Europe/London")])
def test_resolve_zone_any_iana_name_without_country(text: str, zone: str) -> None:
    assert resolve_zone(text) == zone


@pytest.mark.parametrize(
    "text",
    [
        "北京", "北京时间", "北京時間", "Beijing", "beijing time", "Peking", "北京市",
        "广州", "廣州", "深圳", "杭州", "宁波", "义乌", "厦门", "Yiwu", "Xi'an",
        "上海时间",
    ],
)  # fmt: skip
def test_resolve_zone_chinese_cities_beijing_time(text: str) -> None:
    assert resolve_zone(text) == "Asia/Shanghai"


@pytest.mark.parametrize(("text", "zone"), [("香港时间", "Asia/Hong_Kong"), ("东京时间", "Asia/Tokyo")])
def test_resolve_zone_city_with_time_suffix(text: str, zone: str) -> None:
    assert resolve_zone(text) == zone


def test_resolve_zone_chinese_city_in_country() -> None:
    assert resolve_zone("义乌", country="CN") == "Asia/Shanghai"
    with pytest.raises(ParseError) as raised:
        resolve_zone("义乌", country="US")
    assert raised.value.message == ZONE_NOT_IN_COUNTRY_NUMBERED


@pytest.mark.parametrize(
    "text",
    ["GMT+8", "UTC+8", "utc +8", "+8", "+08:00", "UTC+0800", "８", "8", "东八区", "Etc/GMT-8", "UTC8"],
)
def test_resolve_zone_fixed_offset_rejected_with_city(text: str) -> None:
    with pytest.raises(ParseError) as raised:
        resolve_zone(text)
    assert raised.value.message == ZONE_FIXED_OFFSET
    assert raised.value.params["city"] == "上海 / Shanghai"
    assert raised.value.params["zone"] == "Asia/Shanghai"
    assert "daylight-saving" in str(raised.value)


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("UTC-5", "America/New_York"),
        ("Etc/GMT+5", "America/New_York"),
        ("西五区", "America/New_York"),
        ("UTC+5:30", "Asia/Kolkata"),
        ("GMT+1", "Europe/Berlin"),
        ("UTC+0", "Europe/London"),
        ("UTC+9", "Asia/Tokyo"),
        ("+3", "Europe/Moscow"),
        ("UTC-3", "America/Sao_Paulo"),
        ("UTC+5:45", "Asia/Kathmandu"),
        ("UTC-12", "Asia/Shanghai"),
    ],
)
def test_resolve_zone_fixed_offset_suggests_matching_city(text: str, zone: str) -> None:
    with pytest.raises(ParseError) as raised:
        resolve_zone(text)
    assert raised.value.message == ZONE_FIXED_OFFSET
    assert raised.value.params["zone"] == zone


def test_resolve_zone_offset_lists_country_cities() -> None:
    with pytest.raises(ParseError) as raised:
        resolve_zone("+8", country="US")
    assert raised.value.message == ZONE_FIXED_OFFSET_IN_COUNTRY_NUMBERED
    assert raised.value.params["cities"] == US_CITIES


def test_resolve_zone_offset_single_zone_country() -> None:
    with pytest.raises(ParseError) as raised:
        resolve_zone("GMT+5:30", country="IN")
    assert raised.value.message == ZONE_FIXED_OFFSET_IN_COUNTRY
    assert raised.value.params["cities"] == "加尔各答 / Kolkata"
    assert "number" not in str(raised.value)


def test_resolve_zone_city_outside_country_rejected() -> None:
    with pytest.raises(ParseError, match="'London' is not recognised"):
        resolve_zone("London", country="US")


def test_resolve_zone_unknown_lists_accepted_forms_for_country() -> None:
    with pytest.raises(ParseError) as raised:
        resolve_zone("Houston", country="US")
    message = str(raised.value)
    assert "'Houston'" in message
    assert "美国 / United States" in message
    assert US_CITIES in message


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


def test_resolve_zone_number_for_single_zone_country() -> None:
    assert resolve_zone("1", country="IN") == "Asia/Kolkata"
    with pytest.raises(ParseError) as raised:
        resolve_zone("8", country="IN")
    assert raised.value.message == ZONE_NOT_IN_COUNTRY
    assert "number" not in str(raised.value)


def test_resolve_zone_large_number_without_country() -> None:
    with pytest.raises(ParseError) as raised:
        resolve_zone("42")
    assert raised.value.message == ZONE_NOT_RECOGNISED


@pytest.mark.parametrize("text", ["EST", "MST", "localtime", "", "+15", "UTC+5:20"])
def test_resolve_zone_unsupported_names_rejected(text: str) -> None:
    with pytest.raises(ParseError, match="not recognised"):
        resolve_zone(text)


def test_resolve_zone_unknown_country_raises() -> None:
    with pytest.raises(ParseError, match="Country 'XX'"):
        resolve_zone("Chicago", country="XX")


def test_city_key_folds_accents_case_and_spaces() -> None:
    assert city_key("São Paulo") == city_key("sao_paulo") == "saopaulo"
    assert city_key("St. John's") == "stjohns"
    assert city_key("纽约市") == "纽约"
