"""The code_interpreter tool: offered to the model as a function `code_interpreter(code)`, run
by the server in a sandboxed Python session of the thread's (see sandbox/), its logs, images
and files handed back as OpenAI's were.

- Files in: the assistant's files and the thread's `tool_resources.code_interpreter.file_ids`,
  and message attachments for code_interpreter, under `/mnt/data/<filename>`; they are listed
  in the function's description so the model knows their paths.
- Out: each call's logs and images (PNGs of the figures it drew) are its outputs; files it
  created or changed under /mnt/data become File objects (purpose `assistants_output`). The
  reply that follows shows the images as `image_file` parts, and its `sandbox:/mnt/data/NAME`
  links get `file_path` annotations (tools/citations.py).
- Errors in the code (exceptions, timeouts, memory) are the call's output, for the model to
  read; where no sandbox can run, each call's output says why.
- Streamed: the code as the model writes it (`input` deltas), then the outputs.
"""

from __future__ import annotations

import json
import logging
import re
from collections import OrderedDict
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistants_server import ids
from assistants_server.db.models import MessageRecord, RunRecord, RunStepRecord, ThreadRecord
from assistants_server.db.repositories.base import record_by_id
from assistants_server.db.repositories.files import FileRepository
from assistants_server.db.repositories.messages import MessageRepository
from assistants_server.db.session import reading, writing
from assistants_server.sandbox.base import Output, Session
from assistants_server.sandbox.pool import SessionPool
from assistants_server.services import files as files_service
from assistants_server.storage.base import FileStorage
from assistants_server.tools.base import CallContext, ModelCall, Tool

logger = logging.getLogger(__name__)

NAME = "code_interpreter"
OUTPUT_PURPOSE = "assistants_output"
DESCRIPTION = (
    "Run Python code in a stateful session, like a Jupyter notebook: variables and imports "
    "persist between calls in this conversation. numpy, pandas and matplotlib are installed; "
    "there is no internet access. The working directory is /mnt/data, which holds the user's "
    "files; save files there to give them to the user, and link them as "
    "sandbox:/mnt/data/NAME. Figures drawn with matplotlib are shown to the user."
)
FILES_KEPT_FOR = 4096  # runs whose file lists are remembered (a run's list is read once)
_CODE_START = re.compile(r'\s*\{\s*"code"\s*:\s*"')
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "/": "/", "\\": "\\", '"': '"'}


@dataclass(frozen=True)
class CodeServices:
    """What the executor has for code: the sessions, or why there are none."""

    pool: SessionPool | None
    unavailable: str | None = None


@dataclass
class _Input:
    """A call's code as its JSON arguments arrive: the decoded text, read once."""

    raw: str = ""
    code: str = ""
    done: bool = False

    def add(self, piece: str) -> str:
        """Take more of the arguments; the code they decode to that was not given before."""
        self.raw += piece
        if self.done:
            return ""
        start = _CODE_START.match(self.raw)
        if start is None:
            if self.raw.lstrip()[:1] in ("{", ""):
                return ""  # JSON of another shape, or not yet telling: shown when whole
            code = self.raw  # a model that sent the code itself
            new, self.code = code[len(self.code) :], code
            return new
        text, self.done = _decoded(self.raw[start.end() :])
        new, self.code = text[len(self.code) :], text
        return new


def _decoded(raw: str) -> tuple[str, bool]:
    """A JSON string's text up to its closing quote or where it is cut off; whether closed."""
    out: list[str] = []
    index = 0
    while index < len(raw):
        char = raw[index]
        if char == '"':
            return "".join(out), True
        if char != "\\":
            out.append(char)
            index += 1
            continue
        if index + 1 >= len(raw):
            break
        escape = raw[index + 1]
        if escape == "u":
            if index + 6 > len(raw):
                break
            out.append(chr(int(raw[index + 2 : index + 6], 16)))
            index += 6
            continue
        out.append(_ESCAPES.get(escape, escape))
        index += 2
    return "".join(out), False


def code_of(arguments: str) -> str:
    try:
        parsed = json.loads(arguments)
    except ValueError:
        return _Input().add(arguments) or arguments
    if isinstance(parsed, dict):
        return str(parsed.get("code") or parsed.get("input") or "")
    return str(parsed)


def function(files: Sequence[str]) -> dict[str, Any]:
    listed = "".join(f"\n- /mnt/data/{name}" for name in files)
    description = DESCRIPTION + (f"\n\nFiles in /mnt/data:{listed}" if files else "")
    return {
        "type": "function",
        "function": {
            "name": NAME,
            "description": description,
            "parameters": {
                "type": "object",
                "properties": {"code": {"type": "string", "description": "Python code to run."}},
                "required": ["code"],
            },
        },
    }


class CodeInterpreterTool(Tool):
    type = NAME

    def __init__(self) -> None:
        self._files: OrderedDict[str, dict[str, str]] = OrderedDict()  # run -> {file id: name}
        self._inputs: dict[str, _Input] = {}  # calls being written, by id
        self._put: WeakKeyDictionary[Session, set[str]] = WeakKeyDictionary()  # files put in
        # each live session

    def offered(self, run: RunRecord, steps: Sequence[RunStepRecord]) -> dict[str, Any] | None:
        if not any(tool["type"] == NAME for tool in run.tools):
            return None
        return function(sorted(set(self._files.get(run.id, {}).values())))

    async def ready(self, run: RunRecord, steps: Sequence[RunStepRecord], services: Any) -> bool:
        if any(tool["type"] == NAME for tool in run.tools):
            self._files[run.id] = await _run_files(services.sessionmaker, run)
            while len(self._files) > FILES_KEPT_FOR:
                self._files.popitem(last=False)
        return False

    def opening(self, call: ModelCall) -> dict[str, Any]:
        streamed = self._inputs.setdefault(call.id, _Input())
        streamed.add(call.arguments)
        return {"id": call.id, "type": NAME, NAME: {"input": streamed.code, "outputs": []}}

    def fragment(self, call: ModelCall, piece: str) -> dict[str, Any] | None:
        new = self._inputs.setdefault(call.id, _Input()).add(piece)
        return {"type": NAME, NAME: {"input": new}} if new else None

    async def execute(self, context: CallContext, call: ModelCall) -> dict[str, Any]:
        self._inputs.pop(call.id, None)
        code = code_of(call.arguments)
        services, run = context.services, context.run
        code_services: CodeServices = services.code
        outputs: list[dict[str, Any]] = []
        made: list[dict[str, str]] = []
        if code_services.pool is None:
            reason = code_services.unavailable or "no sandbox is configured"
            outputs.append(_logs(f"code_interpreter is unavailable on this server: {reason}"))
        else:
            session = await code_services.pool.session(run.thread_id)
            refused = await self._put_files(session, run, services)
            result = await session.run(code)
            outputs, made = await _kept(result, session, run, services)
            if refused:
                outputs.insert(0, _logs("\n".join(refused)))
            self._put.setdefault(session, set()).update(f["file_id"] for f in made)
        for index, shown in enumerate(outputs):
            context.emit({"type": NAME, NAME: {"outputs": [{"index": index, **shown}]}})
        return {
            "id": call.id,
            "type": NAME,
            NAME: {"input": code, "outputs": outputs},
            "files": made,
        }

    async def _put_files(self, session: Session, run: RunRecord, services: Any) -> list[str]:
        """The run's files into the session, those not put before (all in a fresh one);
        why any could not be put (over the size of /mnt/data, a name it cannot take)."""
        done = self._put.setdefault(session, set())
        wanted = self._files.get(run.id) or await _run_files(services.sessionmaker, run)
        missing = [file_id for file_id in wanted if file_id not in done]
        if not missing:
            return []
        async with reading(services.sessionmaker) as db:
            records = [await FileRepository(db, run.tenant_id).get(f) for f in missing]
        refused = []
        for record in records:
            if record is None:
                continue
            data = b"".join([chunk async for chunk in services.storage.read(record.storage_key)])
            try:
                await session.put(record.filename, data)
            except ValueError as exc:
                refused.append(f"/mnt/data/{record.filename} could not be provided: {exc}")
            done.add(record.id)
        return refused

    def chat_call(self, call: dict[str, Any]) -> dict[str, Any]:
        arguments = json.dumps({"code": call[NAME]["input"]})
        return {
            "id": call["id"],
            "type": "function",
            "function": {"name": NAME, "arguments": arguments},
        }

    def chat_output(self, call: dict[str, Any], ordinal: int) -> str:
        parts = [o["logs"] for o in call[NAME]["outputs"] if o["type"] == "logs"]
        images = sum(1 for o in call[NAME]["outputs"] if o["type"] == "image")
        if images:
            parts.append(f"[{images} image(s) shown to the user]")
        for made in call.get("files") or ():
            parts.append(f"[file saved: sandbox:/mnt/data/{made['name']}]")
        return "\n".join(parts) or "(no output)"

    def shown(self, call: dict[str, Any], include: frozenset[str]) -> dict[str, Any]:
        return {key: value for key, value in call.items() if key != "files"}

    def message_parts(self, call: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            {"type": "image_file", "image_file": {"file_id": o["image"]["file_id"]}}
            for o in call[NAME]["outputs"]
            if o["type"] == "image"
        ]

    def linked_files(self, call: dict[str, Any]) -> dict[str, str]:
        return {f"sandbox:/mnt/data/{f['name']}": f["file_id"] for f in call.get("files") or ()}


def _logs(text: str) -> dict[str, Any]:
    return {"type": "logs", "logs": text}


async def _kept(
    result: Output, session: Session, run: RunRecord, services: Any
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """A call's outputs, with its images and files saved as File objects."""
    outputs: list[dict[str, Any]] = [_logs(result.logs)] if result.logs else []
    made: list[dict[str, str]] = []
    storage: FileStorage = services.storage
    for number, image in enumerate(result.images):
        file_id = await _save(services.sessionmaker, storage, run, f"image-{number}.png", image)
        outputs.append({"type": "image", "image": {"file_id": file_id}})
    for name in result.files:
        try:
            data = await session.read(name)
        except (ValueError, FileNotFoundError):
            continue  # gone again, or not a regular file
        made.append(
            {"name": name, "file_id": await _save(services.sessionmaker, storage, run, name, data)}
        )
    return outputs, made


async def _save(
    sessionmaker: async_sessionmaker[AsyncSession],
    storage: FileStorage,
    run: RunRecord,
    name: str,
    data: bytes,
) -> str:
    async def chunks() -> AsyncIterator[bytes]:
        yield data

    key = ids.new(ids.STORAGE_KEY)
    size = await storage.write(key, chunks())
    try:
        async with writing(sessionmaker) as db:
            record = await files_service.create(
                db,
                run.tenant_id,
                storage_key=key,
                filename=name.rsplit("/", 1)[-1],
                size=size,
                purpose=OUTPUT_PURPOSE,
            )
            file_id = record.id
    except BaseException:
        await storage.delete(key)
        raise
    return file_id


async def _run_files(
    sessionmaker: async_sessionmaker[AsyncSession], run: RunRecord
) -> dict[str, str]:
    """The files the run's code reads, by id: the assistant's, the thread's, then attachments
    for code_interpreter in the thread's messages; with their names."""
    async with reading(sessionmaker) as db:
        thread = await record_by_id(db, ThreadRecord, run.thread_id)
        resources = (thread.tool_resources or {}) if thread is not None else {}
        wanted = [*(run.file_ids or []), *((resources.get(NAME) or {}).get("file_ids") or [])]
        messages: list[MessageRecord] = await MessageRepository(db, run.tenant_id).latest(
            run.thread_id, 2000
        )
        for message in messages:
            wanted += [
                attachment["file_id"]
                for attachment in message.attachments
                if any(tool.get("type") == NAME for tool in attachment.get("tools") or ())
            ]
        files = FileRepository(db, run.tenant_id)
        names = {}
        for file_id in dict.fromkeys(wanted):
            record = await files.get(file_id)
            if record is not None:
                names[record.id] = record.filename
    return names
