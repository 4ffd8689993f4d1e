"""The draft check as a pure function: one bad draft per rule, good drafts with no flags."""

from __future__ import annotations

import time

import pytest

from bot.i18n import Translator
from bot.services.draft_check import FLAG_TEXTS, MAX_WORDS, Flag, FlagCode, check_draft, count_words
from handlers.check import render_flags

GOOD_DRAFT = (
    "Dear Rahul, thank you for your inquiry about CTCP plates 530×664 mm 0.30 mm. Our price is USD 2.50/sqm FOB "
    "Shanghai for one 20' container. MOQ 1,000 sqm, lead time 15 days after deposit, payment 30% T/T deposit and "
    "70% against B/L copy. The price is valid until 2026-12-22. Please let me know your view. Best regards, Li"
)
# A quote with every term, for rules that look at one thing only.
TERMS = "Our price is USD 2.50/sqm FOB Shanghai, valid until 2026-12-22."
RAHUL = "Rahul Sharma"


def codes(text: str, *, contact_name: str | None = RAHUL) -> list[str]:
    return [flag.code.value for flag in check_draft(text, contact_name=contact_name)]


def only(text: str, code: FlagCode, *, contact_name: str | None = RAHUL) -> Flag:
    flags = check_draft(text, contact_name=contact_name)
    assert [flag.code for flag in flags] == [code]
    return flags[0]


# --- good drafts ---


def test_good_draft_no_flags() -> None:
    assert check_draft(GOOD_DRAFT, contact_name=RAHUL) == []


def test_good_draft_no_flags_without_contact() -> None:
    assert check_draft(GOOD_DRAFT, contact_name=None) == []


def test_good_draft_multiline_no_flags() -> None:
    draft = (
        "Dear Rahul,\n\nThank you for your inquiry about CTCP plate. Our offer:\n"
        "Specification: 530×664 mm, 0.30 mm\nPrice: USD 2.50/sqm FOB Shanghai\nQuantity: 1 × 20' container\n"
        "MOQ: 1,000 sqm\nLead time: 15 days after deposit\nPayment: 30% T/T, 70% against B/L copy\n"
        "Validity: valid until 2026-12-22\n\nCould you let us know your view on this offer?\n\nBest regards,\nLi"
    )
    assert check_draft(draft, contact_name=RAHUL) == []


def test_follow_up_recalling_quote_needs_no_validity() -> None:
    draft = (
        "Dear Rahul, I am following up on our quotation for CTCP plate at USD 2.50/sqm FOB Shanghai. "
        "Did the price work for you, and is there anything else you need from us? Best regards, Li"
    )
    assert check_draft(draft, contact_name=RAHUL) == []


def test_follow_up_without_amount_no_price_flags() -> None:
    draft = "Dear Rahul, did our price work for you? The price is still valid until 2026-12-22. Best wishes, Li"
    assert check_draft(draft, contact_name=RAHUL) == []


@pytest.mark.parametrize(
    "closing",
    ["Best regards, Li", "Best wishes, Li", "All the best, Li", "Li\nNo.1 Xinghua Road, Jiangsu"],
)
def test_closings_and_addresses_no_superlative(closing: str) -> None:
    assert codes(f"Dear Rahul, {TERMS} {closing}") == []


@pytest.mark.parametrize(
    "quote",
    [
        "Price: RMB18/kg CIF Mumbai, validity 15 days.",
        "Price: 18 yuan per kg EXW our factory, offer valid for 15 days.",
        "Shanghai FOB price: US$2.50/sqm, valid until 22 Dec.",
        "Our price is EUR 2,500 per ton CFR Hamburg, good until 31 December.",
    ],
)
def test_quote_wordings_no_flags(quote: str) -> None:
    assert codes(f"Dear Rahul, {quote}") == []


def test_numbers_that_are_no_price_no_flags() -> None:
    draft = "Dear Rahul, we can quote for 5000 sqm. The price is 5% lower than last year. Lead time 15 days."
    assert codes(draft) == []


# --- one rule each ---


def test_price_without_currency_flagged() -> None:
    draft = "Dear Rahul, our price is 2.50/sqm FOB Shanghai, valid until 2026-12-22."
    flag = only(draft, FlagCode.PRICE_WITHOUT_CURRENCY)
    assert flag.params["price"] == "2.50/sqm"


def test_price_word_amount_without_currency_flagged() -> None:
    flag = only("Dear Rahul, the price is 2.5 FOB Shanghai, valid for 30 days.", FlagCode.PRICE_WITHOUT_CURRENCY)
    assert flag.params["price"] == "2.5"


def test_price_without_incoterm_flagged() -> None:
    only("Dear Rahul, our price is USD 2.50/sqm, valid for 30 days.", FlagCode.PRICE_WITHOUT_INCOTERM)


def test_incoterm_without_place_flagged() -> None:
    flag = only("Dear Rahul, our price is USD 2.50/sqm fob, valid for 30 days.", FlagCode.INCOTERM_WITHOUT_PLACE)
    assert flag.params["term"] == "FOB"


def test_incoterm_before_price_word_flagged() -> None:
    flag = only("Dear Rahul, our CIF price is $2.50/sqm, valid for 30 days.", FlagCode.INCOTERM_WITHOUT_PLACE)
    assert flag.params["term"] == "CIF"


def test_price_without_validity_flagged() -> None:
    only("Dear Rahul, our price is USD 2.50/sqm FOB Shanghai.", FlagCode.PRICE_WITHOUT_VALIDITY)


def test_price_without_amount_flagged() -> None:
    only("Dear Rahul, our price is FOB Shanghai, valid for 30 days.", FlagCode.PRICE_WITHOUT_AMOUNT)


def test_price_without_any_term_flags_each() -> None:
    assert codes("Dear Rahul, our price is 2.50/sqm.") == [
        "price_without_currency",
        "price_without_incoterm",
        "price_without_validity",
    ]


def test_too_long_flagged() -> None:
    filler = " ".join(["We look forward to working with you."] * 20)
    flag = only(f"Dear Rahul, {TERMS} {filler}", FlagCode.TOO_LONG)
    # "Dear Rahul", the 10 words of TERMS, and 7 words 20 times.
    assert flag.params["words"] == 2 + 10 + 7 * 20
    assert flag.params["limit"] == MAX_WORDS


def test_word_limit_boundary() -> None:
    assert check_draft(" ".join(["word"] * MAX_WORDS), contact_name=None) == []
    assert codes(" ".join(["word"] * (MAX_WORDS + 1)), contact_name=None) == ["too_long"]


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        ("Please find attached our price list.", "attached"),
        ("Please find enclosed the details.", "enclosed"),
        ("For details, see the file.", "see the file"),
        ("Our PDF catalog has all models.", "PDF"),
        ("Details are in quote.xlsx for you.", ".xlsx"),
    ],
)
def test_attachment_flagged(sentence: str, phrase: str) -> None:
    flag = only(f"Dear Rahul, {TERMS} {sentence}", FlagCode.ATTACHMENT_MENTIONED)
    assert flag.params["phrase"] == phrase


def test_superlatives_flagged_once_each() -> None:
    draft = (
        f"Dear Rahul, we are a top leading manufacturer with the best quality and lowest price, "
        f"the No. 1 supplier in China, world-class service. Best quality guaranteed. {TERMS}"
    )
    flag = only(draft, FlagCode.SUPERLATIVE)
    assert flag.params["phrases"] == ("“top leading”", "“best quality”", "“lowest price”", "“No. 1 supplier”", "“world-class”")


@pytest.mark.parametrize("marks", ["!!", "！！", "! !", "‼"])
def test_exclamation_run_flagged(marks: str) -> None:
    flag = only(f"Dear Rahul, {TERMS} Thank you{marks}", FlagCode.EXCLAMATION_MARKS)
    assert flag.params["count"] == 2


def test_third_exclamation_mark_flagged() -> None:
    flag = only(f"Dear Rahul! {TERMS} Great news! Thank you!", FlagCode.EXCLAMATION_MARKS)
    assert flag.params["count"] == 3


def test_two_single_exclamation_marks_pass() -> None:
    assert codes(f"Dear Rahul! {TERMS} Thank you!") == []


@pytest.mark.parametrize(
    ("opening", "greeting"),
    [
        ("Dear Sir/Madam,", "Dear Sir/Madam"),
        ("Dear friend,", "Dear friend"),
        ("Hi,", "Hi"),
        ("Hello there!", "Hello there"),
        ("Good morning, hope you are well.", "Good morning"),
    ],
)
def test_greeting_without_name_flagged(opening: str, greeting: str) -> None:
    flag = only(f"{opening}\n{TERMS}", FlagCode.GREETING_WITHOUT_NAME)
    assert flag.params["greeting"] == greeting
    assert flag.params["name"] == RAHUL


@pytest.mark.parametrize(
    "opening",
    ["Dear Rahul,", "Dear rahul sharma,", "Hi RAHUL", "Dear Mr. Sharma,", "Hello, Rahul!", "Dear Rahul，"],
)
def test_greeting_with_name_passes(opening: str) -> None:
    assert codes(f"{opening}\n{TERMS}") == []


def test_greeting_unchecked_without_contact() -> None:
    assert codes(f"Dear Sir/Madam,\n{TERMS}", contact_name=None) == []


def test_greeting_names_other_contact_passes() -> None:
    draft = f"Dear Priya,\n{TERMS}"
    assert check_draft(draft, contact_name=RAHUL, other_contact_names=["Priya Nair"]) == []


def test_no_greeting_line_not_flagged() -> None:
    assert codes(f"Thank you for your inquiry. {TERMS}") == []


def test_chinese_punctuation_read_as_ascii() -> None:
    draft = "Dear Rahul，thank you。Price：USD 2.50/sqm FOB Shanghai，valid until 2026-12-22。Best regards，Li"
    assert codes(draft) == []


def test_bad_draft_flags_in_reading_order() -> None:
    draft = (
        "Dear Sir/Madam!!\nWe are the leading manufacturer. Our price is 2.50/sqm. "
        "Please see the attachment."
    )
    assert codes(draft) == [
        "greeting_without_name",
        "price_without_currency",
        "price_without_incoterm",
        "price_without_validity",
        "attachment_mentioned",
        "superlative",
        "exclamation_marks",
    ]


def test_empty_text_no_flags() -> None:
    assert check_draft("", contact_name=RAHUL) == []
    assert count_words("") == 0


def test_router_limit_text_checked_quickly() -> None:
    # The router lets messages of up to 4,000 characters through; none may stall the check.
    draft = ("Our price is " + "9" * 60 + " ") * 50 + "!" * 900
    started = time.monotonic()
    flags = check_draft(draft[:4000], contact_name=RAHUL)
    assert time.monotonic() - started < 1.0
    assert FlagCode.EXCLAMATION_MARKS in [flag.code for flag in flags]


# --- explanations ---


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_every_flag_text_translated(locale: str) -> None:
    t = Translator(locale)
    params = {"greeting": "Hi", "name": "Rahul", "price": "2.5", "term": "FOB", "phrase": "attached",
              "phrases": "“best price”", "count": 3, "words": 160, "limit": 150}  # fmt: skip
    for code, text in FLAG_TEXTS.items():
        for message in (text.finding, text.reason):
            rendered = t.gettext(message, **params)
            if locale == "zh_CN":
                assert rendered != message % params, code
                assert "%(" not in rendered, code
            else:
                assert rendered == message % params, code


def test_render_flags_numbered_with_reasons() -> None:
    flags = check_draft("Dear Rahul, our price is USD 2.50/sqm FOB Shanghai.", contact_name=RAHUL)
    text = render_flags(flags, t=Translator("en"))
    assert text.splitlines() == [
        "Problems found: 1",
        "1. The price has no validity (valid until DATE, or valid for 30 days).",
        "   The buyer needs to know how long the price holds to get the order approved in time.",
    ]


def test_render_no_flags_in_chinese() -> None:
    assert render_flags([], t=Translator("zh_CN")) == "未发现问题。"


@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        ("我们的价格是USD 2.5，谢谢", ["mostly_chinese", "price_without_incoterm", "price_without_validity"]),
        ("每平米2.5美元，FOB上海", ["mostly_chinese", "price_without_validity"]),
        ("人民币18元 EXW 工厂，有效期30天", ["mostly_chinese", "price_without_validity"]),
        ("Dear Rahul, price: 2.5美元/sqm FOB上海, valid until 2026-12-22.", []),
    ],
)
def test_chinese_prices_and_incoterms_read(draft: str, expected: list[str]) -> None:
    assert codes(draft) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "We offer highest-quality plates.",
        "Best-quality plates at fair terms.",
        "Our plates are the best in China.",
        "Our product is the best.",
    ],
)
def test_more_superlatives_flagged(sentence: str) -> None:
    only(f"Dear Rahul, {TERMS} {sentence}", FlagCode.SUPERLATIVE)


def test_catalog_on_website_flagged() -> None:
    flag = only(f"Dear Rahul, {TERMS} Please check the catalog on our website.", FlagCode.ATTACHMENT_MENTIONED)
    assert flag.params["phrase"] == "catalog"


def test_invalid_after_counts_as_validity() -> None:
    assert codes("Dear Rahul, USD 2.50/sqm FOB Shanghai. This offer is invalid after Friday.") == []


def test_validity_question_not_a_statement() -> None:
    assert codes("Dear Rahul, USD 2.50/sqm FOB Shanghai, price valid? Let me know.") == ["price_without_validity"]
