"""A turn's text, as the model writes it: its message and message_creation step opened with
the first text, the text published the moment it can no longer change (see
tools/citations.py), and the message closed with its final text and annotations."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from assistants_server import clock, ids
from assistants_server.db.models import MessageRecord, RunRecord, RunStepRecord
from assistants_server.db.repositories.base import record_by_id
from assistants_server.runs import finish
from assistants_server.runs.events import RunEvent
from assistants_server.runs.writer import RunLog
from assistants_server.schemas.messages import message_v2, message_v2_content, text_part
from assistants_server.schemas.run_steps import run_step_v2
from assistants_server.tools import citations


@dataclass
class ReplyText:
    log: RunLog
    run: RunRecord
    cited: citations.CitedText
    parts: list[dict[str, Any]] = field(default_factory=list)  # after the text (code's images)
    written: list[str] = field(default_factory=list)  # as the model wrote it
    ids: finish.Reply | None = None  # the open message and its step
    closing: list[asyncio.Future[list[RunEvent]]] = field(default_factory=list)  # replies
    # closed before the turn's end

    def feed(self, piece: str) -> None:
        self.written.append(piece)
        self._give(self.cited.feed(piece))

    def end(self) -> None:
        """The model's text is over: what was held back goes out."""
        self._give(self.cited.end())

    def close_early(self) -> None:
        """The model turned from text to tool calls: its message is complete, as OpenAI's
        was before the calls' step opened. Text after the calls would be a new message."""
        self.end()
        reply, self.ids = self.ids, None
        cited, self.cited = self.cited, citations.CitedText(self.cited.calls)
        if reply is None:
            return

        async def change(session: AsyncSession) -> list[RunEvent]:
            with session.no_autoflush:
                run = await record_by_id(session, RunRecord, self.run.id)
                message, step = await self.records(session, reply)
                if run is None or run.status != "in_progress" or not (message and step):
                    return []
                message.content = [text_part(cited.value, cited.annotations), *self.parts]
                events = self.parts_delta(message.id) + finish.close_reply(message, step)
            await session.flush()
            return events

        closing = self.log.submit(change)
        closing.add_done_callback(lambda done: done.cancelled() or done.exception())
        self.closing.append(closing)

    async def closed(self) -> None:
        """Wait until the replies closed early are written."""
        for closing in self.closing:
            await asyncio.shield(closing)

    async def records(
        self, session: AsyncSession, reply: finish.Reply | None = None
    ) -> tuple[MessageRecord | None, RunStepRecord | None]:
        """The turn's message and message_creation step (`reply`, by default the open one),
        if the model wrote text and they are still open; the message gets its final text."""
        reply = reply or self.ids
        if reply is None:
            return None, None
        message = await record_by_id(session, MessageRecord, reply.message_id)
        step = await record_by_id(session, RunStepRecord, reply.step_id)
        if message is None or step is None or message.status != "in_progress":
            return None, None
        if reply is self.ids:
            message.content = [text_part(self.cited.value, self.cited.annotations), *self.parts]
        return message, step

    def parts_delta(self, message_id: str) -> list[RunEvent]:
        """The delta that shows the parts after the text, as the message closes."""
        if not self.parts:
            return []
        content = [{"index": index, **part} for index, part in enumerate(self.parts, 1)]
        data = {"id": message_id, "object": "thread.message.delta", "delta": {"content": content}}
        return [("thread.message.delta", data)]

    def _give(self, pieces: list[citations.Piece]) -> None:
        """Publish text that can no longer change; a cited marker goes out in one piece with
        its annotation (shown as v2 shows it, numbered in the message)."""
        for text, annotation in pieces:
            message_id = self._open()
            if annotation is None:
                self.log.text(message_id, text)
                continue
            shown = message_v2_content([text_part(text, [annotation])])[0]["text"]
            numbered: dict[str, Any] = {
                "index": len(self.cited.annotations) - 1,
                **shown["annotations"][0],
            }
            self.log.cite(message_id, text, numbered)

    def _open(self) -> str:
        """The open message's id; the turn's first text opens it and its message_creation
        step, published at once and written with the text."""
        if self.ids is not None:
            return self.ids.message_id
        run, now = self.run, clock.now()
        message = MessageRecord(
            id=ids.new(ids.MESSAGE),
            tenant_id=run.tenant_id,
            thread_id=run.thread_id,
            created_at=now,
            role="assistant",
            status="in_progress",
            content=[text_part("")],
            attachments=[],
            assistant_id=run.assistant_id,
            run_id=run.id,
            metadata_={},
        )
        details = {"type": "message_creation", "message_creation": {"message_id": message.id}}
        step = finish.new_step(run, "message_creation", details)
        self.ids = finish.Reply(message.id, step.id)
        shown_step, shown_message = run_step_v2(step), message_v2(message)
        shown_message["content"] = []
        self.log.live(
            ("thread.run.step.created", shown_step),
            ("thread.run.step.in_progress", shown_step),
            ("thread.message.created", shown_message),
            ("thread.message.in_progress", shown_message),
            records=[message, step],
        )
        return message.id
