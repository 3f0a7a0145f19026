"""The run writer: what executors publish from memory, written in batches, many runs at once.

An executor drives a run through its `RunLog`:

- `live(*events, records=...)`: numbered and published at once; written, with `records` (new
  messages and steps), in the next batch.
- `text(message_id, piece)`: the model's text, published at once as a piece of the message's
  open text group (runs/events.py); appended to the message in the next batch, where the group
  is written as one event.
- `commit(change)`: a change that reads the database before it decides (a turn's end, a
  settle). It runs in the next batch, after everything the run published before it; its events
  are published once that commits, and what the run publishes meanwhile waits behind them.

One transaction carries the batch of every run: one writer at a time, one lock of the runs'
rows, a few statements for any number of runs. Text waits at most `interval` to be written,
which widens under load to a multiple of the last batch's time; a change does not wait.

The writer is the only one to write events of the runs it holds. A run whose event count moved
under it (its lease lapsed and another executor settled it, or its thread was deleted) is lost:
its executor is stopped and its unwritten events dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistants_server import metrics
from assistants_server.db.repositories.messages import append_text
from assistants_server.db.repositories.run_events import RunEventRepository
from assistants_server.db.session import writing
from assistants_server.runs.events import (
    RUN_EVENTS,
    TEXT_DELTA,
    Broker,
    Numbered,
    RunEvent,
    run_announcements,
    text_delta,
)

logger = logging.getLogger(__name__)

INTERVAL_SECONDS = (0.1, 2.0)  # how long text may wait for its batch: least, most
WIDENING = 10.0  # the wait is at least this multiple of the last batch's time: batches take at
# most about a tenth of the process's time

Change = Callable[[AsyncSession], Awaitable[list[RunEvent]]]


class RunLost(Exception):
    """The run is no longer this executor's to write (see the module docstring)."""


@dataclass
class _Live:
    events: list[Numbered]
    records: list[Any]
    texts: list[dict[str, str]] = field(default_factory=list)  # appended to their messages


@dataclass
class _Group:
    """A text group: one event, the pieces of one message's text published since it opened."""

    seq: int
    message_id: str
    parts: list[str] = field(default_factory=list)
    length: int = 0


@dataclass
class _Change:
    change: Change
    done: asyncio.Future[list[RunEvent]]


_Item = _Live | _Group | _Change


class RunLog:
    """One run's events while this process drives it; see the module docstring."""

    def __init__(self, writer: RunWriter, run_id: str, written: int, stop: Callable[[], None]):
        self.run_id = run_id
        self.last = written  # the last number given out
        self.written = written  # the run's event count in the database, as last written
        self.stop = stop  # stops the run's executor: the run was asked to cancel, or lost
        self.lost: RunLost | None = None
        self.closed = False  # its executor is done with it
        self._writer = writer
        self._queue: deque[_Item] = deque()  # published, to be written; only the last can
        # be a change, and while it waits, what the run does next waits here, in order
        self._later: deque[Callable[[], None] | _Change] = deque()
        self._group: _Group | None = None
        self._writing: _Change | None = None  # taken by the writer, not yet committed

    @property
    def queued(self) -> bool:
        return bool(self._queue)

    def live(self, *events: RunEvent, records: list[Any] | None = None) -> None:
        if self.lost is not None:
            return
        if self._waiting():
            self._later.append(lambda: self.live(*events, records=records))
            return
        self._group = None
        numbered = [Numbered(self.last + index, *event) for index, event in enumerate(events, 1)]
        self.last += len(events)
        self._queue.append(_Live(numbered, records or []))
        self._writer.publish(self, numbered)

    def cite(self, message_id: str, piece: str, annotation: dict[str, Any]) -> None:
        """A piece of text that carries an annotation: an event of its own, its text appended
        to the message as a group's is."""
        if self.lost is not None:
            return
        if self._waiting():
            self._later.append(lambda: self.cite(message_id, piece, annotation))
            return
        data = text_delta(message_id, piece)
        data["delta"]["content"][0]["text"]["annotations"] = [annotation]
        self.live((TEXT_DELTA, data))
        live = self._queue[-1]
        assert isinstance(live, _Live)
        live.texts.append({"message_id": message_id, "text": piece})

    def text(self, message_id: str, piece: str) -> None:
        if self.lost is not None:
            return
        if self._waiting():
            self._later.append(lambda: self.text(message_id, piece))
            return
        group = self._group
        if group is None or group.message_id != message_id:
            self.last += 1
            group = self._group = _Group(self.last, message_id)
            self._queue.append(group)
        data = text_delta(message_id, piece)
        self._writer.publish(self, [Numbered(group.seq, TEXT_DELTA, data, group.length)])
        group.parts.append(piece)
        group.length += len(piece)

    async def commit(self, change: Change) -> list[RunEvent]:
        """Run `change` in the next batch; its events once they are published. Raises
        `RunLost` if the run is lost, and what `change` raised if it failed."""
        return await asyncio.shield(self.submit(change))  # a cancelled caller leaves the
        # change to be written

    def submit(self, change: Change) -> asyncio.Future[list[RunEvent]]:
        """Queue `change` for the next batch without waiting: what the run says next waits
        behind it. The future is `commit`'s answer."""
        if self.lost is not None:
            raise self.lost
        done: asyncio.Future[list[RunEvent]] = asyncio.get_running_loop().create_future()
        if self._waiting():
            self._later.append(_Change(change, done))
        else:
            self._queue_change(_Change(change, done))
        return done

    def _queue_change(self, change: _Change) -> None:
        self._group = None
        self._queue.append(change)
        self._writer.wake(urgent=True)

    def _waiting(self) -> bool:
        """A change is queued or being written: what the run says next waits behind it."""
        queued = bool(self._queue) and isinstance(self._queue[-1], _Change)
        return queued or self._writing is not None

    def take(self) -> list[_Item]:
        items, self._group = list(self._queue), None
        self._queue.clear()
        last = items[-1] if items else None
        self._writing = last if isinstance(last, _Change) else None
        return items

    def drop(self) -> None:
        """Lost: what waits will never be written; changes among it fail."""
        assert self.lost is not None
        for item in [*self._queue, *self._later]:
            if isinstance(item, _Change) and not item.done.done():
                item.done.set_exception(self.lost)
        self._queue.clear()
        self._later.clear()

    def release(self) -> None:
        """The change taken is written (or failed): what waited behind it goes on, up to
        the next change."""
        self._writing = None
        while self._later and not self._waiting():
            step = self._later.popleft()
            if isinstance(step, _Change):
                self._queue_change(step)
            else:
                step()


@dataclass(eq=False)
class _Batch:
    """What one transaction writes for one run: its items, the numbered events of its change
    once made, and the run's event count after it."""

    log: RunLog
    items: list[_Item]
    change_events: list[Numbered] = field(default_factory=list)
    written: int = 0

    @property
    def change(self) -> _Change | None:
        last = self.items[-1] if self.items else None
        return last if isinstance(last, _Change) else None

    def rows(self) -> list[dict[str, Any]]:
        """The run_events rows to write; sets `written`."""
        rows: list[dict[str, Any]] = []
        self.written = self.log.written
        for item in self.items:
            if isinstance(item, _Live):
                numbered = item.events
            elif isinstance(item, _Group):
                data = text_delta(item.message_id, "".join(item.parts))
                numbered = [Numbered(item.seq, TEXT_DELTA, data)]
            else:
                numbered = self.change_events
            for event in numbered:
                rows.append(
                    {
                        "run_id": self.log.run_id,
                        "seq": event.seq,
                        "event": event.name,
                        "data": event.data,
                    }
                )
                self.written = event.seq
        return rows

    def texts(self) -> list[dict[str, str]]:
        """The text to append to messages, in the order it was published."""
        texts: list[dict[str, str]] = []
        for item in self.items:
            if isinstance(item, _Group):
                texts.append({"message_id": item.message_id, "text": "".join(item.parts)})
            elif isinstance(item, _Live):
                texts.extend(item.texts)
        return texts

    def records(self) -> list[Any]:
        return [record for item in self.items if isinstance(item, _Live) for record in item.records]


class RunWriter:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], broker: Broker) -> None:
        self.sessionmaker = sessionmaker
        self.broker = broker
        self.interval = INTERVAL_SECONDS[0]
        self._logs: dict[str, RunLog] = {}
        self._pending = asyncio.Event()
        self._urgent = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    def open(self, run_id: str, written: int, stop: Callable[[], None]) -> RunLog:
        """A log for the run this process now drives, whose event count is `written` (a log
        left by an earlier drive of it has nothing left to write: it ended with a change)."""
        log = self._logs[run_id] = RunLog(self, run_id, written, stop)
        self.broker.drive(run_id, stop)
        return log

    def close(self, log: RunLog) -> None:
        """The executor is done with the run; what it published is written first. (A later
        drive of the same run, after tool outputs, may have opened a log of its own already.)"""
        log.closed = True
        if self._logs.get(log.run_id) is log:
            self.broker.drive(log.run_id, _nothing)
            if not log.queued:
                self._forget(log)

    def _forget(self, log: RunLog) -> None:
        if self._logs.get(log.run_id) is log:
            del self._logs[log.run_id]
            self.broker.release(log.run_id)

    def publish(self, log: RunLog, events: list[Numbered]) -> None:
        self.broker.publish(log.run_id, events, written=False)
        self._pending.set()

    def wake(self, *, urgent: bool) -> None:
        self._pending.set()
        if urgent:
            self._urgent.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._serve(), name="run-writer")

    async def stop(self) -> None:
        """Write what is pending, then stop. A batch being written is let finish: cut short,
        what it took would be lost."""
        self._stopping = True
        self.wake(urgent=True)
        if self._task is not None:
            await self._task
        await self._write_pending()

    async def _serve(self) -> None:
        while not self._stopping:
            await self._pending.wait()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.interval):
                    await self._urgent.wait()
            started = time.monotonic()
            try:
                await self._write_pending()
            except Exception:  # a bug here must not stop every run's writes for good
                logger.exception("the run writer failed a batch")
            took = time.monotonic() - started
            self.interval = min(max(INTERVAL_SECONDS[0], WIDENING * took), INTERVAL_SECONDS[1])

    async def _write_pending(self) -> None:
        self._pending.clear()
        self._urgent.clear()
        batches = [_Batch(log, log.take()) for log in list(self._logs.values()) if log.queued]
        if not batches:
            return
        try:
            lost = await self._write(batches)
        except Exception:
            logger.exception("a batch of %d runs failed; writing each alone", len(batches))
            for batch in batches:
                await self._write_alone(batch)
            return
        for batch in batches:
            if batch in lost:
                self._lose(batch)
            else:
                self._done(batch)

    async def _write_alone(self, batch: _Batch) -> None:
        batch.change_events = []
        try:
            lost = await self._write([batch])
        except Exception as exc:
            change = batch.change
            if change is None:
                logger.exception("run %s: its events could not be written", batch.log.run_id)
                self._lose(batch)
                return
            change.done.set_exception(exc)  # the change failed: write the rest without it
            batch.items.pop()
            await self._write_alone(batch)
            return
        if lost:
            self._lose(batch)
        else:
            self._done(batch)

    async def _write(self, batches: list[_Batch]) -> list[_Batch]:
        """Write `batches` in one transaction; return those of runs found lost (not written)."""
        async with writing(self.sessionmaker) as session:
            events = RunEventRepository(session)
            found = {
                row.id: row for row in await events.lock_counts([b.log.run_id for b in batches])
            }
            lost = []
            for batch in batches:
                row = found.get(batch.log.run_id)
                if row is None or row.event_count != batch.log.written:
                    lost.append(batch)
                elif row.status == "cancelling":
                    batch.log.stop()
            kept = [batch for batch in batches if batch not in lost]
            session.add_all([record for batch in kept for record in batch.records()])
            await session.flush()
            await append_text(session, [text for batch in kept for text in batch.texts()])
            for batch in kept:
                if (change := batch.change) is not None:
                    made = await change.change(session)
                    first = batch.log.last + 1
                    batch.change_events = [Numbered(first + i, *e) for i, e in enumerate(made)]
            rows = [row for batch in kept for row in batch.rows()]
            counts = [{"run_id": b.log.run_id, "count": b.written} for b in kept]
            await events.append_many(rows, counts)
            if self.broker.announces and kept:
                origin = self.broker.origin
                payloads = run_announcements(origin, [batch.log.run_id for batch in kept])
                await events.announce_each(RUN_EVENTS, payloads)
        return lost

    def _done(self, batch: _Batch) -> None:
        log = batch.log
        log.written = batch.written
        log.last = max(log.last, batch.written)
        self.broker.written(log.run_id, batch.written)
        change = batch.change
        if change is not None:
            self.broker.publish(log.run_id, batch.change_events)
            metrics.runs_ended(batch.change_events)
            if not change.done.done():
                change.done.set_result([(event.name, event.data) for event in batch.change_events])
        log.release()  # also after a change that failed and was written without
        if log.closed and not log.queued:
            self._forget(log)

    def _lose(self, batch: _Batch) -> None:
        log = batch.log
        log.lost = RunLost(f"run {log.run_id} is no longer this executor's to write")
        change = batch.change
        if change is not None and not change.done.done():
            change.done.set_exception(log.lost)
        log.drop()
        log.stop()
        self.broker.poke(log.run_id)  # its followers read the truth from the database
        self._forget(log)


def _nothing() -> None:
    pass
