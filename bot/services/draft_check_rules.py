"""Word lists behind the draft check (/check): currencies, Incoterms, units and phrases.

The logic that uses them is in bot/services/draft_check.py. Every entry is written in
lower case unless its comment states otherwise, and is matched on NFKC-normalised text as whole words.
"""

from __future__ import annotations

# ISO 4217 codes of the currencies that exporters quote in, matched in any case when they
# stand next to an amount ("usd 2.5", "2.50 EUR"). Source: ISO 4217, limited to the
# currencies of the markets our teams sell to; RMB is the common name of CNY in trade.
CURRENCY_CODES: frozenset[str] = frozenset(
    {
        "usd", "eur", "gbp", "cny", "rmb", "jpy", "krw", "hkd", "twd", "sgd", "inr", "pkr", "bdt", "lkr",
        "aud", "nzd", "cad", "mxn", "brl", "ars", "clp", "chf", "sek", "nok", "dkk", "pln", "czk", "huf",
        "rub", "uah", "kzt", "aed", "sar", "qar", "kwd", "omr", "bhd", "ils", "egp", "ngn", "kes", "zar",
        "thb", "vnd", "idr", "myr", "php",
    }
)  # fmt: skip
# Codes that are also English words or names, so they count only when written in capitals.
# Source: ISO 4217 (Turkish lira, Peruvian sol, Colombian peso, Romanian leu).
UPPERCASE_ONLY_CURRENCY_CODES: frozenset[str] = frozenset({"TRY", "PEN", "COP", "RON"})

# Currency signs and prefixed dollar signs, written as they appear (case-sensitive).
# Source: Unicode currency signs (general category Sc) and the usual prefixes of dollar currencies.
CURRENCY_SIGNS: tuple[str, ...] = (
    "US$", "USD$", "HK$", "NT$", "S$", "A$", "AU$", "C$", "CA$", "NZ$", "R$", "MX$",
    "$", "€", "£", "¥", "₹", "₽", "₩", "₫", "₺", "₱", "฿", "₦", "₪",
)  # fmt: skip

# Currency names written out after an amount ("2.5 dollars", "18 yuan").
CURRENCY_WORDS: frozenset[str] = frozenset(
    {"dollar", "dollars", "euro", "euros", "yuan", "renminbi", "pound", "pounds", "rupee", "rupees", "yen"}
)

# Chinese currency names, written after an amount ("2.5美元") or before it ("人民币18").
# Source: the usual Chinese names of the currencies in CURRENCY_CODES; 元 and 块 are yuan.
CHINESE_CURRENCY_WORDS: frozenset[str] = frozenset(
    {"美元", "美金", "人民币", "元", "块", "欧元", "英镑", "日元", "港币", "港元", "卢比", "韩元"}
)

# Incoterms 2020 rules, and the trade's older spellings of CFR, which buyers still read as
# a delivery term. Source: ICC Incoterms 2020 (11 rules); C&F and CNF are the usual
# spellings of CFR in export correspondence. DAT was replaced by DPU in 2020, but a quote
# in DAT still names a delivery point, so it is accepted.
INCOTERMS: frozenset[str] = frozenset(
    {"exw", "fca", "fas", "fob", "cfr", "cif", "cpt", "cip", "dap", "dpu", "ddp", "dat", "c&f", "cnf"}
)
# Incoterms written out in words.
INCOTERM_PHRASES: tuple[str, ...] = ("ex works", "ex-works", "free on board", "cost and freight", "free carrier")

# Words after an Incoterm that name its place although they are not capitalised:
# "EXW our factory", "CIF your port", "FOB any Chinese port".
PLACE_WORDS: frozenset[str] = frozenset(
    {"our", "your", "any", "main", "port", "factory", "warehouse", "works", "destination", "door", "airport"}
)
# Capitalised words next to an Incoterm that are not places: "FOB Price: …", "CIF Terms",
# "Our FOB price". A place may come after the term ("FOB Shanghai") or before it ("Shanghai FOB").
NOT_PLACE_WORDS: frozenset[str] = frozenset(
    {
        "price", "prices", "term", "terms", "incoterm", "incoterms", "basis", "only", "is", "are", "and", "or",
        "per", "the", "our", "your", "a", "an", "this", "that", "these", "those", "with", "at", "on", "in", "to",
        "for", "by", "quote", "quoted", "offer", "also", "both", "new", "current", "unit",
    }
)  # fmt: skip

# Units that follow "per" or "/" in a unit price ("2.50/sqm", "3 per piece").
# Source: our own list of the units that export price lists use.
PRICE_UNITS: frozenset[str] = frozenset(
    {
        "pc", "pcs", "piece", "pieces", "unit", "units", "set", "sets", "pair", "pairs", "dozen",
        "sqm", "m2", "sq", "square", "sqft", "m", "meter", "meters", "metre", "metres", "ft", "foot", "feet",
        "yard", "yards", "yd", "kg", "kgs", "g", "gram", "grams", "ton", "tons", "tonne", "tonnes", "mt", "lb", "lbs",
        "l", "liter", "liters", "litre", "litres", "gallon", "gallons",
        "roll", "rolls", "sheet", "sheets", "plate", "plates", "carton", "cartons", "ctn", "ctns", "box", "boxes",
        "bag", "bags", "drum", "drums", "pallet", "pallets", "container", "containers", "bottle", "bottles",
    }
)  # fmt: skip

# Words that introduce an amount as a price: "price is 2.50", "quoted at 2.5", "cost: 300".
PRICE_WORDS: frozenset[str] = frozenset(
    {"price", "prices", "priced", "quote", "quoted", "cost", "costs"}
)
# Words allowed between a price word and its amount: "our price is now only 2.5".
PRICE_LINK_WORDS: frozenset[str] = frozenset(
    {"is", "are", "was", "will", "would", "be", "of", "at", "you", "now", "only", "just"}
)

# Phrases that state how long a price holds. Source: our own list of how export quotes
# state it ("valid until", "validity: 30 days", "offer good till", "expires on").
VALIDITY_PHRASES: tuple[str, ...] = (
    "valid", "validity", "good until", "good till", "good through", "expire", "expires", "expiry",
    "expiration", "holds until", "hold until", "firm until", "invalid after", "invalid from", "no longer valid",
)  # fmt: skip
# Phrases of a follow-up that recalls a quote already sent. The validity went out with the
# first quote, so such a draft is not asked to repeat it.
EARLIER_QUOTE_PHRASES: tuple[str, ...] = (
    "following up", "follow up on", "follow-up on", "we quoted", "as quoted", "quoted you",
    "our previous quot", "our last quot", "our earlier quot",
)  # fmt: skip

# Phrases that point the buyer to a file instead of the message body. Source: our own
# list of the wording of template supplier replies ("please find attached", "see the file").
ATTACHMENT_PHRASES: tuple[str, ...] = (
    "attached", "attachment", "attachments", "attach", "attaching", "enclosed", "enclosure", "enclose",
    "see the file", "see file", "check the file", "open the file", "in the file", "see the catalog",
    "see the catalogue", "catalog", "catalogue", "catalogs", "catalogues", "brochure", "pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".zip", ".rar",
)  # fmt: skip

# Filler superlatives and boasts of template supplier replies, which buyers skip as spam.
# Source: our own list of the stock phrases of B2B platform replies. Closings such as
# "Best regards", "Best wishes" and "All the best" are not listed, because they are polite.
SUPERLATIVE_PHRASES: tuple[str, ...] = (
    "best quality", "best price", "best prices", "best service", "best supplier", "best manufacturer",
    "lowest price", "lowest prices", "cheapest", "top leading", "leading manufacturer", "leading supplier",
    "leading company", "leading factory", "top quality", "highest quality", "top-quality", "top notch",
    "top-notch", "high quality and competitive price", "most competitive", "unbeatable", "world-class",
    "world class", "first-class", "first class", "excellent quality",
    "superior quality", "perfect quality", "premium quality", "biggest manufacturer", "largest manufacturer",
    "industry leader", "state-of-the-art", "100% satisfaction", "highest-quality", "best-quality",
    "the best in china", "the best in the world", "is the best", "are the best",
    # "No.1" only before what it boasts of, because "No.1 Xinghua Road" is an address.
    *(
        f"{rank} {noun}"
        for rank in ("no.1", "no1", "number one")
        for noun in ("supplier", "manufacturer", "factory", "brand", "company", "exporter", "in china", "in the world")
    ),
)  # fmt: skip

# Words that open a greeting line ("Dear Rahul,", "Hi,", "Good morning Mr. Sharma").
GREETING_WORDS: tuple[str, ...] = (
    "dear", "hi", "hello", "hey", "greetings", "good morning", "good afternoon", "good evening", "good day",
    "attn", "attention",
)  # fmt: skip
# Titles in a contact's stored name, which do not identify the person. Their full stop
# does not end the greeting either ("Dear Mr. Sharma").
NAME_TITLES: frozenset[str] = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "mx"})
