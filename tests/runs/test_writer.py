"""The run writer and stream followers against a real, migrated database: what a live stream
shows, what is written, and what a follower that joins late or replays afterwards sees."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistants_server.db.migrate import upgrade_to_head
from assistants_server.db.models import MessageRecord, RunRecord
from assistants_server.db.session import create_engine, create_sessionmaker
from assistants_server.runs.events import Broker, Position, RunEvent, Sent, delta_text, follow
from assistants_server.runs.writer import RunLog, RunLost, RunWriter
from tests.conftest import database_url
from tests.runs.records import new_run, reply


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def url(
    request: pytest.FixtureRequest,
    postgres_server: str | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> str:
    url = database_url(request.param, postgres_server, tmp_path_factory.mktemp("writer"), "writer")
    upgrade_to_head(url)
    return url


@pytest.fixture
async def maker(url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(url)
    yield create_sessionmaker(engine)
    await engine.dispose()


@pytest.fixture
async def writer(maker: async_sessionmaker[AsyncSession]) -> AsyncIterator[RunWriter]:
    writer = RunWriter(maker, Broker())
    writer.start()
    yield writer
    await writer.stop()


async def stored_text(maker: async_sessionmaker[AsyncSession], message_id: str) -> str:
    """The message's text as a poller reads it; '' before the message is written."""
    async with maker() as session:
        message = await session.get(MessageRecord, message_id)
        return str(message.content[0]["text"]["value"]) if message is not None else ""


async def collect(
    maker: async_sessionmaker[AsyncSession],
    writer: RunWriter,
    run_id: str,
    *,
    after: int = 0,
    subscribe: bool = False,
) -> list[Sent]:
    """Every event a follower of the run is given, up to the run's final event."""
    subscription = writer.broker.subscribe(run_id) if subscribe else None
    events: list[Sent] = []
    async for batch in follow(maker, writer.broker, run_id, Position(after), subscription):
        events += batch
    return events


def shape(events: list[Sent]) -> tuple[list[str], str]:
    """The event names with runs of text deltas counted as one, and all the text."""
    names: list[str] = []
    for name, *_ in events:
        if not (names and name == names[-1] == "thread.message.delta"):
            names.append(name)
    text = "".join(delta_text(data) for name, data, _ in events if name == "thread.message.delta")
    return names, text


async def finish(log: RunLog) -> None:
    async def complete(session: AsyncSession) -> list[RunEvent]:
        run = await session.get(RunRecord, log.run_id)
        assert run is not None
        run.status = "completed"
        return [("thread.run.completed", {"id": run.id, "object": "thread.run"})]

    await log.commit(complete)


async def test_live_stream_and_replay_see_the_same_text_written_in_few_events(
    maker: async_sessionmaker[AsyncSession], writer: RunWriter
) -> None:
    run_id, thread_id = await new_run(maker)
    live = asyncio.create_task(collect(maker, writer, run_id, subscribe=True))
    log = writer.open(run_id, 0, lambda: None)
    message = reply(run_id, thread_id)
    log.live(("thread.message.created", {"id": message.id}), records=[message])
    words = [f"word{n} " for n in range(40)]
    grown = []
    for word in words:
        log.text(message.id, word)
        await asyncio.sleep(0.01)
        grown.append(await stored_text(maker, message.id))
    await finish(log)
    writer.close(log)
    seen = await asyncio.wait_for(live, 5)

    whole = "".join(words)
    assert shape(seen) == (
        ["thread.message.created", "thread.message.delta", "thread.run.completed"],
        whole,
    )
    assert len([e for e in seen if e[0] == "thread.message.delta"]) == len(words)  # one each, live
    # a poller saw the reply grow, written a batch at a time, each time a prefix of the whole
    assert all(whole.startswith(text) for text in grown)
    assert len(set(grown)) >= 3
    assert await stored_text(maker, message.id) == whole
    # replayed from the database: the same events, the text in a few batches
    replayed = await collect(maker, writer, run_id)
    assert shape(replayed) == shape(seen)
    assert 1 < len(replayed) < len(seen)


async def test_a_follower_joining_mid_reply_sees_every_piece_once(
    maker: async_sessionmaker[AsyncSession], writer: RunWriter
) -> None:
    run_id, thread_id = await new_run(maker)
    log = writer.open(run_id, 0, lambda: None)
    message = reply(run_id, thread_id)
    log.live(("thread.message.created", {"id": message.id}), records=[message])
    pieces = [f"p{n} " for n in range(30)]
    late: asyncio.Task[list[RunEvent]] | None = None
    for index, piece in enumerate(pieces):
        log.text(message.id, piece)
        if index == 12:  # some pieces written, some only published
            late = asyncio.create_task(collect(maker, writer, run_id))
        await asyncio.sleep(0.015)
    await finish(log)
    writer.close(log)
    assert late is not None
    names, text = shape(await asyncio.wait_for(late, 5))
    assert names == ["thread.message.created", "thread.message.delta", "thread.run.completed"]
    assert text == "".join(pieces)


async def test_a_change_publishes_after_its_commit_and_holds_what_follows(
    maker: async_sessionmaker[AsyncSession], writer: RunWriter
) -> None:
    run_id, _ = await new_run(maker)
    log = writer.open(run_id, 0, lambda: None)
    subscription = writer.broker.subscribe(run_id)
    committed = asyncio.Event()

    async def slow(session: AsyncSession) -> list[RunEvent]:
        committed.set()
        return [("thread.run.step.completed", {"id": "step_1"})]

    change = asyncio.create_task(log.commit(slow))
    await asyncio.sleep(0)
    log.live(("thread.run.step.created", {"id": "step_2"}))  # after the change: waits for it
    assert [event.name for event in subscription.pending] == []
    assert await asyncio.wait_for(change, 5) == [("thread.run.step.completed", {"id": "step_1"})]
    assert committed.is_set()
    assert [(e.seq, e.name) for e in subscription.pending] == [
        (1, "thread.run.step.completed"),
        (2, "thread.run.step.created"),
    ]
    await finish(log)
    writer.close(log)


async def test_what_follows_a_change_waits_while_the_writer_commits_it(
    maker: async_sessionmaker[AsyncSession], writer: RunWriter
) -> None:
    """A change submitted without waiting (a reply closed as tool calls begin): the events
    after it, published before and while the writer commits it, all come after it, in order."""
    run_id, _ = await new_run(maker)
    log = writer.open(run_id, 0, lambda: None)
    subscription = writer.broker.subscribe(run_id)
    writing = asyncio.Event()

    async def slow(session: AsyncSession) -> list[RunEvent]:
        writing.set()
        await asyncio.sleep(0.2)  # the writer holds the change; the run goes on meanwhile
        return [("thread.message.completed", {"id": "msg_1"})]

    done = log.submit(slow)
    log.live(("thread.run.step.created", {"id": "step_2"}))  # queued behind the change
    await asyncio.wait_for(writing.wait(), 5)
    log.live(("thread.run.step.delta", {"id": "step_2"}))  # taken by the writer, not committed
    assert list(subscription.pending) == []
    await asyncio.wait_for(done, 5)
    assert [(e.seq, e.name) for e in subscription.pending] == [
        (1, "thread.message.completed"),
        (2, "thread.run.step.created"),
        (3, "thread.run.step.delta"),
    ]
    await finish(log)
    writer.close(log)


async def test_a_run_whose_events_moved_under_the_writer_is_lost(
    maker: async_sessionmaker[AsyncSession], writer: RunWriter
) -> None:
    run_id, _ = await new_run(maker)
    stopped = asyncio.Event()
    log = writer.open(run_id, 0, stopped.set)
    log.live(("thread.run.step.created", {"id": "step_1"}))
    await asyncio.sleep(0.3)  # written
    async with maker.begin() as session:  # as a recovery of another process would
        await session.execute(update(RunRecord).where(RunRecord.id == run_id).values(event_count=5))
    log.live(("thread.run.step.in_progress", {"id": "step_1"}))
    await asyncio.wait_for(stopped.wait(), 5)
    with pytest.raises(RunLost):
        await log.commit(lambda session: asyncio.sleep(0, []))
    async with maker() as session:
        count = await session.scalar(select(RunRecord.event_count).where(RunRecord.id == run_id))
    assert count == 5  # nothing more written for it


async def test_pending_text_is_written_when_the_writer_stops(
    maker: async_sessionmaker[AsyncSession], url: str, tmp_path: Path
) -> None:
    writer = RunWriter(maker, Broker())
    writer.start()
    run_id, thread_id = await new_run(maker)
    log = writer.open(run_id, 0, lambda: None)
    message = reply(run_id, thread_id)
    log.live(("thread.message.created", {"id": message.id}), records=[message])
    log.text(message.id, "said just before the stop")
    await writer.stop()
    assert await stored_text(maker, message.id) == "said just before the stop"


async def test_a_replay_longer_than_one_read_comes_whole_without_waiting_for_a_poll(
    maker: async_sessionmaker[AsyncSession],
    writer: RunWriter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Stored events are read a batch at a time: a follower reads on while batches come full,
    instead of waiting for its idle re-read (made an hour here, so waiting would hang)."""
    monkeypatch.setattr("assistants_server.runs.events.READ_BATCH", 3)
    monkeypatch.setattr("assistants_server.runs.events.FOLLOW_POLL_SECONDS", (3600.0, 3600.0))
    run_id, _ = await new_run(maker)
    log = writer.open(run_id, 0, lambda: None)
    for number in range(10):
        log.live(("thread.run.step.delta", {"id": f"step_{number}", "object": "x"}))
    await finish(log)
    writer.close(log)

    replayed = await asyncio.wait_for(collect(maker, writer, run_id), 10)
    assert [data["id"] for _, data, _ in replayed[:-1]] == [f"step_{n}" for n in range(10)]
    assert replayed[-1].name == "thread.run.completed"
    assert [sent.id for sent in replayed] == [str(n) for n in range(1, 12)]
