"""What a tool is to a run: the one seam the run loop, prompt building and the services use.

Each tool type of the Assistants API (`function`, `file_search`, `code_interpreter`) is a
`Tool`, found by its type in `tools/registry.py`. The model sees every tool as a function; a
built-in tool is offered under its own name (`file_search(query)`, `code_interpreter(code)`),
and the server runs its calls. A `function` call is answered by the client: the run waits in
`requires_action`.

A call is stored in its step as the API shows it (`{"id", "type", <type>: {...}}`), plus
what the tool keeps for itself (file_search's query); `shown` and `shown_v1` give the client's
view of it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy.ext.asyncio import AsyncSession

from assistants_server.db.models import AssistantRecord, RunRecord, RunStepRecord, ThreadRecord


@dataclass(frozen=True)
class ModelCall:
    """A call as the model wrote it: its id, the function name, the arguments (JSON text)."""

    id: str
    name: str
    arguments: str


@dataclass(frozen=True)
class CallContext:
    """What a server-run call is executed with. `services` is the executor's RunServices;
    `emit(fragment)` publishes a step delta for this call (its index added), e.g. the outputs
    as they come. Cancelling the awaiting task stops the call."""

    run: RunRecord
    services: Any
    emit: Callable[[dict[str, Any]], None]


class Tool(ABC):
    """A tool type. The abstract methods each tool defines; the rest are defaults for a
    built-in tool the server runs, which a tool overrides where it differs."""

    type: ClassVar[str]
    answered_by_client: ClassVar[bool] = False  # the run waits in requires_action for outputs
    cited: ClassVar[bool] = False  # its calls' results are what citation markers name

    @abstractmethod
    def offered(self, run: RunRecord, steps: Sequence[RunStepRecord]) -> dict[str, Any] | None:
        """The chat tool offered to the model this turn, or None (not offered now)."""

    @abstractmethod
    def opening(self, call: ModelCall) -> dict[str, Any]:
        """The call as its first step delta shows it, with the arguments written so far."""

    @abstractmethod
    async def execute(self, context: CallContext, call: ModelCall) -> dict[str, Any]:
        """Run the call; the call as stored in its step. (Client-answered tools: the call
        as it waits for its output.)"""

    @abstractmethod
    def chat_call(self, call: dict[str, Any]) -> dict[str, Any]:
        """A stored call as the assistant's tool call in the chat the model is sent."""

    @abstractmethod
    def chat_output(self, call: dict[str, Any], ordinal: int) -> str:
        """The stored call's output as the model reads it; `ordinal` numbers this tool's
        calls in the run from 0."""

    def forced(self, run: RunRecord, steps: Sequence[RunStepRecord]) -> bool:
        """Whether `tool_choice: {"type": <this type>}` still forces a call this turn: until
        the run has made one (forcing it again would call it forever)."""
        return not any(
            call["type"] == self.type
            for step in steps
            for call in step.step_details.get("tool_calls", ())
        )

    async def ready(self, run: RunRecord, steps: Sequence[RunStepRecord], services: Any) -> bool:
        """Wait, before the run's first turn, until what the tool reads is ready (file_search:
        its stores' files ingested); whether it waited (the run is read again then)."""
        return False

    def fragment(self, call: ModelCall, piece: str) -> dict[str, Any] | None:
        """A step delta for `piece`, more of the arguments as the model writes them (the
        call's arguments so far end with it); None: nothing to show for it."""
        return None

    def answered(self, call: dict[str, Any], outputs: dict[str, str]) -> dict[str, Any]:
        """The call with the client's output (client-answered tools; others as they are)."""
        return call

    def shown(self, call: dict[str, Any], include: frozenset[str]) -> dict[str, Any]:
        """The stored call as v2 clients see it; `include`: the request's `include[]`."""
        return call

    def shown_v1(self, call: dict[str, Any]) -> dict[str, Any]:
        """The v2 view of a call as v1 clients see it."""
        return call

    def message_parts(self, call: dict[str, Any]) -> list[dict[str, Any]]:
        """Content parts the call adds to the reply that follows it (code's images)."""
        return []

    def linked_files(self, call: dict[str, Any]) -> dict[str, str]:
        """Links the reply may write to what the call made (`sandbox:/mnt/data/NAME`), with
        the ids of the files they name: they become `file_path` annotations."""
        return {}

    async def prepare(
        self,
        session: AsyncSession,
        assistant: AssistantRecord,
        thread: ThreadRecord,
        run: RunRecord,
    ) -> None:
        """Resolve the resources the tool reads into the new `run` (before it is queued)."""
        return None
