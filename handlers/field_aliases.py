"""Words that reps type for fields, countries, currencies, units and choices.

Every table maps what a rep may write (already NFKC-normalised and, for Latin words,
lower-case) to the canonical value the rest of the bot stores. The parsers in
handlers/parsing_*.py hold the logic; this module holds only data.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping

# Field keys: canonical name -> aliases in Chinese and English. The first alias is the
# Chinese name that errors show beside the canonical one ("名称/name").
FIELD_ALIASES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "name": ("名称", "公司", "客户", "company", "name"),
        "country": ("国家", "地区", "country"),
        # A state or province whose own public holidays count (reminders.calendar). Not
        # "region", because its Chinese 地区 already names the country.
        "state": ("州/省", "州", "省", "province", "subdivision", "state"),
        "tier": ("等级", "级别", "分级", "tier"),
        "contact": ("联系人", "contact"),
        "role": ("职位", "角色", "title", "role"),
        "email": ("邮箱", "邮件", "e-mail", "mail", "email"),
        "phone": ("电话", "手机", "whatsapp", "tel", "mobile", "phone"),
        "birthday": ("生日", "birth", "bday", "dob", "birthday"),
        "source": ("来源", "source"),
        "note": ("备注", "说明", "notes", "remark", "remarks", "note"),
        "tags": ("标签", "tag", "tags"),
        "zone": ("时区", "timezone", "tz", "zone"),
        "city": ("城市", "city"),
        "product": ("产品", "品名", "product"),
        "spec": ("规格", "specification", "specs", "spec"),
        "qty": ("数量", "quantity", "qty"),
        "price": ("价格", "单价", "unit price", "price"),
        "stage": ("阶段", "状态", "status", "stage"),
        "probability": ("概率", "成功率", "prob", "probability"),
        "close": ("预计成交", "成交日期", "close date", "expected close", "close"),
        "reason": ("原因", "reason"),
        "value": ("金额", "总额", "amount", "value"),
        "language": ("语言", "lang", "language"),
        "channel": ("渠道", "平台", "channel", "platform"),
        "received": ("收到", "收到时间", "接收时间", "received at", "received"),
        "text": ("内容", "原文", "message", "content", "text"),
        # The team's quotation terms (/terms), reused by reply drafts.
        "payment": ("付款", "付款方式", "付款条件", "payment terms", "payment"),
        "lead_time": ("交期", "交货期", "lead time", "delivery time", "lead_time"),
        "validity": ("有效期", "报价有效期", "validity"),
        "moq": ("起订量", "最小起订量", "moq"),
        "signature": ("签名", "落款", "signature"),
        # The content of a follow-up draft (/draft): the open point of a negotiation, or a new fact.
        "point": ("要点", "待定问题", "open point", "point"),
        "news": ("新消息", "新动态", "news"),
    }
)

# Country names that Babel's CLDR territory names (zh_CN, zh_Hant, en) and pycountry's
# ISO 3166 names miss: common short forms, old names and big cities used for the country.
COUNTRY_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "usa": "US",
        "america": "US",
        "美国": "US",
        "uk": "GB",
        "britain": "GB",
        "great britain": "GB",
        "england": "GB",
        "uae": "AE",
        "阿联酋": "AE",
        "迪拜": "AE",
        "dubai": "AE",
        "abu dhabi": "AE",
        "korea": "KR",
        "韩国": "KR",
        "俄国": "RU",
        "turkey": "TR",
        "viet nam": "VN",
        "香港": "HK",
        "hong kong": "HK",
        "澳门": "MO",
        "macau": "MO",
        "macao": "MO",
        "台湾": "TW",
        "臺灣": "TW",
        "中国台湾": "TW",
        "中国香港": "HK",
        "中国澳门": "MO",
        "沙特": "SA",
        "ksa": "SA",
        "印尼": "ID",
        "holland": "NL",
        "中国大陆": "CN",
        "mainland china": "CN",
    }
)

# Currency codes that are not ISO 4217 but that exporters write: RMB is the Chinese name of
# the yuan (ISO code CNY), NTD the usual abbreviation of the New Taiwan dollar (TWD).
CURRENCY_CODE_ALIASES: Mapping[str, str] = MappingProxyType({"rmb": "CNY", "ntd": "TWD"})

# Currency symbols: those that Babel's CLDR data returns for en and zh_CN (US$, HK$, A$,
# CA$, NT$, R$, CN¥, JP¥, €, £, ₹, ₩, ₫, ₱), plus the common C$, AU$, S$, ₽ and ₺.
# A bare "$" is read as USD and "¥" as CNY because our users are Chinese exporters, who
# quote in US dollars or in yuan. Japanese yen must be written JPY, JP¥ or 日元.
CURRENCY_SYMBOLS: Mapping[str, str] = MappingProxyType(
    {
        "us$": "USD",
        "hk$": "HKD",
        "au$": "AUD",
        "a$": "AUD",
        "ca$": "CAD",
        "c$": "CAD",
        "s$": "SGD",
        "nt$": "TWD",
        "r$": "BRL",
        "cn¥": "CNY",
        "jp¥": "JPY",
        "$": "USD",
        "€": "EUR",
        "£": "GBP",
        "¥": "CNY",
        "₹": "INR",
        "₽": "RUB",
        "₩": "KRW",
        "₺": "TRY",
        "₫": "VND",
        "₱": "PHP",
    }
)

# Chinese currency names: the zh_CN names in Babel's CLDR data (美元, 欧元, 英镑, 人民币,
# 日元, 港元, 新台币, 韩元, 印度卢比) and the everyday short forms, including 元 and 块
# after a yuan amount ("18元").
CURRENCY_NAMES_ZH: Mapping[str, str] = MappingProxyType(
    {
        "美元": "USD",
        "美金": "USD",
        "欧元": "EUR",
        "英镑": "GBP",
        "人民币": "CNY",
        "日元": "JPY",
        "港币": "HKD",
        "港元": "HKD",
        "澳元": "AUD",
        "加元": "CAD",
        "新台币": "TWD",
        "韩元": "KRW",
        "卢布": "RUB",
        "印度卢比": "INR",
        "迪拉姆": "AED",
        "元": "CNY",
        "块": "CNY",
    }
)

# Incoterms 2020 rules, as published by the International Chamber of Commerce.
INCOTERMS: tuple[str, ...] = ("EXW", "FCA", "FAS", "FOB", "CFR", "CIF", "CPT", "CIP", "DAP", "DPU", "DDP")

# Trade shorthand for CFR (Cost and Freight) that predates the ICC's three-letter code.
INCOTERM_ALIASES: Mapping[str, str] = MappingProxyType({"c&f": "CFR", "c & f": "CFR", "cnf": "CFR"})

# Container sizes (20, 40, 45 ft) and types as forwarders quote them: GP general purpose,
# HQ high cube, RF reefer.
CONTAINER_TYPES: frozenset[str] = frozenset({"20GP", "40GP", "40HQ", "45HQ", "20RF", "40RF"})

# Container type words after the size: ISO codes, carrier synonyms (DC dry, HC high cube)
# and the Chinese forwarder words 柜 (container), 高柜 (high cube), 冷柜 (reefer).
CONTAINER_TYPE_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "gp": "GP",
        "dc": "GP",
        "dv": "GP",
        "hq": "HQ",
        "hc": "HQ",
        "rf": "RF",
        "柜": "GP",
        "平柜": "GP",
        "普柜": "GP",
        "高柜": "HQ",
        "冷柜": "RF",
    }
)

# Units of quantity and price: what reps write -> the unit the bot stores. Chinese
# measure words for pieces (片 plates, 个 items, 件 garments, 张 sheets, 只 units) all
# count pieces.
UNIT_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "pcs": "pcs",
        "pc": "pcs",
        "piece": "pcs",
        "pieces": "pcs",
        "unit": "pcs",
        "units": "pcs",
        "片": "pcs",
        "个": "pcs",
        "件": "pcs",
        "张": "pcs",
        "只": "pcs",
        "sqm": "sqm",
        "m2": "sqm",
        "sq m": "sqm",
        "sq.m": "sqm",
        "square meter": "sqm",
        "square meters": "sqm",
        "square metre": "sqm",
        "square metres": "sqm",
        "平方米": "sqm",
        "平方": "sqm",
        "平米": "sqm",
        "m": "m",
        "meter": "m",
        "meters": "m",
        "metre": "m",
        "metres": "m",
        "米": "m",
        "kg": "kg",
        "kgs": "kg",
        "公斤": "kg",
        "千克": "kg",
        "t": "t",
        "mt": "t",
        "ton": "t",
        "tons": "t",
        "tonne": "t",
        "tonnes": "t",
        "吨": "t",
        "set": "sets",
        "sets": "sets",
        "套": "sets",
        "carton": "cartons",
        "cartons": "cartons",
        "ctn": "cartons",
        "ctns": "cartons",
        "箱": "cartons",
        "pallet": "pallets",
        "pallets": "pallets",
        "plt": "pallets",
        "托": "pallets",
        "托盘": "pallets",
        "roll": "rolls",
        "rolls": "rolls",
        "卷": "rolls",
    }
)

# Customer tiers by purchase intent: A hot, B warm, C cold (the product's default tiers).
TIER_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "a": "A",
        "hot": "A",
        "热": "A",
        "b": "B",
        "warm": "B",
        "温": "B",
        "c": "C",
        "cold": "C",
        "冷": "C",
    }
)

# Deal stages in pipeline order, with the words reps use for each.
STAGE_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "inquiry": "inquiry",
        "enquiry": "inquiry",
        "询盘": "inquiry",
        "询价": "inquiry",
        "quoted": "quoted",
        "quote": "quoted",
        "quotation": "quoted",
        "报价": "quoted",
        "已报价": "quoted",
        "sample": "sample",
        "samples": "sample",
        "样品": "sample",
        "寄样": "sample",
        "negotiation": "negotiation",
        "negotiating": "negotiation",
        "谈判": "negotiation",
        "议价": "negotiation",
        "won": "won",
        "win": "won",
        "成交": "won",
        "赢单": "won",
        "lost": "lost",
        "lose": "lost",
        "丢单": "lost",
        "失败": "lost",
        "输单": "lost",
    }
)

# Stage names shown in errors, in pipeline order.
STAGE_LABELS: tuple[str, ...] = (
    "询盘/inquiry",
    "报价/quoted",
    "样品/sample",
    "谈判/negotiation",
    "成交/won",
    "丢单/lost",
)

# Lead sources: the B2B platforms, trade fairs and search engines where Chinese exporters
# find buyers. Keywords are matched anywhere in the text, in this order. A text that
# matches none is "other".
SOURCE_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "b2b",
        ("alibaba", "阿里巴巴", "阿里", "made-in-china", "made in china", "中国制造网",
         "global sources", "环球资源", "b2b"),
    ),
    ("fair", ("canton fair", "广交会", "展会", "exhibition", "trade fair", "trade show", "expo")),
    ("search", ("google", "谷歌", "bing", "搜索", "seo", "search")),
    ("referral", ("转介绍", "朋友介绍", "介绍", "referral", "referred")),
)

# Words that start an interaction log entry -> interaction kind.
INTERACTION_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "email": "email",
        "e-mail": "email",
        "emailed": "email",
        "邮件": "email",
        "发邮件": "email",
        "call": "call",
        "called": "call",
        "phoned": "call",
        "电话": "call",
        "打电话": "call",
        "chat": "chat",
        "whatsapp": "chat",
        "wechat": "chat",
        "skype": "chat",
        "微信": "chat",
        "聊天": "chat",
        "meeting": "meeting",
        "met": "meeting",
        "会议": "meeting",
        "开会": "meeting",
        "见面": "meeting",
        "quote": "quote",
        "quoted": "quote",
        "报价": "quote",
        "sample": "sample",
        "samples": "sample",
        "样品": "sample",
        "寄样": "sample",
        "visit": "visit",
        "visited": "visit",
        "拜访": "visit",
        "来访": "visit",
    }
)

# Chinese numerals for the small counts in relative dates ("两天后", "三周后").
CHINESE_DIGITS: Mapping[str, int] = MappingProxyType(
    {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
)

# Chinese number words written after digits in amounts and quantities: 5万美元 is
# USD 50,000 and 1.5万片 is 15,000 pieces.
CHINESE_MULTIPLIERS: Mapping[str, int] = MappingProxyType({"千": 1_000, "万": 10_000, "亿": 100_000_000})

# Chinese weekday names after 周 / 星期 / 礼拜 -> Python weekday (Monday is 0).
CHINESE_WEEKDAYS: Mapping[str, int] = MappingProxyType(
    {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
)

# English count words for relative dates ("in two weeks", "a week later").
ENGLISH_COUNT_WORDS: Mapping[str, int] = MappingProxyType(
    {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
)
