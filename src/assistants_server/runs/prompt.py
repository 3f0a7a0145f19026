"""What the model is sent for one turn of a run: the instructions as the system message, the
thread's messages in order (truncated as the run asks), then this run's own replies and tool
calls with their outputs as `tool` messages tied to the call ids; and the request around them
(tools, tool_choice, sampling, the completion budget)."""

from __future__ import annotations

from typing import Any

from assistants_server.db.models import MessageRecord, RunRecord, RunStepRecord
from assistants_server.llm.base import ChatRequest
from assistants_server.runs import tokens
from assistants_server.tools import registry
from assistants_server.tools.function import chat_tools
from assistants_server.tools.registry import Offer


class PromptTooLong(Exception):
    """Even the shortest prompt the run allows is over its `max_prompt_tokens` budget."""


def chat_content(message: MessageRecord, images: dict[str, str]) -> str | list[dict[str, Any]]:
    """Stored content parts as chat content: plain text when there are only text parts (every
    backend takes that), else parts, with image files as the data URLs in `images`."""
    texts = [part["text"]["value"] for part in message.content if part["type"] == "text"]
    if len(texts) == len(message.content):
        return "\n\n".join(texts)
    parts: list[dict[str, Any]] = []
    for part in message.content:
        if part["type"] == "text":
            parts.append({"type": "text", "text": part["text"]["value"]})
        elif part["type"] == "image_url":
            parts.append({"type": "image_url", "image_url": part["image_url"]})
        elif part["type"] == "image_file" and part["image_file"]["file_id"] in images:
            url = images[part["image_file"]["file_id"]]
            detail = part["image_file"].get("detail", "auto")
            parts.append({"type": "image_url", "image_url": {"url": url, "detail": detail}})
    return parts


def _sort_key(record: MessageRecord | RunStepRecord) -> str:
    return record.id.rsplit("_", 1)[-1]  # ids end in a time-ordered suffix


def _own_turns(
    messages: list[MessageRecord], steps: list[RunStepRecord], images: dict[str, str]
) -> list[dict[str, Any]]:
    """This run's replies and answered tool calls, in the order they happened; calls made in
    the same turn as a reply join that reply's assistant message."""
    chat: list[dict[str, Any]] = []
    answered = [step for step in steps if step.status == "completed"]
    items: list[MessageRecord | RunStepRecord] = [*messages, *answered]
    ordinals: dict[str, int] = {}  # each tool's calls so far (file_search's number its markers)
    for item in sorted(items, key=_sort_key):
        if isinstance(item, MessageRecord):
            chat.append({"role": "assistant", "content": chat_content(item, images)})
            continue
        wire_calls, outputs = [], []
        for call in item.step_details["tool_calls"]:
            tool = registry.tool(call["type"])
            ordinal = ordinals.get(tool.type, 0)
            ordinals[tool.type] = ordinal + 1
            wire_calls.append(tool.chat_call(call))
            outputs.append((call["id"], tool.chat_output(call, ordinal)))
        if chat and chat[-1]["role"] == "assistant" and "tool_calls" not in chat[-1]:
            chat[-1]["tool_calls"] = wire_calls
        else:
            chat.append({"role": "assistant", "content": None, "tool_calls": wire_calls})
        chat.extend(
            {"role": "tool", "tool_call_id": call_id, "content": output}
            for call_id, output in outputs
        )
    return chat


def build(
    run: RunRecord,
    thread_messages: list[MessageRecord],
    tool_steps: list[RunStepRecord],
    images: dict[str, str],
    budget: int | None,
) -> list[dict[str, Any]]:
    """The chat messages for the next turn. `budget` is the prompt tokens still allowed; the
    oldest thread messages are dropped to fit it (the latest one is always kept)."""
    system = [{"role": "system", "content": run.instructions}] if run.instructions else []
    earlier = [message for message in thread_messages if message.run_id != run.id]
    own = [message for message in thread_messages if message.run_id == run.id]
    if run.truncation_strategy.get("type") == "last_messages":
        keep = run.truncation_strategy.get("last_messages") or 0
        earlier = earlier[-keep:] if keep else []
    history = [
        {"role": message.role, "content": content}
        for message in earlier
        if (content := chat_content(message, images))  # an interrupted reply may be empty
    ]
    tail = _own_turns(own, tool_steps, images)
    if budget is not None:
        fixed = tokens.count_messages([*system, *tail])
        sizes = [tokens.count_message(message) for message in history]
        total = fixed + sum(sizes)
        dropped = 0
        while total > budget and dropped < len(history) - 1:
            total -= sizes[dropped]
            dropped += 1
        if total > budget:
            raise PromptTooLong
        history = history[dropped:]
    return [*system, *history, *tail]


def _tool_choice(run: RunRecord, offered: dict[str, Offer], steps: list[RunStepRecord]) -> Any:
    """The run's tool_choice for the chat request. Naming a built-in tool forces its function
    while the tool says it may (file_search: until the run has searched once, as forcing it
    again would search forever); a built-in tool not offered this turn leaves the choice to
    the model."""
    choice = run.tool_choice
    if not isinstance(choice, dict) or choice.get("type") == "function":
        return choice
    for name, offer in offered.items():
        if offer.tool.type == choice.get("type") and offer.tool.forced(run, steps):
            return {"type": "function", "function": {"name": name}}
    return "auto"


def chat_request(
    run: RunRecord,
    model: str,
    messages: list[dict[str, Any]],
    steps: list[RunStepRecord],
    offered: dict[str, Offer],
) -> ChatRequest:
    """The turn's request: the run's functions and the built-ins `offered` this turn (see
    `registry.offered`); `steps` are the run's answered tool steps (a built-in is forced
    until it has been called)."""
    tools = [*chat_tools(run), *(offer.chat for offer in offered.values())]
    tool_choice = _tool_choice(run, offered, steps)
    response_format = run.response_format if isinstance(run.response_format, dict) else None
    completion_budget = None
    if run.max_completion_tokens is not None:
        used = (run.usage or {}).get("completion_tokens", 0)
        completion_budget = run.max_completion_tokens - used
    return ChatRequest(
        model=model,
        messages=messages,
        tools=tools or None,
        tool_choice=tool_choice if tools else None,
        parallel_tool_calls=run.parallel_tool_calls if tools else None,
        temperature=run.temperature,
        top_p=run.top_p,
        max_tokens=completion_budget,
        response_format=response_format,
        reasoning_effort=run.reasoning_effort,
    )
