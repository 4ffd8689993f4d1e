"""Facts behind the price-probe check (防套价): free-mail domains and country-code domains.

The logic that uses them is in bot/services/probe.py.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping

# Free webmail domains where anyone can open a mailbox without owning a company domain.
# Source: the public sign-up domains of the large consumer webmail services, by provider.
# NOTE: compiled by hand and not complete. A domain missing here counts as a company domain.
FREE_MAIL_DOMAINS: frozenset[str] = frozenset(
    {
        # Google, Microsoft, Yahoo, AOL, Apple
        "gmail.com", "googlemail.com",
        "hotmail.com", "outlook.com", "live.com", "msn.com", "windowslive.com", "passport.com",
        "yahoo.com", "ymail.com", "rocketmail.com",
        "aol.com", "aim.com",
        "icloud.com", "me.com", "mac.com",
        # Privacy and independent webmail
        "protonmail.com", "protonmail.ch", "proton.me", "pm.me", "tutanota.com", "tuta.io",
        "mail.com", "email.com", "gmx.com", "zoho.com", "zohomail.com", "yandex.com", "hushmail.com",
        "inbox.com", "lycos.com",
        # China: Tencent, NetEase, Sina, Sohu, Alibaba, and the mobile carriers
        "qq.com", "vip.qq.com", "foxmail.com",
        "163.com", "126.com", "yeah.net", "vip.163.com", "vip.126.com", "188.com",
        "sina.com", "sina.cn", "vip.sina.com", "sohu.com", "aliyun.com",
        "139.com", "189.cn", "wo.cn",
        # Russia and neighbours: Yandex, VK (Mail.ru), Rambler
        "yandex.ru", "ya.ru", "yandex.ua", "yandex.by", "yandex.kz",
        "mail.ru", "bk.ru", "inbox.ru", "list.ru", "internet.ru", "rambler.ru",
        # Germany: United Internet (GMX, WEB.DE), Deutsche Telekom, freenet
        "gmx.de", "gmx.net", "gmx.at", "gmx.ch", "web.de", "t-online.de", "freenet.de",
        # France, Italy, Spain, Poland, Czechia
        "orange.fr", "wanadoo.fr", "laposte.net", "free.fr", "sfr.fr",
        "libero.it", "virgilio.it", "tiscali.it", "alice.it",
        "terra.es", "wp.pl", "o2.pl", "interia.pl", "onet.pl", "seznam.cz",
        # India, Korea, Japan, Brazil, Turkey
        "rediffmail.com", "rediff.com",
        "naver.com", "daum.net", "hanmail.net", "nate.com",
        "uol.com.br", "bol.com.br", "terra.com.br", "ig.com.br",
        "yandex.com.tr", "mynet.com",
    }
)  # fmt: skip

# Webmail brands that provide the same free service under many country domains, such as
# yahoo.co.in, hotmail.fr, outlook.de or gmx.at. A domain counts when it is the brand
# followed by a country code, optionally after "co." or "com." (yahoo.com.br).
FREE_MAIL_BRANDS: frozenset[str] = frozenset(
    {"gmail", "googlemail", "yahoo", "ymail", "hotmail", "outlook", "live", "aol", "yandex", "gmx", "rediffmail"}
)

# Country-code top-level domains whose country is not the ISO 3166-1 alpha-2 code of the
# same letters. Source: the IANA root zone database, where .uk serves the United Kingdom (GB).
CCTLD_COUNTRIES: Mapping[str, str] = MappingProxyType({"uk": "GB"})

# Country-code domains that do not show the sender's country, because they are sold
# worldwide as generic names or are not one country's domain. Source: the ccTLDs that Google
# Search treats as generic (.ad .ai .as .bz .cc .cd .co .dj .fm .io .la .me .ms .nu .sc .sr
# .su .tk .tv .ws, as listed by tld-list.com in May 2026), plus .eu (the European Union) and
# .ac (Ascension Island, sold worldwide), which the IANA root zone lists as exceptions.
GENERIC_CCTLDS: frozenset[str] = frozenset(
    {
        "ad", "ai", "as", "bz", "cc", "cd", "co", "dj", "fm", "io", "la", "me", "ms", "nu", "sc", "sr",
        "su", "tk", "tv", "ws", "eu", "ac",
    }
)  # fmt: skip
