"""Time zones to offer, and to preselect, for countries that pytz lists with several zones."""

from __future__ import annotations

from typing import NamedTuple


class CountryZones(NamedTuple):
    """The zone choice for one country."""

    default: str | None
    """Zone preselected for a new customer, or None when the bot must ask."""
    offered: tuple[str, ...]
    """Zones offered as numbered choices, in the order shown."""


# Zone ids per country come from the IANA tz database as listed by pytz.country_timezones
# (pytz 2026.x), and offsets were checked against tzdata 2025b. Which zones to offer and
# preselect is our choice, based on where each country's population and trade are. Each
# list starts with the zone most buyers use, and the others follow from east to west.
# Zones that only repeat the UTC offset and DST rules of a listed zone are mostly left
# out, and resolve_zone() still accepts them when the user types their city.
COUNTRY_ZONES: dict[str, CountryZones] = {
    "AQ": CountryZones(None, (
        "Antarctica/McMurdo", "Antarctica/DumontDUrville", "Antarctica/Casey",
        "Antarctica/Vostok", "Antarctica/Davis", "Antarctica/Mawson", "Antarctica/Syowa",
        "Antarctica/Troll", "Antarctica/Palmer", "Antarctica/Rothera",
    )),
    # The whole country keeps UTC-3 without DST.
    "AR": CountryZones("America/Argentina/Buenos_Aires", ("America/Argentina/Buenos_Aires",)),
    "AU": CountryZones(None, (
        "Australia/Sydney", "Australia/Brisbane", "Australia/Melbourne",
        "Australia/Adelaide", "Australia/Darwin", "Australia/Perth",
    )),
    "BR": CountryZones(None, ("America/Sao_Paulo", "America/Manaus", "America/Rio_Branco")),
    "CA": CountryZones(None, (
        "America/Toronto", "America/St_Johns", "America/Halifax", "America/Winnipeg",
        "America/Regina", "America/Edmonton", "America/Vancouver",
    )),
    "CD": CountryZones(None, ("Africa/Kinshasa", "Africa/Lubumbashi")),
    # Aysen and Magallanes keep UTC-3 all year. Easter Island is two hours behind Santiago.
    "CL": CountryZones("America/Santiago", (
        "America/Santiago", "America/Punta_Arenas", "America/Coyhaique", "Pacific/Easter",
    )),
    # All of China keeps Beijing time officially. Asia/Urumqi is the local time many
    # people in Xinjiang use.
    "CN": CountryZones("Asia/Shanghai", ("Asia/Shanghai", "Asia/Urumqi")),
    "CY": CountryZones("Asia/Nicosia", ("Asia/Nicosia", "Asia/Famagusta")),
    # Europe/Busingen is a German exclave in Switzerland with the same time as Berlin.
    "DE": CountryZones("Europe/Berlin", ("Europe/Berlin",)),
    "EC": CountryZones("America/Guayaquil", ("America/Guayaquil", "Pacific/Galapagos")),
    # Ceuta keeps Madrid time, and the Canary Islands are one hour behind.
    "ES": CountryZones("Europe/Madrid", ("Europe/Madrid", "Atlantic/Canary")),
    "FM": CountryZones(None, ("Pacific/Pohnpei", "Pacific/Chuuk")),
    "GL": CountryZones("America/Nuuk", (
        "America/Nuuk", "America/Danmarkshavn", "America/Scoresbysund", "America/Thule",
    )),
    "ID": CountryZones(None, ("Asia/Jakarta", "Asia/Jayapura", "Asia/Makassar")),
    "KI": CountryZones("Pacific/Tarawa", ("Pacific/Tarawa", "Pacific/Kiritimati", "Pacific/Kanton")),
    # The whole country has kept UTC+5 since 1 March 2024.
    "KZ": CountryZones("Asia/Almaty", ("Asia/Almaty",)),
    "MH": CountryZones("Pacific/Majuro", ("Pacific/Majuro",)),
    "MN": CountryZones("Asia/Ulaanbaatar", ("Asia/Ulaanbaatar", "Asia/Hovd")),
    # Ciudad Juarez follows US DST, Hermosillo keeps UTC-7 all year, Tijuana is UTC-8
    # with US DST.
    "MX": CountryZones(None, (
        "America/Mexico_City", "America/Cancun", "America/Mazatlan", "America/Ciudad_Juarez",
        "America/Hermosillo", "America/Tijuana",
    )),
    "MY": CountryZones("Asia/Kuala_Lumpur", ("Asia/Kuala_Lumpur",)),
    "NZ": CountryZones("Pacific/Auckland", ("Pacific/Auckland", "Pacific/Chatham")),
    "PF": CountryZones("Pacific/Tahiti", ("Pacific/Tahiti", "Pacific/Gambier", "Pacific/Marquesas")),
    "PG": CountryZones("Pacific/Port_Moresby", ("Pacific/Port_Moresby", "Pacific/Bougainville")),
    # Gaza and the West Bank share an offset today, but their DST dates have differed.
    "PS": CountryZones("Asia/Hebron", ("Asia/Hebron", "Asia/Gaza")),
    # Madeira keeps Lisbon time, and the Azores are one hour behind.
    "PT": CountryZones("Europe/Lisbon", ("Europe/Lisbon", "Atlantic/Azores")),
    "RU": CountryZones(None, (
        "Europe/Moscow", "Asia/Kamchatka", "Asia/Magadan", "Asia/Vladivostok",
        "Asia/Yakutsk", "Asia/Irkutsk", "Asia/Novosibirsk", "Asia/Omsk",
        "Asia/Yekaterinburg", "Europe/Samara", "Europe/Kaliningrad",
    )),
    "UA": CountryZones("Europe/Kyiv", ("Europe/Kyiv", "Europe/Simferopol")),
    "UM": CountryZones(None, ("Pacific/Midway", "Pacific/Wake")),
    "US": CountryZones(None, (
        "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix",
        "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu",
    )),
    "UZ": CountryZones("Asia/Tashkent", ("Asia/Tashkent",)),
}


# Mainland China keeps one time, Beijing Time (UTC+8, without DST since 1991), which the
# IANA tz database names Asia/Shanghai ("CN Asia/Shanghai Beijing Time" in zone1970.tab).
# Its other cities have no zone of their own, so neither tzdata nor Babel's CLDR city names
# know them. These are the cities that Chinese exporters work from, in simplified and
# traditional characters and in pinyin. resolve_zone() also reads "北京时间" or "Beijing
# time" as the city before "时间" or "time".
_BEIJING_TIME_CITIES = (
    "北京", "Beijing", "Peking",
    "广州", "廣州", "Guangzhou",
    "深圳", "Shenzhen",
    "杭州", "Hangzhou",
    "宁波", "寧波", "Ningbo",
    "义乌", "義烏", "Yiwu",
    "厦门", "廈門", "Xiamen",
    "苏州", "蘇州", "Suzhou",
    "天津", "Tianjin",
    "青岛", "青島", "Qingdao",
    "南京", "Nanjing",
    "东莞", "東莞", "Dongguan",
    "佛山", "Foshan",
    "温州", "溫州", "Wenzhou",
    "泉州", "Quanzhou",
    "福州", "Fuzhou",
    "绍兴", "紹興", "Shaoxing",
    "金华", "金華", "Jinhua",
    "台州", "Taizhou",
    "无锡", "無錫", "Wuxi",
    "常州", "Changzhou",
    "中山", "Zhongshan",
    "珠海", "Zhuhai",
    "汕头", "汕頭", "Shantou",
    "成都", "Chengdu",
    "重庆", "重慶", "Chongqing",
    "武汉", "武漢", "Wuhan",
    "西安", "Xi'an",
    "郑州", "鄭州", "Zhengzhou",
    "长沙", "長沙", "Changsha",
    "济南", "濟南", "Jinan",
    "合肥", "Hefei",
    "大连", "大連", "Dalian",
    "沈阳", "瀋陽", "Shenyang",
)  # fmt: skip

# City names that CLDR lacks -> IANA zone.
CITY_ZONE_ALIASES: dict[str, str] = {city: "Asia/Shanghai" for city in _BEIJING_TIME_CITIES}

# Zones whose cities an error suggests in place of a fixed UTC offset ("UTC+8", "+8").
# The first zone whose winter or summer offset equals the typed one wins. Beijing Time
# comes first because most reps live in it, and large buyer markets follow.
OFFSET_EXAMPLE_ZONES: tuple[str, ...] = (
    "Asia/Shanghai", "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland", "Asia/Bangkok",
    "Asia/Dhaka", "Asia/Kolkata", "Asia/Karachi", "Asia/Dubai", "Asia/Tehran",
    "Europe/Moscow", "Africa/Cairo", "Europe/Berlin", "Europe/London", "America/Sao_Paulo",
    "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
    "America/Anchorage", "Pacific/Honolulu",
)  # fmt: skip
