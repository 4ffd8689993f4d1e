"""The /check command: review a buyer reply that the rep wrote, before it is sent.

`/check TEXT` checks the draft alone. `/check 客户: NAME` on the first line, with the draft
on the next lines or after 内容:, also checks that the greeting names the customer's
contact. The customer must be one of the rep's own.
"""

from __future__ import annotations

import logging
import re

from bot.errors import UserError
from bot.i18n import N_, Translator
from bot.models import Customer
from bot.services.draft_check import FLAG_TEXTS, Flag, check_draft, count_words
from bot.transports.base import Reply
from handlers.context import ChoiceRequired, HandlerContext
from handlers.audit import audit_card_read
from handlers.customers import find_customer

logger = logging.getLogger(__name__)

CHECK_USAGE = N_(
    "Paste the reply after /check. To check the greeting too, name the customer first: "
    "/check 客户: Sharma, then the reply on the next line or after 内容:."
)
NO_PROBLEMS = N_("No problems found.")
PROBLEMS_FOUND = N_("Problems found: %(count)s")
NO_CONTACT = N_("%(customer)s has no contact name on file, so the greeting was not checked.")

# "客户: NAME" opens the arguments; the name ends at the line break or at "内容:".
_CUSTOMER_KEY = re.compile(r"^(?:客户|customer)\s*[:：]\s*", re.IGNORECASE)
_TEXT_KEY = re.compile(r"(?:^|(?<=\s))(?:内容|text)\s*[:：]\s*", re.IGNORECASE)


def split_check_arguments(args: str) -> tuple[str | None, str]:
    """Split /check arguments into (customer name or None, draft text).

    The draft keeps its line breaks. A leading 内容:/text: key is dropped.
    """
    text = args.strip()
    customer_key = _CUSTOMER_KEY.match(text)
    if customer_key is None:
        return None, _drop_text_key(text)
    first_line, line_break, remaining = text[customer_key.end() :].partition("\n")
    text_key = _TEXT_KEY.search(first_line)
    if text_key is None:
        return first_line.strip(), remaining.strip()
    draft = first_line[text_key.end() :] + line_break + remaining
    return first_line[: text_key.start()].strip(), draft.strip()


def _drop_text_key(text: str) -> str:
    text_key = _TEXT_KEY.match(text)
    return text[text_key.end() :].strip() if text_key else text


def render_flag_lines(flags: list[Flag], *, t: Translator) -> list[str]:
    """Render flags as numbered lines, each followed by the line on why it matters to the buyer."""
    lines = []
    for number, flag in enumerate(flags, start=1):
        text = FLAG_TEXTS[flag.code]
        # A list of phrases is joined the reader's way: "、" in Chinese, ", " in English.
        params = {
            key: t.gettext(", ").join(value) if isinstance(value, tuple) else value
            for key, value in flag.params.items()
        }
        lines.append(f"{number}. {t.gettext(text.finding, **params)}")
        lines.append(f"   {t.gettext(text.reason)}")
    return lines


def render_flags(flags: list[Flag], *, t: Translator) -> str:
    """Render flags as a numbered list under a count, or a line that none were found."""
    if not flags:
        return t.gettext(NO_PROBLEMS)
    return "\n".join([t.gettext(PROBLEMS_FOUND, count=len(flags)), *render_flag_lines(flags, t=t)])


async def _customer_for(context: HandlerContext, name: str, *, draft: str) -> Customer:
    try:
        return await find_customer(context, name, command="check 客户:")
    except ChoiceRequired as question:
        # Choosing a customer re-runs the whole check, so the draft follows the chosen value.
        question.after = "\n" + draft
        raise


async def cmd_check(context: HandlerContext, args: str) -> list[Reply]:
    """Check a reply draft for missing price terms, length, attachments, boasts and the greeting."""
    member = context.require_member()
    name, draft = split_check_arguments(args)
    if not draft:
        raise UserError(CHECK_USAGE)

    customer = await _customer_for(context, name, draft=draft) if name is not None else None
    if customer is not None:
        await audit_card_read(context, customer, command="check")
    contact_names = [contact.name for contact in customer.contacts if contact.name] if customer else []
    flags = check_draft(
        draft,
        contact_name=contact_names[0] if contact_names else None,
        other_contact_names=contact_names[1:],
    )
    logger.info(
        "draft checked member_id=%s customer_id=%s words=%d flags=%s",
        member.id,
        customer.id if customer else None,
        count_words(draft),
        ",".join(flag.code for flag in flags) or "none",
    )

    text = render_flags(flags, t=context.t)
    if customer is not None and not contact_names:
        text += "\n" + context.t.gettext(NO_CONTACT, customer=customer.name)
    return [Reply(text=text)]
