"""Team digests in group chats, and inquiry nudges, sent by the dispatcher."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.clock import ManualClock
from bot.store import Store
from handlers.router import Router
from tests.chat import Chat
from tests.members import enroll
from tests.test_dispatcher_calendar import RecordingNotifier, dispatcher_for

SHANGHAI = ZoneInfo("Asia/Shanghai")
GROUP = "-1001"


async def team_with_group(router: Router) -> tuple[Chat, Chat]:
    admin = Chat(router, user_id="1", name="Boss", locale="en")
    await admin.say("/start")
    rep = Chat(router, user_id="2", name="Li", locale="en")
    await enroll(rep, admin=admin)
    await rep.say("/add 名称: Bangkok Foods 国家: TH 等级: A")
    await rep.say("/add 名称: Krakow Print 国家: PL 等级: A")
    in_group = Chat(router, user_id="1", name="Boss", locale="en", group_id=GROUP)
    await in_group.say("/digest here")
    return admin, rep


def group_texts(notifier: RecordingNotifier) -> list[str]:
    return [delivery.reply.text for _at, delivery in notifier.sent if delivery.chat_id == GROUP]


async def test_team_digest_counts_without_names(router: Router, store: Store, clock: ManualClock) -> None:
    await team_with_group(router)
    notifier = RecordingNotifier(clock)
    # Registered Monday, tier A: both fall due on Thursday 10 Dec, but that is Thailand's
    # Constitution Day, so the Thai buyer moves to Friday.
    await dispatcher_for(store, clock, notifier).run_until(datetime(2026, 12, 10, 9, 0, tzinfo=SHANGHAI), clock=clock)
    texts = group_texts(notifier)
    assert len(texts) == 3  # Tuesday, Wednesday, Thursday
    thursday = texts[-1]
    # Channel digests speak the team's language, Chinese by default.
    assert "Li：今天到期 1，逾期 0，待回复询盘 0" in thursday
    assert "Krakow Print" not in thursday
    assert "泰国" in thursday


async def test_team_digest_names_when_allowed(router: Router, store: Store, clock: ManualClock) -> None:
    admin, _rep = await team_with_group(router)
    await admin.say("/digest names on")
    notifier = RecordingNotifier(clock)
    await dispatcher_for(store, clock, notifier).run_until(datetime(2026, 12, 10, 9, 0, tzinfo=SHANGHAI), clock=clock)
    assert "Krakow Print" in group_texts(notifier)[-1]


async def test_team_digest_not_on_team_day_off(router: Router, store: Store, clock: ManualClock) -> None:
    await team_with_group(router)
    notifier = RecordingNotifier(clock)
    await dispatcher_for(store, clock, notifier).run_until(datetime(2026, 12, 14, 9, 0, tzinfo=SHANGHAI), clock=clock)
    sent_days = [
        at.astimezone(SHANGHAI).date().isoformat() for at, delivery in notifier.sent if delivery.chat_id == GROUP
    ]
    assert sent_days == ["2026-12-08", "2026-12-09", "2026-12-10", "2026-12-11", "2026-12-14"]


async def test_stopped_group_gets_nothing(router: Router, store: Store, clock: ManualClock) -> None:
    await team_with_group(router)
    dispatcher = dispatcher_for(store, clock, RecordingNotifier(clock))
    await dispatcher.plan()
    in_group = Chat(router, user_id="1", name="Boss", locale="en", group_id=GROUP)
    await in_group.say("/digest stop")
    notifier = RecordingNotifier(clock)
    await dispatcher_for(store, clock, notifier).run_until(datetime(2026, 12, 9, 9, 0, tzinfo=SHANGHAI), clock=clock)
    assert group_texts(notifier) == []


async def test_nudge_one_hour_before_deadline(router: Router, store: Store, clock: ManualClock) -> None:
    clock.set(datetime(2027, 3, 9, 10, 0, tzinfo=SHANGHAI))
    rep = Chat(router, user_id="2", name="Li", locale="en")
    await rep.say("/start")
    await rep.say("/add 名称: Berlin Druck 国家: DE 等级: B")
    await rep.say("/inquiry Berlin Druck 产品: CTP plate 数量: 1x20GP")
    notifier = RecordingNotifier(clock)
    await dispatcher_for(store, clock, notifier).run_until(datetime(2027, 3, 9, 15, 30, tzinfo=SHANGHAI), clock=clock)
    nudges = [(at, delivery) for at, delivery in notifier.sent if "Berlin Druck" in delivery.reply.text]
    assert len(nudges) == 1
    at, delivery = nudges[0]
    # The deadline is 08:00 in Germany, 15:00 in Beijing; the nudge comes an hour before.
    assert at == datetime(2027, 3, 9, 14, 0, tzinfo=SHANGHAI)
    assert "15:00" in delivery.reply.text
    assert any(button.data.startswith("/replied") for row in delivery.reply.buttons for button in row)


async def test_no_nudge_after_reply(router: Router, store: Store, clock: ManualClock) -> None:
    clock.set(datetime(2027, 3, 9, 10, 0, tzinfo=SHANGHAI))
    rep = Chat(router, user_id="2", name="Li", locale="en")
    await rep.say("/start")
    await rep.say("/add 名称: Berlin Druck 国家: DE 等级: B")
    await rep.say("/inquiry Berlin Druck 产品: CTP plate")
    await rep.say("/replied Berlin Druck")
    notifier = RecordingNotifier(clock)
    await dispatcher_for(store, clock, notifier).run_until(datetime(2027, 3, 9, 15, 30, tzinfo=SHANGHAI), clock=clock)
    assert [delivery for _at, delivery in notifier.sent if "Berlin Druck" in delivery.reply.text] == []


async def test_overdue_inquiry_in_next_digest(router: Router, store: Store, clock: ManualClock) -> None:
    clock.set(datetime(2027, 3, 9, 10, 0, tzinfo=SHANGHAI))
    rep = Chat(router, user_id="2", name="Li", locale="en")
    await rep.say("/start")
    await rep.say("/add 名称: Berlin Druck 国家: DE 等级: B")
    await rep.say("/inquiry Berlin Druck 产品: CTP plate")
    notifier = RecordingNotifier(clock)
    await dispatcher_for(store, clock, notifier).run_until(datetime(2027, 3, 10, 9, 0, tzinfo=SHANGHAI), clock=clock)
    digest = notifier.sent[-1][1].reply.text
    assert notifier.sent[-1][0] == datetime(2027, 3, 10, 9, 0, tzinfo=SHANGHAI)
    assert "past its deadline" in digest
    assert "Berlin Druck" in digest
