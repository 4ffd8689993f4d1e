"""Display names for stored codes: stages, sources, interaction kinds, roles.

Source: our own data model; the codes are what the database stores.
"""

from __future__ import annotations

from bot.i18n import N_

STAGE_LABELS: dict[str, str] = {
    "inquiry": N_("inquiry"),
    "quoted": N_("quoted"),
    "sample": N_("sample"),
    "negotiation": N_("negotiation"),
    "won": N_("won"),
    "lost": N_("lost"),
}

SOURCE_LABELS: dict[str, str] = {
    "b2b": N_("B2B platform"),
    "fair": N_("trade fair"),
    "search": N_("search engine"),
    "referral": N_("referral"),
    "other": N_("other"),
}

INTERACTION_LABELS: dict[str, str] = {
    "email": N_("email"),
    "call": N_("call"),
    "chat": N_("chat"),
    "meeting": N_("meeting"),
    "quote": N_("quote"),
    "sample": N_("sample"),
    "visit": N_("visit"),
    "note": N_("note"),
    "followup": N_("follow-up"),
    "reply": N_("inquiry reply"),
}

ROLE_LABELS: dict[str, str] = {
    "admin": N_("admin"),
    "manager": N_("manager"),
    "rep": N_("rep"),
}

LANGUAGE_CHOICES: dict[str, str] = {
    "zh": "zh_CN",
    "zh_cn": "zh_CN",
    "cn": "zh_CN",
    "中文": "zh_CN",
    "简体中文": "zh_CN",
    "chinese": "zh_CN",
    "en": "en",
    "english": "en",
    "英文": "en",
    "英语": "en",
}

# Each language named in its own script, as language pickers show them.
LANGUAGE_NAMES: dict[str, str] = {"zh_CN": "中文", "en": "English"}
