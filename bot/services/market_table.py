"""Default markets: the country groups a team gets when it names one before defining it.

Source: the UN M49 geographic regions (unstats.un.org/unsd/methodology/m49), grouped the way
Chinese exporters usually split sales territories. "Middle East" is not an M49 region; here it
is the GCC states with Iran, Iraq, Israel, Jordan, Lebanon, Syria, Yemen, Turkey and Egypt.
Each entry is (Chinese name, English name, ISO 3166-1 alpha-2 codes).
"""

from __future__ import annotations

import re
import unicodedata

DEFAULT_MARKETS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "欧洲",
        "Europe",
        (
            "AL", "AD", "AT", "BA", "BE", "BG", "BY", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR",
            "GB", "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MC", "MD", "ME", "MK", "MT",
            "NL", "NO", "PL", "PT", "RO", "RS", "RU", "SE", "SI", "SK", "SM", "UA", "VA",
        ),
    ),
    ("北美", "North America", ("US", "CA", "MX")),
    (
        "拉美",
        "Latin America",
        (
            "AR", "BO", "BR", "CL", "CO", "CR", "CU", "DO", "EC", "GT", "HN", "JM", "NI", "PA", "PE", "PY",
            "SV", "TT", "UY", "VE",
        ),
    ),
    ("东南亚", "South-East Asia", ("BN", "KH", "ID", "LA", "MM", "MY", "PH", "SG", "TH", "TL", "VN")),
    ("南亚", "South Asia", ("AF", "BD", "BT", "IN", "LK", "MV", "NP", "PK")),
    ("东亚", "East Asia", ("JP", "KR", "MN", "TW", "HK", "MO")),
    (
        "中东",
        "Middle East",
        ("AE", "BH", "EG", "IL", "IQ", "IR", "JO", "KW", "LB", "OM", "QA", "SA", "SY", "TR", "YE"),
    ),
    (
        "非洲",
        "Africa",
        (
            "DZ", "AO", "BJ", "BW", "CM", "CI", "CD", "ET", "GH", "KE", "LY", "MA", "MG", "MZ", "NA", "NG",
            "RW", "SD", "SN", "TN", "TZ", "UG", "ZA", "ZM", "ZW",
        ),
    ),
    ("大洋洲", "Oceania", ("AU", "NZ", "FJ", "PG")),
)  # fmt: skip


def _name_key(name: str) -> str:
    """Fold a market name for comparison the way bot.services.markets.market_key does."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", name).casefold())


# Folded Chinese or English name -> (Chinese name, English name).
_LABELS: dict[str, tuple[str, str]] = {
    _name_key(alias): (name_zh, name_en) for name_zh, name_en, _codes in DEFAULT_MARKETS for alias in (name_zh, name_en)
}


def market_label(name: str, locale: str) -> str:
    """Return a market's name for a reader: a default market in the reader's language, any other as stored."""
    names = _LABELS.get(_name_key(name))
    if names is None:
        return name
    return names[0] if locale.startswith("zh") else names[1]
