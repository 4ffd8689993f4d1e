"""Time of a customer import through the router: preview, then confirm, of one .xlsx sheet.

Data: a generated workbook of 20,000 rows and 12 columns. It has Chinese headers under a
merged title row, countries in Chinese, English and codes, dates as date cells and as text,
and phones with spaces. One rep sends it into an empty team. The database is SQLite in a
temporary file, or BENCH_DATABASE_URL (PostgreSQL, emptied first). Prints the rows and the
seconds of each step, the total last.

Run: python bench/bench_import.py [--rows 20000]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import logging
import os
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import openpyxl
from sqlalchemy import func, select, text

from bot.clock import ManualClock
from bot.config import Settings, normalize_database_url
from bot.models import Base, Customer
from bot.store import Store, migrate
from bot.transports.base import Attachment, Incoming
from handlers.routes import build_router

HEADERS = ["序号", "客户名称", "国家/地区", "城市", "联系人", "邮箱", "电话/WhatsApp", "生日", "客户等级", "来源", "最近跟进", "备注"]
# (country as written, a city, a local phone prefix with its country code)
COUNTRIES = [
    ("印度", "", "+91 98200 1"),
    ("Germany", "", "+49 151 2345"),
    ("AE", "", "+971 50 123"),
    ("美国", "Chicago", "+1 312 555 "),
    ("巴西", "São Paulo", "+55 11 91234 "),
    ("vietnam", "", "+84 90 123 "),
]
SOURCES = ["阿里巴巴", "广交会", "Google", "转介绍", "其他"]


def build_workbook(rows: int) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["2026 客户表"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet.append(HEADERS)
    first_contact = date(2026, 6, 1)
    for number in range(rows):
        country, city, phone = COUNTRIES[number % len(COUNTRIES)]
        last_contact = first_contact + timedelta(days=number % 180)
        sheet.append(
            [
                number + 1,
                f"Buyer {number:05d} Trading Co",
                country,
                city,
                f"Contact {number}",
                f"buyer{number}@buyer{number}.com",
                f"{phone}{number % 10000:04d}",
                f"{1960 + number % 40}/{1 + number % 12}/{1 + number % 28}",
                "ABC"[number % 3],
                SOURCES[number % len(SOURCES)],
                datetime.combine(last_contact, datetime.min.time()) if number % 2 else last_contact.strftime("%Y年%m月%d日"),
                "CTCP 0.30mm" if number % 4 == 0 else None,
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def incoming(text: str, attachment: Attachment | None = None) -> Incoming:
    return Incoming(platform="bench", user_id="rep", chat_id="rep", text=text, display_name="rep", locale="en", attachment=attachment)


async def run(url: str, rows: int) -> None:
    store = Store(url)
    if not store.is_sqlite:
        async with store.engine.begin() as connection:
            await connection.run_sync(Base.metadata.drop_all)
            await connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    await migrate(store)
    clock = ManualClock(datetime(2026, 12, 7, 2, tzinfo=timezone.utc))
    settings = Settings(url, None, None, "Bench", "zh_CN", "Asia/Shanghai", "WARNING")
    router = build_router(store=store, clock=clock, settings=settings)
    await router.handle(incoming("/start"))

    started = time.perf_counter()
    data = build_workbook(rows)
    built = time.perf_counter() - started

    started = time.perf_counter()
    [preview] = await router.handle(incoming("", Attachment("customers.xlsx", data)))
    previewed = time.perf_counter() - started
    confirm = preview.buttons[0][0].data

    started = time.perf_counter()
    [summary] = await router.handle(incoming(confirm))
    confirmed = time.perf_counter() - started

    async with store.session() as session:
        imported = int(await session.scalar(select(func.count()).select_from(Customer)) or 0)
    await store.dispose()
    assert imported == rows, summary.text
    backend = "SQLite" if store.is_sqlite else "PostgreSQL"
    print(f"data: {rows} rows, {len(data) / 1e6:.1f} MB workbook (built in {built:.1f} s), {backend}")
    print(f"rows imported: {imported}")
    print(f"preview seconds: {previewed:.1f}")
    print(f"confirm seconds: {confirmed:.1f}")
    print(f"import seconds (preview + confirm): {previewed + confirmed:.1f}")


def main(rows: int) -> None:
    logging.disable(logging.INFO)
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        asyncio.run(run(normalize_database_url(url), rows))
        return
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(run(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}", rows))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    main(parser.parse_args().rows)
