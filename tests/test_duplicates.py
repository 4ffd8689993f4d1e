"""The duplicate check (客户查重) on /add: company name, email domain, phone."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from bot.models import Customer
from bot.services.duplicates import company_domain, company_key
from bot.store import Store
from handlers.router import Router
from tests.chat import Chat
from tests.members import enroll
from tests.sheets import xlsx_bytes


@pytest.fixture
async def team(router: Router) -> tuple[Chat, Chat, Chat]:
    """An admin (Boss) and two reps, Li and Wang."""
    admin = Chat(router, user_id="1", name="Boss", locale="en")
    await admin.say("/start")
    li = Chat(router, user_id="2", name="Li", locale="en")
    wang = Chat(router, user_id="3", name="Wang", locale="en")
    await enroll(li, admin=admin)
    await enroll(wang, admin=admin)
    return admin, li, wang


async def customers(store: Store) -> int:
    async with store.session() as session:
        return int(await session.scalar(select(func.count(Customer.id))) or 0)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("ACME Trading Co., Ltd.", "acme trading co ltd"),
        ("ACME Trading Co., Ltd.", "ACME Trading"),
        ("Müller GmbH", "MÜLLER"),
        ("Muller GmbH", "Müller GmbH"),
        ("Société Générale SA", "societe generale"),
        ("华为技术有限公司", "华为技术"),
        ("华为技术有限公司", "深圳市华为技术有限公司"),
        ("华为技术有限公司", "广东省深圳市华为技术有限公司"),
        ("华为技术有限公司", "北京市海淀区华为技术有限公司"),
    ],
)
def test_company_key_ignores_case_punctuation_and_legal_form(first: str, second: str) -> None:
    assert company_key(first) == company_key(second)


def test_company_key_keeps_distinct_names_apart() -> None:
    assert company_key("Costco") != company_key("Cost")
    assert company_key("ACME Trading") != company_key("ACME Printing")


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("上海市", "上海市"),  # nothing but a city: the place is the name
        ("深圳市华为", "华为"),
        ("深圳市华", "深圳市华"),  # one character would be left
        ("北京区块链科技有限公司", "北京区块链科技"),  # 区 without a city before it is part of the name
    ],
)
def test_company_key_strips_leading_place_only_before_a_name(name: str, key: str) -> None:
    assert company_key(name) == key


def test_company_domain_is_registrable_domain() -> None:
    assert company_domain("raj@mail.acme-trading.in") == "acme-trading.in"
    assert company_domain("tom@sales.acme.co.uk") == "acme.co.uk"
    assert company_domain("li@acme.com.cn") == "acme.com.cn"
    assert company_domain("li@export.acme.com") == "acme.com"


def test_company_domain_skips_free_mail() -> None:
    assert company_domain("anna@Acme.de") == "acme.de"
    assert company_domain("anna@gmail.com") is None
    assert company_domain("raj@yahoo.co.in") is None


async def test_same_name_other_rep_refused_without_owner(team: tuple[Chat, Chat, Chat], store: Store) -> None:
    _admin, li, wang = team
    assert "Registered" in await li.say("/add 名称: ACME Trading Co., Ltd. 国家: IN")
    reply = await wang.say("/add 名称: acme trading co ltd 国家: IN")
    assert "already a customer of your team, owned by another rep" in reply
    assert "Li" not in reply
    assert await customers(store) == 1


async def test_same_email_domain_other_person_refused(team: tuple[Chat, Chat, Chat], store: Store) -> None:
    _admin, li, wang = team
    await li.say("/add 名称: Berlin Druck 国家: DE 联系人: Anna 邮箱: anna@berlindruck.de")
    reply = await wang.say("/add 名称: BD Print 国家: DE 联系人: Hans 邮箱: hans@berlindruck.de")
    assert "owned by another rep" in reply
    assert "Anna" not in reply
    assert await customers(store) == 1


async def test_shared_free_mail_domain_allowed(team: tuple[Chat, Chat, Chat], store: Store) -> None:
    _admin, li, wang = team
    await li.say("/add 名称: Sharma Print 国家: IN 邮箱: sharma@gmail.com")
    assert "Registered Mehta Traders" in await wang.say("/add 名称: Mehta Traders 国家: IN 邮箱: mehta@gmail.com")
    assert await customers(store) == 2


async def test_same_phone_written_differently_refused(team: tuple[Chat, Chat, Chat], store: Store) -> None:
    _admin, li, wang = team
    await li.say("/add 名称: Sharma Print 国家: IN 电话: +91 98765 43210")
    reply = await wang.say("/add 名称: SP Mumbai 国家: IN 电话: 0091-9876543210")
    assert "owned by another rep" in reply
    assert await customers(store) == 1


async def test_local_phone_read_with_customer_country(team: tuple[Chat, Chat, Chat], store: Store) -> None:
    _admin, li, wang = team
    await li.say("/add 名称: Sharma Print 国家: IN 电话: +91 98765 43210")
    assert "owned by another rep" in await wang.say("/add 名称: SP Mumbai 国家: IN 电话: 098765 43210")
    assert await customers(store) == 1


async def test_manager_told_who_owns_duplicate(team: tuple[Chat, Chat, Chat], store: Store) -> None:
    admin, li, _wang = team
    await li.say("/add 名称: ACME Trading Co., Ltd. 国家: IN")
    reply = await admin.say("/add 名称: ACME Trading 国家: IN")
    assert "owned by Li" in reply
    assert "ACME Trading Co., Ltd." in reply
    assert await customers(store) == 1


async def test_pooled_duplicate_says_in_pool(team: tuple[Chat, Chat, Chat], store: Store, clock) -> None:  # type: ignore[no-untyped-def]
    _admin, li, wang = team
    await li.say("/add 名称: ACME Trading 国家: IN")
    async with store.session() as session, session.begin():
        await session.execute(update(Customer).values(pooled_at=clock.now()))
    reply = await wang.say("/add 名称: ACME Trading Ltd 国家: IN")
    assert "is in the team's pool" in reply
    assert "Li" not in reply
    assert await customers(store) == 1


async def test_subdomain_email_refused_as_same_domain(team: tuple[Chat, Chat, Chat], store: Store) -> None:
    _admin, li, wang = team
    await li.say("/add 名称: Acme Trading 国家: IN 联系人: Raj 邮箱: raj@acme-trading.in")
    assert "owned by another rep" in await wang.say("/add 名称: AT Exports 国家: IN 邮箱: sales@mail.acme-trading.in")
    await li.say("/add 名称: Delhi Offset 国家: IN 邮箱: ops@mail.delhi-offset.in")
    assert "owned by another rep" in await wang.say("/add 名称: DO Print 国家: IN 邮箱: ceo@delhi-offset.in")
    assert await customers(store) == 2


async def test_accent_and_city_prefix_refused(team: tuple[Chat, Chat, Chat], store: Store) -> None:
    _admin, li, wang = team
    await li.say("/add 名称: Muller GmbH 国家: DE")
    await li.say("/add 名称: 华为技术有限公司 国家: CN")
    assert "owned by another rep" in await wang.say("/add 名称: Müller GmbH 国家: DE")
    assert "owned by another rep" in await wang.say("/add 名称: 深圳市华为技术有限公司 国家: CN")
    assert await customers(store) == 2


async def test_import_uses_add_duplicate_rules(team: tuple[Chat, Chat, Chat], store: Store) -> None:
    _admin, li, wang = team
    await li.say("/add 名称: Müller GmbH 国家: DE")
    await li.say("/add 名称: Acme Trading 国家: IN 邮箱: raj@acme-trading.in")
    await li.say("/add 名称: Pool Print 国家: IN")
    async with store.session() as session, session.begin():
        await session.execute(update(Customer).where(Customer.name == "Pool Print").values(pooled_at=func.now()))
    sheet = xlsx_bytes(
        [
            ["Company", "Country", "Email"],
            ["Muller", "DE", ""],
            ["AT Exports", "IN", "sales@mail.acme-trading.in"],
            ["Pool Print Pvt Ltd", "IN", ""],
            ["深圳市新客户有限公司", "CN", ""],
        ]
    )

    preview = await wang.send_file("customers.xlsx", sheet)

    assert "New customers: 1. Duplicates: 3. Invalid rows: 0." in preview
    assert "Row 2: same company name as a customer already registered in the team." in preview
    assert "Row 3: same email domain as a customer already registered in the team." in preview
    assert "Row 4: same company name as a customer in the team's pool; claim it with /claim." in preview
    assert "Li" not in preview
    assert "Müller" not in preview


async def test_own_duplicate_points_to_card(team: tuple[Chat, Chat, Chat], store: Store) -> None:
    _admin, li, _wang = team
    await li.say("/add 名称: ACME Trading 国家: IN")
    assert "You already have 'ACME Trading'" in await li.say("/add 名称: ACME Trading Inc. 国家: IN")
    assert await customers(store) == 1
