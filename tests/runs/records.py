"""Rows of a run in progress, made straight in the database, for tests of the run machinery."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistants_server import clock, ids
from assistants_server.db.models import MessageRecord, RunRecord, ThreadRecord
from assistants_server.schemas.messages import text_part

TENANT = "tenant-runs"


async def new_run(maker: async_sessionmaker[AsyncSession]) -> tuple[str, str]:
    """A thread and its run in progress with no events yet: the run's id and the thread's."""
    now = clock.now()
    thread = ThreadRecord(id=ids.new(ids.THREAD), tenant_id=TENANT, created_at=now)
    thread.tool_resources, thread.metadata_ = {}, {}
    run = RunRecord(
        id=ids.new(ids.RUN),
        tenant_id=TENANT,
        thread_id=thread.id,
        assistant_id="asst_x",
        created_at=now,
        status="in_progress",
        model="m",
        instructions="",
        tools=[],
        metadata_={},
        truncation_strategy={"type": "auto", "last_messages": None},
        tool_choice="auto",
        response_format="auto",
        event_count=0,
    )
    async with maker.begin() as session:
        session.add(thread)
        await session.flush()
        session.add(run)
    return run.id, thread.id


def reply(run_id: str, thread_id: str) -> MessageRecord:
    return MessageRecord(
        id=ids.new(ids.MESSAGE),
        tenant_id=TENANT,
        thread_id=thread_id,
        created_at=clock.now(),
        role="assistant",
        status="in_progress",
        content=[text_part("")],
        attachments=[],
        run_id=run_id,
        metadata_={},
    )
