"""The price-probe check: free mail, domain and phone countries, the watch list, and watch values."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.errors import ParseError
from bot.i18n import Translator
from bot.services.probe import (
    DOMAIN_COUNTRY,
    FREE_MAIL,
    PHONE_COUNTRY,
    WATCH_LIST,
    WATCH_LIST_WITHOUT_NOTE,
    ProbeFlag,
    check_probe,
    domain_country,
    is_free_mail,
    phone_country,
)
from handlers.watchlist import parse_watch_value
from reminders.inquiry_render import describe_probe_flag


@dataclass
class Watched:
    kind: str
    value: str
    note: str | None = None


def codes(flags: list[ProbeFlag]) -> list[str]:
    return [flag.code for flag in flags]


@pytest.mark.parametrize(
    "domain",
    [
        "gmail.com", "qq.com", "163.com", "126.com", "yahoo.co.in", "yahoo.com.br", "hotmail.fr",
        "outlook.de", "live.com", "gmx.at", "web.de", "yandex.ru", "mail.ru", "protonmail.com",
        "rediffmail.com", "icloud.com", "aol.com", "GMAIL.COM",
    ],
)  # fmt: skip
def test_free_mail_domains_recognised(domain: str) -> None:
    assert is_free_mail(domain) is True


@pytest.mark.parametrize(
    "domain", ["sharmaprint.in", "mygmail.com", "gmail-print.com", "mail.sharmaprint.in", "yahoo.example.com"]
)
def test_company_domains_not_free_mail(domain: str) -> None:
    assert is_free_mail(domain) is False


@pytest.mark.parametrize(
    ("domain", "country"),
    [
        ("druck.de", "DE"),
        ("print.co.uk", "GB"),
        ("print.com.br", "BR"),
        ("sharmaprint.in", "IN"),
        ("print.com", None),
        ("startup.io", None),
        ("brand.co", None),
        ("agency.eu", None),
        ("print.xx", None),
        ("print.shop", None),
    ],
)
def test_domain_country_from_cctld(domain: str, country: str | None) -> None:
    assert domain_country(domain) == country


def test_phone_country_reads_international_and_local_numbers() -> None:
    assert phone_country("+49 30 901820", default_country="IN") == "DE"
    assert phone_country("098200 12345", default_country="IN") == "IN"
    assert phone_country("+1 416 979 5000", default_country="US") == "CA"
    assert phone_country("+800 1234 5678", default_country="IN") is None
    assert phone_country("+49 1", default_country="IN") is None


def test_clean_company_sender_has_no_flags() -> None:
    flags = check_probe(
        claimed_country="IN",
        company="Sharma Print House",
        emails=["rahul@sharmaprint.in", "sales@sharma-global.com"],
        phones=["+91 98200 12345"],
        watch=[],
    )
    assert flags == []


def test_free_mail_claims_company() -> None:
    (flag,) = check_probe(claimed_country="IN", company="Sharma", emails=["Rahul@Gmail.com"], phones=[], watch=[])
    assert flag.code == FREE_MAIL
    assert dict(flag.params) == {"email": "rahul@gmail.com", "domain": "gmail.com", "company": "Sharma"}


def test_domain_and_phone_country_contradict_claim() -> None:
    flags = check_probe(
        claimed_country="in",
        company="Sharma",
        emails=["a@rival.de", "b@rival.de"],
        phones=["+49 30 901820"],
        watch=[],
    )
    assert codes(flags) == [DOMAIN_COUNTRY, PHONE_COUNTRY]
    assert dict(flags[0].params) == {"domain": "rival.de", "country": "DE", "claimed": "IN"}
    assert dict(flags[1].params) == {"phone": "+4930901820", "country": "DE", "claimed": "IN"}


def test_free_mail_with_foreign_cctld_flags_both() -> None:
    flags = check_probe(claimed_country="DE", company="Müller", emails=["x@yahoo.co.in"], phones=[], watch=[])
    assert codes(flags) == [FREE_MAIL, DOMAIN_COUNTRY]


def test_watch_list_matches_email_domain_and_phone() -> None:
    watch = [
        Watched("email", "spy@gmail.com", "asked for prices twice"),
        Watched("domain", "rival.cn"),
        Watched("phone", "+919820012345"),
        Watched("fax", "+1"),
    ]
    flags = check_probe(
        claimed_country="IN",
        company="Sharma",
        emails=["SPY@gmail.com", "li@sales.rival.cn"],
        phones=["098200 12345"],
        watch=watch,
    )
    watch_flags = [flag for flag in flags if flag.code == WATCH_LIST]
    assert [flag.params["value"] for flag in watch_flags] == ["spy@gmail.com", "rival.cn", "+919820012345"]
    assert watch_flags[0].params["note"] == "asked for prices twice"


def test_watch_domain_does_not_match_lookalike() -> None:
    flags = check_probe(
        claimed_country="CN", company="Acme", emails=["a@notrival.cn"], phones=[], watch=[Watched("domain", "rival.cn")]
    )
    assert flags == []


def test_flag_record_round_trip() -> None:
    flag = ProbeFlag(DOMAIN_COUNTRY, {"domain": "rival.de", "country": "DE", "claimed": "IN"})
    record = flag.as_record()
    assert record == {"code": "domain_country", "domain": "rival.de", "country": "DE", "claimed": "IN"}
    assert ProbeFlag.from_record(record) == flag


def test_unknown_flag_code_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown probe flag"):
        ProbeFlag("mystery", {})


def test_watch_flag_without_note_uses_short_message() -> None:
    flag = ProbeFlag(WATCH_LIST, {"kind": "email", "value": "a@b.cn", "note": ""})
    assert flag.message == WATCH_LIST_WITHOUT_NOTE


def test_flag_description_names_countries_in_reader_language() -> None:
    flag = ProbeFlag(DOMAIN_COUNTRY, {"domain": "rival.de", "country": "DE", "claimed": "IN"})
    english = describe_probe_flag(flag, t=Translator("en"))
    assert english == "The email domain rival.de does not match the customer's country (domain: Germany, customer: India)."
    chinese = describe_probe_flag(flag, t=Translator("zh_CN"))
    assert "德国" in chinese
    assert "印度" in chinese


def test_phone_flag_country_names_stand_alone() -> None:
    flag = ProbeFlag(PHONE_COUNTRY, {"phone": "+12125550100", "country": "US", "claimed": "GB"})
    english = describe_probe_flag(flag, t=Translator("en"))
    assert english == (
        "The phone +12125550100 does not match the customer's country (phone: United States, customer: United Kingdom)."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Spy@Gmail.com", ("email", "spy@gmail.com")),
        ("@Rival.CN", ("domain", "rival.cn")),
        ("rival.cn", ("domain", "rival.cn")),
        ("163.com", ("domain", "163.com")),
        ("+91 98200 12345", ("phone", "+919820012345")),
        ("0091 98200 12345", ("phone", "+919820012345")),
    ],
)
def test_watch_value_normalised(text: str, expected: tuple[str, str]) -> None:
    assert parse_watch_value(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rival", "is not an email, a domain or a phone number"),
        ("@rival", "Domain '@rival' is not valid"),
        ("98200 12345", "has no country code"),
        ("+91 12", "is not a valid number"),
        ("spy@", "Email 'spy@' is not valid"),
    ],
)
def test_watch_value_invalid(text: str, message: str) -> None:
    with pytest.raises(ParseError) as raised:
        parse_watch_value(text)
    assert message in str(raised.value)
