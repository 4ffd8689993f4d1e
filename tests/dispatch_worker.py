"""A dispatcher in a process of its own, for tests that need real processes.

Usage: python -m tests.dispatch_worker DATABASE_URL WORKER_ID OUTPUT_FILE [crash-after-claim]

Each delivery appends its reminder ids to OUTPUT_FILE, one per line. With
crash-after-claim, the process claims due rows and then kills itself before sending.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from bot.clock import SystemClock
from bot.store import Store
from bot.transports.base import Delivery
from reminders.dispatcher import Dispatcher

PLATFORM = "file"


class FileNotifier:
    """Appends the reminder ids of each delivery to a file, one line each."""

    def __init__(self, path: Path) -> None:
        self.path = path

    async def send(self, delivery: Delivery) -> None:
        with self.path.open("a", encoding="utf-8") as output:
            for reminder_id in delivery.reminder_ids:
                output.write(f"{reminder_id}\n")


async def main(url: str, worker_id: str, output: Path, mode: str) -> None:
    store = Store(url)
    dispatcher = Dispatcher(
        store=store, clock=SystemClock(), notifiers={PLATFORM: FileNotifier(output)}, worker_id=worker_id
    )
    if mode == "crash-after-claim":
        rows = await dispatcher.claim()
        print(len(rows), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    while await dispatcher.dispatch_due():
        pass
    await store.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], Path(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else "run"))
