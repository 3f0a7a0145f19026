"""What the executor hands every run, and what a turn reads before it calls the model."""

from __future__ import annotations

import base64
import mimetypes
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistants_server.db.models import FileRecord, MessageRecord, RunRecord, RunStepRecord
from assistants_server.db.repositories.base import record_by_id
from assistants_server.db.repositories.files import FileRepository
from assistants_server.db.repositories.messages import MessageRepository
from assistants_server.db.repositories.run_steps import RunStepRepository
from assistants_server.db.session import reading
from assistants_server.llm.registry import BackendRegistry
from assistants_server.retrieval.search import Searcher
from assistants_server.runs.events import Broker
from assistants_server.runs.writer import RunWriter
from assistants_server.storage.base import FileStorage
from assistants_server.tools.code_interpreter import CodeServices

HISTORY_LIMIT = 2000  # most recent thread messages a prompt is built from
MAX_IMAGE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class RunServices:
    sessionmaker: async_sessionmaker[AsyncSession]
    broker: Broker
    writer: RunWriter
    backends: BackendRegistry
    storage: FileStorage
    searcher: Searcher
    action_expiry_seconds: int
    code: CodeServices


@dataclass(frozen=True)
class TurnInputs:
    run: RunRecord
    messages: list[MessageRecord]
    tool_steps: list[RunStepRecord]
    images: dict[str, str]  # image file id -> data URL


def unroutable(services: RunServices, model: str) -> str:
    if not services.backends.routing.backends:
        return (
            f"No model backend is configured, so model '{model}' cannot run. Set "
            "ASSISTANTS_LLM_BASE_URL to an OpenAI-compatible /v1 URL (vLLM, Ollama, llama.cpp, "
            "OpenAI...), or declare backends in the TOML file named by ASSISTANTS_CONFIG."
        )
    return (
        f"No configured backend serves model '{model}'. Add it to a backend's `models`, map it "
        "with an [aliases] entry in ASSISTANTS_CONFIG, or declare a backend without `models`."
    )


async def _data_url(storage: FileStorage, record: FileRecord) -> str | None:
    if record.bytes > MAX_IMAGE_BYTES:
        return None
    mime = mimetypes.guess_type(record.filename)[0] or "image/png"
    data = b"".join([chunk async for chunk in storage.read(record.storage_key)])
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def _images_in(messages: list[MessageRecord]) -> set[str]:
    return {
        part["image_file"]["file_id"]
        for message in messages
        for part in message.content
        if part["type"] == "image_file"
    }


async def load_turn_inputs(
    services: RunServices,
    run_id: str,
    run: RunRecord | None = None,
    earlier: TurnInputs | None = None,
    messages: list[MessageRecord] | None = None,
) -> TurnInputs | None:
    """The run (read unless given), unless it is gone or resting; its thread's messages (read
    unless given: a run claimed where it was created comes with them) and its answered tool
    calls, with the images they show read from storage. Given the `earlier` turn's inputs, only
    what the run added since is read: no message can join the thread while the run is active,
    and images are read once."""
    images = dict(earlier.images) if earlier is not None else {}
    first_turn = run is not None and run.usage is None
    if first_turn and messages is not None and not _images_in(messages):
        assert run is not None  # nothing else to read: the model is asked at once
        return TurnInputs(run=run, messages=messages, tool_steps=[], images=images)
    async with reading(services.sessionmaker) as session:
        if run is None:
            run = await record_by_id(session, RunRecord, run_id)
        if run is None or run.status not in ("in_progress", "cancelling"):
            return None
        repository = MessageRepository(session, run.tenant_id)
        if earlier is not None:
            history = [message for message in earlier.messages if message.run_id != run.id]
            messages = [*history, *await repository.in_run(run.id)][-HISTORY_LIMIT:]
        elif messages is None:
            messages = await repository.latest(run.thread_id, HISTORY_LIMIT)
        steps: list[RunStepRecord] = []
        if run.usage is not None:  # a turn has ended, so tool calls may have been answered
            steps = await RunStepRepository(session, run.tenant_id).tool_steps_in_run(run.id)
        files = FileRepository(session, run.tenant_id)
        records = [await files.get(file_id) for file_id in _images_in(messages) - set(images)]
    for record in records:
        if record is not None and (url := await _data_url(services.storage, record)):
            images[record.id] = url
    return TurnInputs(run=run, messages=messages, tool_steps=steps, images=images)
