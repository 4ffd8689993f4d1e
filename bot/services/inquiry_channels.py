"""Channels an inquiry arrives through: the words reps type and the labels replies show.

Source: the B2B platforms, messengers and fairs where Chinese exporters receive inquiries,
as in the customer sources of handlers/field_aliases.py. The codes are what Inquiry.channel stores.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping

from bot.i18n import N_

# Channel code -> words that name it (NFKC-normalised, Latin words lower-case). Each label of
# CHANNEL_LABELS, in English and in Chinese, is one of them, because errors list the labels.
CHANNEL_ALIASES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "alibaba": ("alibaba", "阿里巴巴", "阿里", "国际站", "alibaba.com"),
        "made-in-china": ("made-in-china", "中国制造网", "made in china", "mic"),
        "global-sources": ("global-sources", "环球资源", "global sources"),
        "email": ("email", "邮件", "邮箱", "e-mail", "mail"),
        "whatsapp": ("whatsapp", "wa"),
        "wechat": ("wechat", "微信"),
        "website": ("website", "官网", "网站", "独立站", "web", "site"),
        "phone": ("phone", "电话", "call"),
        "fair": ("fair", "展会", "广交会", "trade fair", "canton fair", "exhibition", "expo", "trade show"),
        "social": ("social", "social media", "社交媒体", "linkedin", "领英", "facebook", "脸书", "instagram", "社媒"),
        "other": ("other", "其他", "其它"),
    }
)

CHANNEL_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "alibaba": N_("Alibaba"),
        "made-in-china": N_("Made-in-China"),
        "global-sources": N_("Global Sources"),
        "email": N_("email"),
        "whatsapp": N_("WhatsApp"),
        "wechat": N_("WeChat"),
        "website": N_("website"),
        "phone": N_("phone"),
        "fair": N_("trade fair"),
        "social": N_("social media"),
        "other": N_("other"),
    }
)
