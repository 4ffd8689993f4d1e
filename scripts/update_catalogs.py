"""Extract the marked strings from the code and update locales/*/LC_MESSAGES/messages.po.

Existing translations are kept; the English catalog copies each new message id as its own
translation. New zh_CN entries stay empty until translated, and tests/test_i18n.py fails
while any is empty. Run: python scripts/update_catalogs.py
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("bot", "handlers", "reminders", "reports")
KEYWORDS = {"N_": None, "gettext": None, "ngettext": (1, 2)}
LOCALES = ("zh_CN", "en")


def extract() -> Catalog:
    template = Catalog(project="followup-bot", charset="utf-8")
    for directory in SOURCE_DIRS:
        for filename, lineno, message, comments, context in extract_from_dir(
            ROOT / directory, keywords=KEYWORDS, comment_tags=("Translators:",), strip_comment_tags=True
        ):
            template.add(
                message,
                None,
                [(f"{directory}/{filename}", lineno)],
                auto_comments=comments,
                context=context,
            )
    return template


def is_translated(message: Message) -> bool:
    if isinstance(message.string, (tuple, list)):
        return bool(message.string) and all(message.string)
    return bool(message.string)


def update(template: Catalog, locale: str) -> tuple[int, int]:
    """Merge the template into one locale's catalog; return (messages, untranslated)."""
    path = ROOT / "locales" / locale / "LC_MESSAGES" / "messages.po"
    if path.exists():
        with path.open("rb") as po_file:
            catalog = read_po(po_file, locale=locale)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        catalog = Catalog(locale=locale, project="followup-bot", charset="utf-8")
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    # A fuzzy header would make `pybabel compile` skip the whole catalog.
    catalog.fuzzy = False
    catalog.project = "followup-bot"
    catalog.version = "0.1"
    untranslated = 0
    for message in catalog:
        if not message.id:
            continue
        if locale == "en" and not is_translated(message):
            # The source strings are English, so English translates each id to itself.
            message.string = message.id
        if not is_translated(message):
            untranslated += 1
    with path.open("wb") as po_file:
        write_po(po_file, catalog, width=100, sort_output=True, omit_header=False)
    return len(catalog), untranslated


def main() -> None:
    template = extract()
    for locale in LOCALES:
        total, untranslated = update(template, locale)
        print(f"{locale}: {total} messages, {untranslated} untranslated")


if __name__ == "__main__":
    main()
