"""A run's events: numbered in order, kept in `run_events`, handed to stream followers.

Events are numbered per run. Two paths lead to followers:

- Events written by a request (a run created, tool outputs submitted) or by an executor's
  transaction (a run settled) are written in that transaction and published once it commits
  (`emit`, runs/writer.py).
- While an executor drives a run, the text the model streams is published at once, from
  memory: each piece as it arrives, numbered as part of a *text group* (one
  `thread.message.delta` event whose text grows until it is written). The run's writer
  (runs/writer.py) writes the group as one event a moment later. Until then the broker keeps
  the run's unwritten events, so a follower that joins meanwhile misses nothing.

A follower replays the stored events, then follows the broker; it reads the database again on
a gap in the numbering and when idle, which is how events written by another process arrive.
Each event a follower is sent carries where the follower then stands (`Position.id`): `"7"`
once event 7 is seen whole, `"8.120"` once 120 characters of text group 8 are. A follower
started at such an id (`Position.parse`) resumes there: nothing lost, nothing repeated.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import func, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm.attributes import set_committed_value

from assistants_server import metrics
from assistants_server.db.models import RunRecord
from assistants_server.db.repositories.run_events import RunEventRepository
from assistants_server.db.session import after_commit, reading

# The events that end a run: a run's events route (`GET .../events`) follows it up to one.
END_EVENTS = frozenset(
    {
        "thread.run.completed",
        "thread.run.incomplete",
        "thread.run.failed",
        "thread.run.cancelled",
        "thread.run.expired",
    }
)
# A stream of `stream: true` ends after the event that leaves the run waiting on nobody but the
# client: its end, or its asking for tool outputs.
FINAL_EVENTS = END_EVENTS | {"thread.run.requires_action"}
TEXT_DELTA = "thread.message.delta"
RUN_EVENTS = "assistants_run_events"  # PostgreSQL channels: "<origin> <run id> <run id>..."
WORK = "assistants_work"  # "<origin>": a run was queued
CANCELS = "assistants_cancels"  # "<run id>": a run in progress was asked to cancel
# Idle re-reads of the database, backing off: a safety net only. Events of this process reach
# followers from the broker, and other processes' are announced (PostgreSQL's NOTIFY); these
# reads catch what an announcement missed (its connection was down) and a deleted run.
FOLLOW_POLL_SECONDS = (1.0, 5.0)
HEARTBEAT_SECONDS = 15.0  # a quiet stream says it is alive this often (proxies close idle ones)
READ_BATCH = 1000  # stored events read at once; a follower reads on while batches come full

RunEvent = tuple[str, dict[str, Any]]


class Sent(NamedTuple):
    """An event as a follower is sent it, with `id`: where the follower then stands."""

    name: str
    data: dict[str, Any]
    id: str


class Numbered(NamedTuple):
    """An event and its number in the run. `offset` is set on a piece of a text group: the
    piece's text starts at that character of the group's text."""

    seq: int
    name: str
    data: dict[str, Any]
    offset: int | None = None


NOTIFY_BYTES = 7900  # PostgreSQL's limit on a NOTIFY payload is 8000 bytes


def run_announcements(origin: str, run_ids: list[str]) -> list[str]:
    """`RUN_EVENTS` payloads naming `run_ids` as written by `origin`: few, each within the
    size PostgreSQL allows."""
    payloads, current = [], origin
    for run_id in run_ids:
        if len(current) + 1 + len(run_id) > NOTIFY_BYTES:
            payloads.append(current)
            current = origin
        current += " " + run_id
    return [*payloads, current] if current != origin else payloads


def delta_text(data: dict[str, Any]) -> str:
    """The text of a `thread.message.delta` that carries text, else ''."""
    parts = data["delta"].get("content") or ()
    return "".join(part["text"].get("value", "") for part in parts if part["type"] == "text")


def text_delta(message_id: str, text: str) -> dict[str, Any]:
    content = [{"index": 0, "type": "text", "text": {"value": text}}]
    return {"id": message_id, "object": TEXT_DELTA, "delta": {"content": content}}


class Subscription:
    """What one follower has been told about a run since it last looked."""

    def __init__(self, backlog: list[Numbered]) -> None:
        self.pending: deque[Numbered] = deque(backlog)
        self.stale = False  # another process wrote events: read them from the database
        self.ready = asyncio.Event()
        if backlog:
            self.ready.set()

    def take(self) -> tuple[list[Numbered], bool]:
        """The events handed over since the last take, and whether to read the database."""
        self.ready.clear()
        taken, stale = list(self.pending), self.stale
        self.pending.clear()
        self.stale = False
        return taken, stale


class Broker:
    """In-process notifications: a run's events, handed to its followers as they are
    published; that work is queued; that a run this process drives was asked to cancel. With
    `runs/notify.py` listening (PostgreSQL), other processes' writes are announced too."""

    def __init__(self) -> None:
        self.origin = secrets.token_hex(8)  # this process, in what it announces to others
        self.announces = False  # whether writers should announce their events to others
        self._followers: defaultdict[str, set[Subscription]] = defaultdict(set)
        self._unwritten: dict[str, list[Numbered]] = {}  # published, not yet in the database
        self._delivered: dict[str, int] = {}  # the last number handed to a followed run's followers
        self._drivers: dict[str, Callable[[], None]] = {}  # run id -> its executor's cancel
        self.work = asyncio.Event()  # for the run executor
        self.ingestion = asyncio.Event()  # for the ingestion worker (retrieval/worker.py)

    def publish(self, run_id: str, events: list[Numbered], *, written: bool = True) -> None:
        """Hand `events` to the run's followers; `written=False`: they are not in the
        database yet, and joining followers get them from here until `written` is called."""
        if not written:
            self._unwritten.setdefault(run_id, []).extend(events)
        followers = self._followers.get(run_id)
        if not followers:
            return
        if events:
            self._delivered[run_id] = max(self._delivered.get(run_id, 0), events[-1].seq)
        for subscription in followers:
            subscription.pending.extend(events)
            subscription.ready.set()

    def written(self, run_id: str, seq: int) -> None:
        """The run's events up to `seq` are in the database."""
        unwritten = self._unwritten.get(run_id)
        if unwritten is not None:
            unwritten[:] = [event for event in unwritten if event.seq > seq]

    def poke(self, run_id: str) -> None:
        """Events of this run were written elsewhere (another process), or it is gone."""
        for subscription in self._followers.get(run_id, ()):
            subscription.stale = True
            subscription.ready.set()

    def subscribe(self, run_id: str, after: int = 0) -> Subscription:
        """A subscription to the run's events after number `after`; `unsubscribe` it when
        done (`follow` does)."""
        subscription = Subscription(list(self._unwritten.get(run_id, ())))
        self._followers[run_id].add(subscription)
        self._delivered.setdefault(run_id, after)
        return subscription

    def unsubscribe(self, run_id: str, subscription: Subscription) -> None:
        followers = self._followers.get(run_id)
        if followers is not None:
            followers.discard(subscription)
            if not followers:
                del self._followers[run_id]
                self._delivered.pop(run_id, None)

    def delivered(self, run_ids: list[str]) -> dict[str, int]:
        """Of these runs, those followed here, each with the last number its followers were
        handed: where reading its newer events from the database starts."""
        return {
            run_id: self._delivered.get(run_id, 0)
            for run_id in run_ids
            if run_id in self._followers
        }

    def drive(self, run_id: str, cancel: Callable[[], None]) -> None:
        """This process drives the run; `cancel` is called when it is asked to cancel."""
        self._drivers[run_id] = cancel

    def drives(self, run_id: str) -> bool:
        """Whether this process drives the run (so publishes all of its events)."""
        return run_id in self._drivers

    def release(self, run_id: str) -> None:
        """This process no longer drives the run."""
        self._drivers.pop(run_id, None)
        self._unwritten.pop(run_id, None)

    def cancel(self, run_id: str) -> None:
        """The run was asked to cancel: tell its executor, if it is in this process."""
        cancel = self._drivers.get(run_id)
        if cancel is not None:
            cancel()

    def wake_workers(self) -> None:
        self.work.set()
        self.ingestion.set()


async def announce_work(session: AsyncSession, broker: Broker) -> None:
    """Tell this process's workers, and (when announcing) other processes', that a run or a
    file was queued in this transaction, once it commits."""
    after_commit(session, broker.wake_workers)
    if broker.announces:
        await session.execute(select(func.pg_notify(WORK, broker.origin)))


async def announce_cancel(session: AsyncSession, broker: Broker, run_id: str) -> None:
    """Tell the executor driving the run, here or (when announcing) elsewhere, that it was
    asked to cancel, once this transaction commits."""
    after_commit(session, lambda: broker.cancel(run_id))
    if broker.announces:
        await session.execute(select(func.pg_notify(CANCELS, run_id)))


async def emit(session: AsyncSession, broker: Broker, run: RunRecord, *events: RunEvent) -> int:
    """Append `events` to the log of `run` (which no executor of this process is driving) in
    this transaction; publish them once it commits. Returns the last number. A run added in
    this transaction is inserted with these, its first events."""
    log = RunEventRepository(session)
    if inspect(run).pending:  # nobody can follow it elsewhere yet: nothing to announce
        run.event_count = last = len(events)
        await session.flush()
        await log.insert(run.id, 1, list(events))
    else:
        announce = (RUN_EVENTS, f"{broker.origin} {run.id}") if broker.announces else None
        last = await log.append(run.id, list(events), announce=announce)
        set_committed_value(run, "event_count", last)
    first = last - len(events) + 1
    numbered = [Numbered(first + offset, *event) for offset, event in enumerate(events)]
    after_commit(session, lambda: _published(broker, run.id, numbered))
    return last


def _published(broker: Broker, run_id: str, numbered: list[Numbered]) -> None:
    """Events this process wrote, committed: to the followers, and to the metrics."""
    broker.publish(run_id, numbered)
    metrics.runs_ended(numbered)


async def emit_many(
    session: AsyncSession, broker: Broker, runs: list[tuple[RunRecord, list[RunEvent]]]
) -> None:
    """`emit` for several runs at once, whose rows this transaction has locked (their event
    counts as loaded are current): a few statements for any number of runs."""
    rows, counts, published = [], [], []
    for run, events in runs:
        first = run.event_count + 1
        numbered = [Numbered(first + offset, *event) for offset, event in enumerate(events)]
        rows += [
            {"run_id": run.id, "seq": n.seq, "event": n.name, "data": n.data} for n in numbered
        ]
        set_committed_value(run, "event_count", run.event_count + len(events))
        counts.append({"run_id": run.id, "count": run.event_count})
        published.append((run.id, numbered))
    log = RunEventRepository(session)
    await log.append_many(rows, counts)
    if broker.announces and runs:
        ids = [run.id for run, _ in runs]
        await log.announce_each(RUN_EVENTS, run_announcements(broker.origin, ids))

    def publish() -> None:
        for run_id, numbered in published:
            _published(broker, run_id, numbered)

    after_commit(session, publish)


async def _read(
    sessionmaker: async_sessionmaker[AsyncSession], run_id: str, after: int
) -> list[Numbered] | None:
    """The run's stored events after `after`; None if the run is gone (thread deleted)."""
    async with reading(sessionmaker) as session:
        stored = await _stored(session, run_id, after)
        if not stored and not await RunEventRepository(session).exists(run_id):
            return None
    return stored


async def _stored(session: AsyncSession, run_id: str, after: int) -> list[Numbered]:
    """The run's stored events after `after`, at most `READ_BATCH` of them."""
    rows = await RunEventRepository(session).after(run_id, after, READ_BATCH)
    return [Numbered(*row) for row in rows]


async def subscribe_stored(
    session: AsyncSession, broker: Broker, run_id: str, position: Position
) -> Subscription:
    """A subscription to the run's events after `position` that already holds those stored
    (read in `session`), so that `follow` given it starts without a read of its own."""
    subscription = broker.subscribe(run_id, position.after)
    try:
        stored = await _stored(session, run_id, position.after)
    except BaseException:
        broker.unsubscribe(run_id, subscription)
        raise
    subscription.pending.extendleft(reversed(stored))
    subscription.stale = len(stored) == READ_BATCH  # more than a batch: read the rest
    subscription.ready.set()
    return subscription


@dataclass
class Position:
    """Where a follower is: every event up to `after` seen, and `taken` characters of the text
    group numbered `after + 1` (pieces of it arrive before it is written whole)."""

    after: int
    taken: int = 0

    @property
    def id(self) -> str:
        return f"{self.after + 1}.{self.taken}" if self.taken else str(self.after)

    @classmethod
    def parse(cls, text: str) -> Position:
        """The position an `id` names; ValueError if it names none."""
        seq, dot, taken = text.strip().partition(".")
        if not seq.isdigit() or (dot and not (taken.isdigit() and int(seq) > 0)):
            raise ValueError(text)
        return cls(int(seq) - 1, int(taken)) if dot else cls(int(seq))

    def accept(self, event: Numbered) -> tuple[list[Sent], bool]:
        """What of `event` is new to the follower, and whether it reveals a gap (the
        database has what came between)."""
        if self.taken and event.seq == self.after + 2:  # the next event: the group is whole
            self.after, self.taken = self.after + 1, 0
        if event.seq <= self.after:
            return [], False
        if event.seq != self.after + 1:
            return [], True
        if event.offset is None:  # a whole event, or a text group written whole
            name, data = event.name, event.data
            self.after, taken, self.taken = event.seq, self.taken, 0
            if not taken or name != TEXT_DELTA:
                return [Sent(name, data, self.id)], False
            rest = delta_text(data)[taken:]
            return ([Sent(name, text_delta(data["id"], rest), self.id)] if rest else []), False
        text = delta_text(event.data)
        if event.offset == self.taken:  # the next piece, as it nearly always is
            self.taken += len(text)
            return [Sent(event.name, event.data, self.id)], False
        if event.offset > self.taken:
            return [], True
        rest = text[self.taken - event.offset :]
        if not rest:
            return [], False
        self.taken = event.offset + len(text)
        return [Sent(event.name, text_delta(event.data["id"], rest), self.id)], False


def _plain_text(data: dict[str, Any]) -> str | None:
    """The text of a delta that carries nothing but text; None for any other."""
    parts = data["delta"].get("content")
    if data["object"] != TEXT_DELTA or not parts or len(parts) != 1:
        return None
    text = parts[0].get("text")
    return text.get("value") if parts[0]["type"] == "text" and list(text) == ["value"] else None


def _joined(events: list[Sent]) -> list[Sent]:
    """Consecutive plain text deltas of one message as one, so a follower that fell behind
    catches up in fewer frames."""
    out: list[Sent] = []
    for sent in events:
        name, data, _ = sent
        if out and out[-1].data["id"] == data.get("id") and name == out[-1].name == TEXT_DELTA:
            before, text = _plain_text(out[-1].data), _plain_text(data)
            if before is not None and text is not None:
                out[-1] = Sent(name, text_delta(data["id"], before + text), sent.id)
                continue
        out.append(sent)
    return out


async def follow(
    sessionmaker: async_sessionmaker[AsyncSession],
    broker: Broker,
    run_id: str,
    start: Position,
    subscription: Subscription | None = None,
    *,
    until: frozenset[str] = FINAL_EVENTS,
) -> AsyncIterator[list[Sent]]:
    """The run's events after `start`, as they are published, up to the first of `until`, in
    batches (what arrived together); an empty batch when nothing happened for
    `HEARTBEAT_SECONDS`. A `subscription` taken before the events after `start` were
    committed saves the first read of the database."""
    must_read = subscription is None
    position = Position(start.after, start.taken)  # moves on; the caller's stays as given
    if subscription is None:
        subscription = broker.subscribe(run_id, position.after)
    poll, quiet_since = FOLLOW_POLL_SECONDS[0], time.monotonic()
    carried: list[Numbered] = []  # events after a gap, looked at again once it is read
    try:
        while True:
            read, stored, full = must_read, [], False
            if must_read:
                found = await _read(sessionmaker, run_id, position.after)
                if found is None:
                    return
                stored, must_read, full = found, False, len(found) == READ_BATCH
            taken, stale = subscription.take()
            stale = stale or full  # more is stored than one read holds: read on
            events, carried = [*stored, *carried, *taken], []
            new: list[Sent] = []
            for index, event in enumerate(events):
                accepted, gap = position.accept(event)
                new += accepted
                if gap:
                    must_read, carried = True, events[index:]
                    break
            batch = _joined(new)
            for index, sent in enumerate(batch):
                if sent.name in until:
                    yield batch[: index + 1]
                    return
            if batch:
                yield batch
            if new:
                poll, quiet_since = FOLLOW_POLL_SECONDS[0], time.monotonic()
            if stale or (must_read and not read) or (new and not must_read):
                must_read = must_read or stale
                continue
            if time.monotonic() - quiet_since >= HEARTBEAT_SECONDS:
                quiet_since = time.monotonic()
                yield []
            # A run this process drives tells its followers everything, its loss included: no
            # reads of the database to catch what was missed, only the heartbeat's wake-up.
            local = broker.drives(run_id) and not must_read
            try:  # nothing new, or a gap the database does not fill yet: wait
                async with asyncio.timeout(HEARTBEAT_SECONDS if local else poll):
                    await subscription.ready.wait()
            except TimeoutError:
                must_read = not local
                poll = min(poll * 2, FOLLOW_POLL_SECONDS[1])
    finally:
        broker.unsubscribe(run_id, subscription)
