"""Buyer-facing phrases of reply and follow-up drafts, keyed by the buyer's language.

Source: our own wording, written after the habits of export sales replies: one short line
per fact, no superlatives, no attachments, at most one exclamation mark. Drafts go to the
buyer and are not translated through gettext; another buyer language is another entry
of PHRASES with the same keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

DEFAULT_DRAFT_LANGUAGE = "en"

# Each value is a str.format template; the field names are the same in every language.
PHRASES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "en": MappingProxyType(
            {
                "greeting_named": "Dear {name},",
                "greeting_unnamed": "Dear Sir or Madam,",
                "thanks_inquiry": "Thank you for your inquiry about {product}. Our offer:",
                "thanks_interest": "Thank you for your interest in our {product}. Our offer:",
                "spec": "Specification: {spec}",
                "price": "Price: {price}",
                "quantity": "Quantity: {quantity}",
                "moq": "MOQ: {moq}",
                "lead_time": "Lead time: {lead_time}",
                "payment": "Payment: {payment}",
                "validity": "Valid until: {date}",
                "closing_quote": "Could you let us know your view on this offer?",
                "followup_quoted": (
                    "I am following up on our quotation for {product}{price}. "
                    "Did the price work for you, and is there anything else you need from us?"
                ),
                "followup_sample": (
                    "I am following up on the {product} sample. "
                    "Could you share your feedback on it after your tests?"
                ),
                # The point is a statement ("the payment terms") or the buyer's question, which stays one.
                "followup_negotiation": (
                    "Thank you for the discussion on {product}. One point is still open: {point}. "
                    "Could you let us know your view on it?"
                ),
                "followup_negotiation_question": (
                    "Thank you for the discussion on {product}. One point is still open: {point}?"
                ),
                # Only after a long silence does the draft mention the silence. Otherwise it opens with the news.
                "followup_news_silent": (
                    "It has been a while since we were last in touch. "
                    "One update that may interest you: {news}. Would you like more details?"
                ),
                "followup_news": "I would like to share an update that may interest you: {news}. Would you like more details?",
                "news_validity": "This price is valid until {date}.",
                "sign_off": "Best regards,",
            }
        ),
    }
)

# Container types as a buyer reads them, for the ISO-like codes the bot stores (20GP, 40HQ).
CONTAINER_NAMES: Mapping[str, Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        "en": MappingProxyType(
            {
                # code: (singular, plural)
                "20GP": ("20' container", "20' containers"),
                "40GP": ("40' container", "40' containers"),
                "40HQ": ("40' high-cube container", "40' high-cube containers"),
                "45HQ": ("45' high-cube container", "45' high-cube containers"),
                "20RF": ("20' reefer container", "20' reefer containers"),
                "40RF": ("40' reefer container", "40' reefer containers"),
            }
        ),
    }
)

# Titles written before a contact's name. A title with a written form here makes the greeting
# "Dear Dr. Müller," (title and family name); the others are dropped and the first name greets.
NAME_TITLES: frozenset[str] = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "mx"})
GREETING_TITLES: Mapping[str, str] = MappingProxyType(
    {"mr": "Mr.", "mrs": "Mrs.", "ms": "Ms.", "miss": "Miss", "dr": "Dr.", "prof": "Prof.", "mx": "Mx."}
)

# Price units as a buyer reads them after the slash ("USD 2.50/sqm"), for the unit codes
# that handlers/field_aliases.py UNIT_ALIASES stores.
PRICE_UNIT_NAMES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "en": MappingProxyType(
            {
                "pcs": "pc",
                "sqm": "sqm",
                "m": "m",
                "kg": "kg",
                "t": "ton",
                "sets": "set",
                "cartons": "carton",
                "pallets": "pallet",
                "rolls": "roll",
            }
        ),
    }
)

# First words of a pasted point or news item that are ordinary words, so they are
# lower-cased inside the draft's sentence ("Can you accept …" -> "can you accept …").
# Any other first word may be a name or an acronym (Rahul, CTCP) and keeps its case.
# Source: our own list of how reps open such notes.
LOWERCASE_OPENERS: frozenset[str] = frozenset(
    {
        "a", "an", "the", "our", "your", "we", "you", "they", "it", "this", "that", "these", "there",
        "can", "could", "would", "will", "should", "may", "do", "does", "did", "is", "are", "was", "were",
        "have", "has", "what", "when", "which", "how", "why", "who", "please", "new", "price", "prices",
        "payment", "delivery", "lead", "sample", "samples", "quantity", "packing", "one", "some", "all",
    }
)  # fmt: skip
