"""Gettext translations for zh_CN (the default) and en, read from the catalogs in locales/.

Source strings are English and marked with `_()` where a translator is at hand, or with
`N_()` where the text is only named now and translated later (errors, data tables).
"""

from __future__ import annotations

import gettext
import io
import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

logger = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
DEFAULT_LOCALE = "zh_CN"


def N_(message: str) -> str:
    """Mark a message id for extraction without translating it yet."""
    return message


def normalize_locale(value: str | None) -> str | None:
    """Map a client language tag (zh-hans, zh_CN, en-US, EN) to a supported locale, or None."""
    if not value:
        return None
    tag = value.strip().replace("-", "_").lower()
    if tag.startswith("zh"):
        return "zh_CN"
    if tag.startswith("en"):
        return "en"
    return None


@lru_cache(maxsize=None)
def _load(locale: str) -> gettext.NullTranslations:
    # Compile the .po in memory so that the repository keeps no binary catalogs.
    po_path = LOCALES_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_path.exists():
        logger.warning("catalog missing locale=%s path=%s", locale, po_path)
        return gettext.NullTranslations()
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


class Translator:
    """Translates message ids into one locale."""

    def __init__(self, locale: str) -> None:
        self.locale = normalize_locale(locale) or DEFAULT_LOCALE
        self._translations = _load(self.locale)

    def gettext(self, message: str, **params: Any) -> str:
        text = self._translations.gettext(message)
        return text % params if params else text

    def ngettext(self, singular: str, plural: str, count: int, **params: Any) -> str:
        text = self._translations.ngettext(singular, plural, count)
        return text % {"count": count, **params}


def translator(locale: str | None) -> Translator:
    return Translator(locale or DEFAULT_LOCALE)
