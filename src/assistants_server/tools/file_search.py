"""The file_search tool: offered to the model as a function `file_search(query)`, run by the
server against the run's vector stores, its results handed back as the call's output.

Each result is headed by a citation marker `【{call}:{result}†{filename}】`: `call` numbers the
run's file_search calls from 0, `result` the call's results from 0. The model cites a result
by writing its marker; tools/citations.py turns the markers into `file_citation` annotations.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistants_server.db.models import AssistantRecord, RunRecord, RunStepRecord, ThreadRecord
from assistants_server.db.repositories.vector_store_files import VectorStoreFileRepository
from assistants_server.db.session import reading
from assistants_server.retrieval.search import Hit, Searcher
from assistants_server.runs.events import Broker
from assistants_server.services import vector_stores as vector_stores_service
from assistants_server.tools.base import CallContext, ModelCall, Tool

logger = logging.getLogger(__name__)

# `include[]` values: the API's, for the text of the chunks found; and an extension of this
# server's, for the query the model searched with (run steps only)
RESULT_CONTENT = "step_details.tool_calls[*].file_search.results[*].content"
QUERY = "step_details.tool_calls[*].file_search.query"
NAME = "file_search"
DEFAULT_MAX_RESULTS = 20
MAX_CALLS_PER_RUN = 8  # beyond this, file_search is no longer offered to the model
RANKER = "default_2024_08_21"
INGESTION_WAIT_SECONDS = 600

DESCRIPTION = (
    "Search the files attached to this conversation and return the passages most relevant to "
    "the query. Each passage starts with a citation marker such as 【0:1†report.pdf】. When "
    "your answer uses a passage, write its marker right after the sentence it supports."
)
FUNCTION = {
    "type": "function",
    "function": {
        "name": NAME,
        "description": DESCRIPTION,
        "parameters": {
            "type": "object",
            "properties": {
                "query": {
                    "type": "string",
                    "description": "What to look for, in words likely to appear in the files.",
                }
            },
            "required": ["query"],
        },
    },
}


def settings(run: RunRecord) -> dict[str, Any] | None:
    """The run's file_search tool settings, or None if the run has no file_search tool."""
    for tool in run.tools:
        if tool["type"] == NAME:
            return dict(tool.get(NAME) or {})
    return None


def calls_of(steps: Sequence[RunStepRecord]) -> list[dict[str, Any]]:
    """The run's completed file_search calls, in the order they were made: call `n` is the
    `n` of its results' citation markers."""
    return [
        call
        for step in steps
        if step.status == "completed"
        for call in step.step_details["tool_calls"]
        if call["type"] == NAME
    ]


def offered(run: RunRecord, steps: Sequence[RunStepRecord]) -> bool:
    """Whether to offer file_search this turn: the run has the tool and stores to search, and
    has not searched MAX_CALLS_PER_RUN times already."""
    has_tool = settings(run) is not None
    return has_tool and bool(run.vector_store_ids) and len(calls_of(steps)) < MAX_CALLS_PER_RUN


def query_of(arguments: str) -> str:
    """The query in a call's arguments; a model that sent plain text meant that as the query."""
    try:
        parsed = json.loads(arguments)
    except ValueError:
        return arguments.strip()
    if isinstance(parsed, dict):
        return str(parsed.get("query") or "").strip()
    return str(parsed).strip()


def marker(call: int, result: int, filename: str) -> str:
    return f"【{call}:{result}†{filename}】"


def output(ordinal: int, call: dict[str, Any]) -> str:
    """The call's output as the model reads it: each result's marker, then its text."""
    results = call[NAME].get("results") or []
    if not results:
        return "No results were found in the files for this query."
    blocks = [
        f"{marker(ordinal, index, result['file_name'])}\n{result['content'][0]['text']}"
        for index, result in enumerate(results)
    ]
    return "\n\n".join(blocks)


def chat_call(call: dict[str, Any]) -> dict[str, Any]:
    """A stored call as the assistant's tool call in the chat the model is sent."""
    arguments = json.dumps({"query": call.get("query", "")})
    return {
        "id": call["id"],
        "type": "function",
        "function": {"name": NAME, "arguments": arguments},
    }


async def search(
    sessionmaker: async_sessionmaker[AsyncSession],
    searcher: Searcher,
    run: RunRecord,
    call_id: str,
    arguments: str,
) -> dict[str, Any]:
    """Run one call of the model's against the run's stores; the call as stored in its step."""
    query = query_of(arguments)
    options = settings(run) or {}
    ranking = options.get("ranking_options") or {}
    threshold = float(ranking.get("score_threshold") or 0.0)
    hits: list[Hit] = []
    if query:
        hits = await vector_stores_service.search(
            sessionmaker,
            searcher,
            run.tenant_id,
            run.vector_store_ids,
            [query],
            max_num_results=options.get("max_num_results") or DEFAULT_MAX_RESULTS,
            score_threshold=threshold,
        )
    ranker = ranking.get("ranker") if ranking.get("ranker") in ("auto", RANKER) else RANKER
    results = [
        {
            "file_id": hit.file_id,
            "file_name": hit.filename,
            "score": hit.score,
            "content": [{"type": "text", "text": hit.text}],
        }
        for hit in hits
    ]
    return {
        "id": call_id,
        "type": NAME,
        "query": query,
        NAME: {
            "ranking_options": {"ranker": ranker, "score_threshold": threshold},
            "results": results,
        },
    }


async def wait_for_files(
    sessionmaker: async_sessionmaker[AsyncSession], broker: Broker, run: RunRecord
) -> bool:
    """Wait until the files of the run's stores are ingested, as OpenAI's runs did, so the
    model searches them all (at most INGESTION_WAIT_SECONDS; then what is ready is searched),
    or until the run is no longer `in_progress`. Whether it had to wait."""
    broker.ingestion.set()  # files attached by this process's request may be waiting
    deadline = time.monotonic() + INGESTION_WAIT_SECONDS
    pause, waited = 0.05, False
    while True:
        async with reading(sessionmaker) as session:
            status = await session.scalar(select(RunRecord.status).where(RunRecord.id == run.id))
            files = VectorStoreFileRepository(session, run.tenant_id)
            pending = await files.pending_count(run.vector_store_ids)
        if status != "in_progress" or not pending:
            return waited or status != "in_progress"
        if time.monotonic() > deadline:
            logger.warning(
                "run %s: its files are still being ingested; searching what is ready", run.id
            )
            return True
        waited = True
        await asyncio.sleep(pause)
        pause = min(pause * 2, 0.5)


class FileSearchTool(Tool):
    type = NAME
    cited = True

    def offered(self, run: RunRecord, steps: Sequence[RunStepRecord]) -> dict[str, Any] | None:
        return FUNCTION if offered(run, steps) else None

    async def ready(self, run: RunRecord, steps: Sequence[RunStepRecord], services: Any) -> bool:
        if not offered(run, steps):
            return False
        return await wait_for_files(services.sessionmaker, services.broker, run)

    def opening(self, call: ModelCall) -> dict[str, Any]:
        return {"id": call.id, "type": NAME, NAME: {}}

    async def execute(self, context: CallContext, call: ModelCall) -> dict[str, Any]:
        services = context.services
        return await search(
            services.sessionmaker, services.searcher, context.run, call.id, call.arguments
        )

    def chat_call(self, call: dict[str, Any]) -> dict[str, Any]:
        return chat_call(call)

    def chat_output(self, call: dict[str, Any], ordinal: int) -> str:
        return output(ordinal, call)

    def shown(self, call: dict[str, Any], include: frozenset[str]) -> dict[str, Any]:
        """A call is stored with its query and its results' content (the model's input on
        later turns); clients see the content only when they ask for it (`include[]`), and
        the query (which the API does not define) only when they ask for that extension."""
        shown = {key: value for key, value in call.items() if key != "query"}
        if RESULT_CONTENT not in include and "results" in call[NAME]:
            results = [
                {key: value for key, value in result.items() if key != "content"}
                for result in call[NAME]["results"]
            ]
            shown[NAME] = {**call[NAME], "results": results}
        if QUERY in include and "query" in call:
            shown[NAME] = {**shown[NAME], "query": call["query"]}
        return shown

    def shown_v1(self, call: dict[str, Any]) -> dict[str, Any]:
        """v1 knew file search as `retrieval`, with nothing to show."""
        shown: dict[str, Any] = {"id": call.get("id"), "type": "retrieval", "retrieval": {}}
        return {"index": call["index"], **shown} if "index" in call else shown

    async def prepare(
        self,
        session: AsyncSession,
        assistant: AssistantRecord,
        thread: ThreadRecord,
        run: RunRecord,
    ) -> None:
        """The stores the run reads: the assistant's, then the thread's. A v1 assistant's
        retrieval files (its `file_ids`, when it names no store) are kept in a store of its
        own, brought up to date here."""
        store_ids = list((assistant.file_search_resources or {}).get("vector_store_ids") or [])
        if not store_ids and run.file_ids:
            owned = await vector_stores_service.owned_store(
                session, assistant.tenant_id, assistant.id, run.file_ids
            )
            store_ids.append(owned)
        thread_stores = (thread.tool_resources.get(NAME) or {}).get("vector_store_ids")
        run.vector_store_ids = list(dict.fromkeys([*store_ids, *(thread_stores or [])]))
