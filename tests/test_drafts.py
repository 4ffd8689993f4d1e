"""Draft composition and the team's terms, without the router."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.errors import AccessDenied, UserError
from bot.models import Member, Role, Team
from bot.services.draft_check import check_draft
from bot.services.draft_phrases import CONTAINER_NAMES, PHRASES
from bot.services.draft_text import (
    MAX_FOLLOWUP_WORDS,
    MAX_REPLY_WORDS,
    FollowupFacts,
    FollowupKind,
    QuoteFacts,
    as_clause,
    compose_followup,
    compose_quote,
    draft_word_count,
    greeting_name,
    format_amount,
    format_container_codes,
    format_price,
    format_quantity,
)
from bot.services.terms import clear_term, set_terms, team_terms
from handlers.terms import parse_validity_days

FACTS = QuoteFacts(
    greeting_name="Rahul",
    product="CTCP plate",
    spec="530×664 mm 0.30 mm",
    price="USD 2.50 FOB Shanghai",
    quantity="1 x 20' container",
    moq="500 sqm",
    lead_time="15 days after deposit",
    payment="30% T/T deposit, 70% against B/L copy",
    valid_until=date(2026, 12, 22),
    signature="Li Wei\nSales Manager",
    answers_inquiry=True,
)


def member(role: Role) -> Member:
    return Member(id=7, team_id=1, display_name="Li", role=role, zone="Asia/Shanghai")


def test_quote_states_each_term_on_its_line() -> None:
    text = compose_quote(FACTS)
    lines = text.splitlines()
    assert lines[0] == "Dear Rahul,"
    assert "Thank you for your inquiry about CTCP plate. Our offer:" in lines
    assert "Price: USD 2.50 FOB Shanghai" in lines
    assert "Quantity: 1 x 20' container" in lines
    assert "Valid until: 2026-12-22" in lines
    assert lines[-2:] == ["Li Wei", "Sales Manager"]
    assert draft_word_count(text) < MAX_REPLY_WORDS


def test_quote_leaves_out_unknown_optional_lines() -> None:
    text = compose_quote(
        QuoteFacts(**{**FACTS.__dict__, "quantity": None, "moq": None, "lead_time": None, "greeting_name": None})
    )
    assert "Quantity:" not in text
    assert "MOQ:" not in text
    assert "Lead time:" not in text
    assert text.startswith("Dear Sir or Madam,")


def test_quote_has_no_exclamation_or_attachment() -> None:
    text = compose_quote(FACTS)
    assert "!" not in text
    assert "attach" not in text.casefold()


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (FollowupKind.QUOTED, "Did the price work for you"),
        (FollowupKind.SAMPLE, "share your feedback on it"),
        (FollowupKind.NEGOTIATION, "One point is still open: the payment terms. Could you"),
        (FollowupKind.NEWS, "an update that may interest you: a new 0.27 mm plate."),
    ],
)
def test_followup_body_by_kind(kind: FollowupKind, expected: str) -> None:
    facts = FollowupFacts(
        kind=kind,
        greeting_name="Rahul",
        product="CTCP plate",
        price="USD 2.50 FOB Shanghai",
        signature="Li Wei",
        point="the payment terms.",
        news="a new 0.27 mm plate",
    )
    text = compose_followup(facts)
    assert expected in text
    assert text.startswith("Dear Rahul,")
    assert draft_word_count(text) < MAX_FOLLOWUP_WORDS


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Rahul Sharma", "Rahul"),
        ("Mr. Rahul Sharma", "Mr. Sharma"),
        ("Mr. John Smith", "Mr. Smith"),
        ("Dr. Hans Müller", "Dr. Müller"),
        ("Dr Anna", "Dr. Anna"),
        ("Sharma, Rahul", "Rahul"),
        ("Sharma,", "Sharma"),
        ("rahul@sharmaprint.in", None),
        ("王先生", None),
        ("Sir", None),
        ("", None),
        (None, None),
    ],
)
def test_greeting_name_by_name_form(name: str | None, expected: str | None) -> None:
    assert greeting_name(name) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [(Decimal("2.5"), "2.50"), (Decimal("3"), "3.00"), (Decimal("2.345"), "2.345"), (Decimal("1250"), "1,250.00")],
)
def test_amount_has_two_decimals(amount: Decimal, expected: str) -> None:
    assert format_amount(amount) == expected


def test_quantity_names_containers_and_units() -> None:
    assert format_quantity(amount=Decimal("1.000"), unit="20GP", is_container=True) == "1 x 20' container"
    assert format_quantity(amount=Decimal(2), unit="40HQ", is_container=True) == "2 x 40' high-cube containers"
    assert format_quantity(amount=Decimal("5000"), unit="sqm", is_container=False) == "5,000 sqm"


def test_phrase_languages_share_keys() -> None:
    keys = set(PHRASES["en"])
    assert all(set(phrases) == keys for phrases in PHRASES.values())
    assert set(CONTAINER_NAMES) == set(PHRASES)


def test_terms_set_and_clear_by_manager() -> None:
    team = Team(id=1, name="T", terms={})
    terms = set_terms(team, actor=member(Role.MANAGER), values={"payment": "T/T", "validity": "15"})
    assert (terms.payment, terms.validity_days) == ("T/T", 15)
    assert team.terms == {"payment": "T/T", "validity": "15"}
    cleared = clear_term(team, actor=member(Role.ADMIN), key="payment")
    assert cleared.payment is None
    assert team_terms(team).validity_days == 15


def test_terms_refused_for_rep() -> None:
    team = Team(id=1, name="T", terms={})
    with pytest.raises(AccessDenied):
        set_terms(team, actor=member(Role.REP), values={"payment": "T/T"})
    assert team.terms == {}


@pytest.mark.parametrize("value", ["0", "366", "abc", "-5", "1.5"])
def test_terms_validity_out_of_range_rejected(value: str) -> None:
    team = Team(id=1, name="T", terms={"validity": "15"})
    with pytest.raises(UserError, match="from 1 to 365"):
        set_terms(team, actor=member(Role.ADMIN), values={"validity": value, "payment": "T/T"})
    assert team.terms == {"validity": "15"}


def test_terms_too_long_rejected() -> None:
    team = Team(id=1, name="T", terms={})
    with pytest.raises(UserError, match="too long"):
        set_terms(team, actor=member(Role.ADMIN), values={"moq": "x" * 101})
    with pytest.raises(UserError, match="lines"):
        set_terms(team, actor=member(Role.ADMIN), values={"signature": "\n".join("abcdefg")})


@pytest.mark.parametrize(("text", "expected"), [("15", "15"), ("15 days", "15"), ("15天", "15"), ("30d", "30")])
def test_validity_days_unit_stripped(text: str, expected: str) -> None:
    assert parse_validity_days(text) == expected


def test_price_shows_unit_in_buyer_words() -> None:
    price = format_price(currency="USD", amount=Decimal("2.5"), incoterm="FOB", place="Shanghai", unit="sqm")
    assert price == "USD 2.50/sqm FOB Shanghai"
    tons = format_price(currency="USD", amount=Decimal(900), incoterm="CIF", place="Mumbai", unit="t")
    assert tons == "USD 900.00/ton CIF Mumbai"
    assert format_price(currency="USD", amount=Decimal("2.5"), incoterm="FOB", place="Ningbo") == "USD 2.50 FOB Ningbo"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1×20GP", "1 x 20' container"), ("2 x 40HQ", "2 x 40' high-cube containers"), ("500 sqm", "500 sqm")],
)
def test_container_codes_written_out(text: str, expected: str) -> None:
    assert format_container_codes(text) == expected


@pytest.mark.parametrize(
    ("text", "clause", "is_question"),
    [
        ("Can you accept 20% deposit?", "can you accept 20% deposit", True),
        ("the payment terms.", "the payment terms", False),
        ("New price from March!!!", "new price from March", False),
        ("CTCP line doubled！！", "CTCP line doubled", False),
        ("Rahul's sample test...", "Rahul's sample test", False),
    ],
)
def test_clause_from_pasted_text(text: str, clause: str, is_question: bool) -> None:
    assert as_clause(text) == (clause, is_question)


def test_negotiation_question_stays_question() -> None:
    facts = FollowupFacts(
        kind=FollowupKind.NEGOTIATION,
        greeting_name="Rahul",
        product="CTCP plate",
        price=None,
        signature="Li Wei",
        point="Can you accept 20% deposit?",
    )
    text = compose_followup(facts)
    assert "One point is still open: can you accept 20% deposit?\n" in text
    assert "?." not in text
    assert check_draft(text, contact_name="Rahul Sharma") == []


def test_news_opening_depends_on_silence() -> None:
    facts = FollowupFacts(
        kind=FollowupKind.NEWS, greeting_name=None, product=None, price=None, signature="Li", news="New plate!!!"
    )
    recent = compose_followup(facts)
    silent = compose_followup(FollowupFacts(**{**facts.__dict__, "silent": True}))
    assert "It has been a while" not in recent
    assert "It has been a while since we were last in touch." in silent
    assert "!" not in recent + silent
    assert "interest you: new plate." in recent


def test_quote_wording_reads_naturally() -> None:
    text = compose_quote(QuoteFacts(**{**FACTS.__dict__, "answers_inquiry": False}))
    assert "Thank you for your interest in our CTCP plate." in text
    assert "valid until" not in text
    assert check_draft(text, contact_name="Rahul Sharma") == []
