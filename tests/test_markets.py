"""Markets: team-defined country groups, assigned to reps, limiting where they register buyers."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.models import Customer, Market, MemberMarket
from bot.store import Store
from handlers.router import Router
from tests.chat import Chat
from tests.members import enroll
from tests.sheets import xlsx_bytes


@pytest.fixture
async def team(router: Router) -> tuple[Chat, Chat]:
    admin = Chat(router, user_id="1", name="Boss", locale="en")
    await admin.say("/start")
    rep = Chat(router, user_id="2", name="Li", locale="en")
    await enroll(rep, admin=admin)
    return admin, rep


async def count(store: Store, model: type) -> int:
    async with store.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_market_set_and_list(team: tuple[Chat, Chat]) -> None:
    admin, _rep = team
    assert "Market Europe: DE FR IT." in await admin.say("/market set 欧洲 DE 法国 Italy")
    listing = await admin.say("/market")
    assert "Europe: DE FR IT" in listing
    assert "North America" in listing


async def test_rep_outside_market_refused_naming_markets(team: tuple[Chat, Chat], store: Store) -> None:
    admin, rep = team
    await admin.say("/market set 欧洲 DE FR IT")
    assert "Li now covers Europe." in await admin.say("/market assign Li 欧洲")
    reply = await rep.say("/add 名称: Sharma Print 国家: IN")
    assert "India is outside your markets (" in reply
    assert await count(store, Customer) == 0
    assert "Registered Berlin Druck" in await rep.say("/add 名称: Berlin Druck 国家: DE")


async def test_outside_markets_allowed_by_setting(team: tuple[Chat, Chat], store: Store) -> None:
    admin, rep = team
    await admin.say("/market assign Li North America")
    assert "may now register" in await admin.say("/market outside on")
    assert "Registered Sharma Print" in await rep.say("/add 名称: Sharma Print 国家: IN")


async def test_rep_without_markets_unrestricted(team: tuple[Chat, Chat]) -> None:
    admin, rep = team
    await admin.say("/market set 欧洲 DE")
    assert "Registered Sharma Print" in await rep.say("/add 名称: Sharma Print 国家: IN")


async def test_default_market_assigned_by_name(team: tuple[Chat, Chat], store: Store) -> None:
    admin, rep = team
    await admin.say("/market assign Li 东南亚")
    assert "Registered Bangkok Foods" in await rep.say("/add 名称: Bangkok Foods 国家: TH")
    assert "outside your markets" in await rep.say("/add 名称: Berlin Druck 国家: DE")
    assert await count(store, Market) == 1


async def test_rep_cannot_change_markets(team: tuple[Chat, Chat], store: Store) -> None:
    _admin, rep = team
    assert "Only admins and managers can change markets" in await rep.say("/market set 欧洲 DE")
    assert "Only admins and managers can change markets" in await rep.say("/market assign Li 欧洲")
    assert await count(store, Market) == 0
    assert await count(store, MemberMarket) == 0


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("/market set 欧洲", "Name the market and its countries"),
        ("/market set 欧洲 Narnia", "Narnia"),
        ("/market assign Li Atlantis", "No market 'Atlantis'"),
        ("/market assign Nobody 欧洲", "No member 'Nobody'"),
        ("/market outside maybe", "Write /market outside on"),
        ("/market fly", "Write /market to list markets"),
    ],
)
async def test_market_bad_input_changes_nothing(team: tuple[Chat, Chat], store: Store, message: str, expected: str) -> None:
    admin, _rep = team
    assert expected in await admin.say(message)
    assert await count(store, Market) == 0
    assert await count(store, MemberMarket) == 0


async def test_members_lists_roles_and_markets(team: tuple[Chat, Chat]) -> None:
    admin, rep = team
    await admin.say("/market assign Li 欧洲")
    listing = await admin.say("/members")
    assert "Boss — admin" in listing
    assert "Li — rep — markets: Europe" in listing
    assert "Only admins and managers" in await rep.say("/members")


async def test_role_change_by_admin_only(team: tuple[Chat, Chat], store: Store) -> None:
    admin, rep = team
    assert "Only admins can change roles" in await rep.say("/role Li manager")
    assert "Write /role NAME manager" in await admin.say("/role Li boss")
    assert "Li is now a manager." in await admin.say("/role @li manager")
    assert "Boss — admin" in await rep.say("/members")


async def test_market_set_aliases_are_one_market(team: tuple[Chat, Chat], store: Store) -> None:
    admin, _rep = team
    await admin.say("/market set 欧洲 DE")
    assert "Market Europe: FR." in await admin.say("/market set europe FR")
    assert "Market Europe: IT." in await admin.say("/market set EUROPE IT")
    assert await count(store, Market) == 1
    async with store.session() as session:
        assert (await session.execute(select(Market.countries))).scalar_one() == ["IT"]


async def test_market_set_name_matches_any_case(team: tuple[Chat, Chat], store: Store) -> None:
    admin, _rep = team
    await admin.say("/market set Nordics SE NO")
    assert "Market Nordics: DK." in await admin.say("/market set NORDICS DK")
    assert await count(store, Market) == 1


async def test_import_rows_outside_markets_are_invalid(team: tuple[Chat, Chat], store: Store) -> None:
    admin, rep = team
    await admin.say("/market set 欧洲 DE FR IT")
    await admin.say("/market assign Li 欧洲")
    sheet = xlsx_bytes([["Company", "Country"], ["Berlin Druck", "DE"], ["Sharma Print", "IN"], ["Gulf Print", "AE"]])

    preview = await rep.send_file("customers.xlsx", sheet)

    assert "New customers: 1. Duplicates: 0. Invalid rows: 2." in preview
    assert "Row 3: country India is outside your markets (" in preview
    assert "Row 4: country United Arab Emirates is outside your markets (" in preview
    await rep.say("/import yes")
    async with store.session() as session:
        assert list((await session.execute(select(Customer.name))).scalars()) == ["Berlin Druck"]


async def test_import_outside_markets_allowed_by_setting(team: tuple[Chat, Chat]) -> None:
    admin, rep = team
    await admin.say("/market set 欧洲 DE FR IT")
    await admin.say("/market assign Li 欧洲")
    await admin.say("/market outside on")
    sheet = xlsx_bytes([["Company", "Country"], ["Berlin Druck", "DE"], ["Sharma Print", "IN"]])
    assert "New customers: 2. Duplicates: 0. Invalid rows: 0." in await rep.send_file("customers.xlsx", sheet)


async def test_add_refusal_names_country_in_reader_language(router: Router, store: Store) -> None:
    admin = Chat(router, user_id="1", name="Boss", locale="en")
    await admin.say("/start")
    wang = Chat(router, user_id="3", name="Wang", locale="zh-hans")
    await enroll(wang, admin=admin)
    await admin.say("/market assign Wang 南亚")
    refusal = await wang.say("/add 名称: Muller 国家: DE")
    assert "德国" in refusal
    assert "DE" not in refusal
    assert "/market outside on" in refusal
    wang.locale = "en"
    refusal = await wang.say("/add 名称: Muller 国家: DE")
    assert refusal.startswith("Germany is outside your markets (")
    assert refusal.endswith(
        "). Ask a manager to register this buyer, or to turn on registering outside markets (/market outside on)."
    )
    assert await count(store, Customer) == 0


# --- default market names in the reader's language ---


async def test_market_members_name_default_localized(router: Router) -> None:
    admin = Chat(router, user_id="1", name="Boss", locale="en")
    await admin.say("/start")
    manager = Chat(router, user_id="4", name="Zhao", locale="zh-hans")
    await enroll(manager, admin=admin, role="manager")
    rep = Chat(router, user_id="2", name="Li", locale="en")
    await enroll(rep, admin=admin)
    assert "Market Europe: DE FR IT." in await admin.say("/market set 欧洲 DE FR IT")
    await admin.say("/market set Nordics SE NO")
    await admin.say("/market assign Li 欧洲")
    listing = await admin.say("/market")
    assert "Europe: DE FR IT" in listing
    assert "欧洲" not in listing
    assert "Nordics: NO SE" in listing
    assert "markets: Europe" in await admin.say("/members")
    chinese = await manager.say("/market")
    assert "欧洲: DE FR IT" in chinese
    assert "Europe" not in chinese
    assert "Nordics: NO SE" in chinese


async def test_english_stored_market_shown_chinese(router: Router, store: Store) -> None:
    admin = Chat(router, user_id="1", name="Boss", locale="zh-hans")
    await admin.say("/start")
    rep = Chat(router, user_id="2", name="Li", locale="zh-hans")
    await enroll(rep, admin=admin)
    await admin.say("/market assign Li Europe")
    async with store.session() as session:
        assert (await session.execute(select(Market.name))).scalar_one() == "Europe"
    assert "Europe" not in await admin.say("/members")
    refusal = await rep.say("/add 名称: Sharma Print 国家: IN")
    assert "（欧洲）" in refusal
    assert "Europe" not in refusal
    assert await count(store, Customer) == 0


async def test_outside_refusal_names_market_english(team: tuple[Chat, Chat], store: Store) -> None:
    admin, rep = team
    await admin.say("/market set 欧洲 DE FR IT")
    await admin.say("/market assign Li 欧洲")
    reply = await rep.say("/add 名称: Sharma Print 国家: IN")
    assert "outside your markets (Europe)" in reply
    assert await count(store, Customer) == 0


async def test_unknown_market_lists_localized_defaults(team: tuple[Chat, Chat], store: Store) -> None:
    admin, _rep = team
    await admin.say("/market set 欧洲 DE")
    reply = await admin.say("/market assign Li Narnia")
    assert "No market 'Narnia'. Markets: Europe, North America," in reply
    assert reply.count("Europe") == 1
    assert "欧洲" not in reply
    assert await count(store, MemberMarket) == 0


async def test_price_names_default_market_localized(team: tuple[Chat, Chat], store: Store) -> None:
    admin, _rep = team
    await admin.say("/market set 欧洲 DE FR IT")
    set_reply = await admin.say("/price set thermal CTP plate 0.27 mm 欧洲 EUR 3 CIF Hamburg")
    assert set_reply == "List price set: thermal CTP plate 0.27 mm, Europe: EUR 3 CIF Hamburg."
    assert await admin.say("/price thermal CTP plate 0.27 mm") == "thermal CTP plate 0.27 mm: Europe EUR 3 CIF Hamburg"
    missing = await admin.say("/price thermal CTP plate 0.27 mm US")
    assert "Europe" in missing
    assert "欧洲" not in missing
    async with store.session() as session:
        assert (await session.execute(select(Market.name))).scalar_one() == "欧洲"


async def test_custom_market_keeps_typed_name(team: tuple[Chat, Chat]) -> None:
    admin, _rep = team
    await admin.say("/market set 北欧 SE NO")
    assert "Market 北欧: NO SE." in await admin.say("/market set 北欧 SE NO")
    await admin.say("/price set thermal CTP plate 0.27 mm 北欧 EUR 3 CIF Hamburg")
    assert await admin.say("/price thermal CTP plate 0.27 mm") == "thermal CTP plate 0.27 mm: 北欧 EUR 3 CIF Hamburg"


async def test_pipeline_names_default_market_localized(team: tuple[Chat, Chat]) -> None:
    admin, rep = team
    await admin.say("/market set 欧洲 DE FR")
    await rep.say("/add 名称: Berlin Druck 国家: DE")
    await rep.say("/deal Berlin Druck 产品: CTP 价格: USD 3.2 FOB Shanghai")
    reply = await admin.say("/pipeline by market")
    assert "• Europe: 1 deal" in reply
    assert "欧洲" not in reply
