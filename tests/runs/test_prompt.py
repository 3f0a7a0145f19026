"""What the model is sent for a run's turn (`runs.prompt.build`), from records made in memory."""

from __future__ import annotations

from typing import Any

import pytest

from assistants_server import ids
from assistants_server.db.models import MessageRecord, RunRecord, RunStepRecord
from assistants_server.runs import tokens
from assistants_server.runs.prompt import PromptTooLong, build

T0 = 1_700_000_000
THREAD = ids.new(ids.THREAD)
ASSISTANT = ids.new(ids.ASSISTANT)
PNG = "data:image/png;base64,iVBORw0KGgo="
JPEG = "data:image/jpeg;base64,/9j/4AAQ"


def make_run(instructions: str = "", **fields: Any) -> RunRecord:
    values: dict[str, Any] = {
        "id": ids.new(ids.RUN),
        "tenant_id": "tenant",
        "thread_id": THREAD,
        "assistant_id": ASSISTANT,
        "created_at": T0,
        "status": "in_progress",
        "model": "gpt-4o",
        "instructions": instructions,
        "tools": [],
        "truncation_strategy": {"type": "auto", "last_messages": None},
        "tool_choice": "auto",
        "response_format": "auto",
        **fields,
    }
    return RunRecord(**values)


def text_part(value: str) -> dict[str, Any]:
    return {"type": "text", "text": {"value": value, "annotations": []}}


def message(role: str, *parts: str | dict[str, Any], run: RunRecord | None = None) -> MessageRecord:
    content = [text_part(part) if isinstance(part, str) else part for part in parts]
    return MessageRecord(
        id=ids.new(ids.MESSAGE),
        tenant_id="tenant",
        thread_id=THREAD,
        created_at=T0,
        role=role,
        status="completed",
        content=content,
        attachments=[],
        assistant_id=ASSISTANT if role == "assistant" else None,
        run_id=run.id if run is not None else None,
        metadata_={},
    )


def tool_step(
    run: RunRecord, calls: list[tuple[str, str, str, str | None]], status: str = "completed"
) -> RunStepRecord:
    """A tool_calls step of `run` with (id, name, arguments, output) function calls."""
    tool_calls = [
        {
            "index": index,
            "id": call_id,
            "type": "function",
            "function": {"name": name, "arguments": arguments, "output": output},
        }
        for index, (call_id, name, arguments, output) in enumerate(calls)
    ]
    return RunStepRecord(
        id=ids.new(ids.STEP),
        tenant_id="tenant",
        run_id=run.id,
        thread_id=THREAD,
        assistant_id=ASSISTANT,
        created_at=T0,
        type="tool_calls",
        status=status,
        step_details={"type": "tool_calls", "tool_calls": tool_calls},
        metadata_={},
    )


def conversation(count: int) -> list[MessageRecord]:
    """`count` thread messages alternating user/assistant, oldest first, from earlier runs."""
    earlier_run = make_run()
    return [
        message("user", f"question number {n} about the weather in some city")
        if n % 2 == 0
        else message("assistant", f"answer number {n}: sunny and warm", run=earlier_run)
        for n in range(count)
    ]


def contents(chat: list[dict[str, Any]]) -> list[Any]:
    return [entry["content"] for entry in chat]


class TestSystemMessage:
    def test_instructions_become_the_first_message(self) -> None:
        run = make_run("You are terse.\n\nAlways answer in French.")
        chat = build(run, [message("user", "Hi")], [], {}, None)
        assert chat == [
            {"role": "system", "content": "You are terse.\n\nAlways answer in French."},
            {"role": "user", "content": "Hi"},
        ]

    def test_no_system_message_without_instructions(self) -> None:
        chat = build(make_run(""), [message("user", "Hi")], [], {}, None)
        assert chat == [{"role": "user", "content": "Hi"}]


class TestHistory:
    def test_thread_messages_keep_their_order_and_roles(self) -> None:
        thread = conversation(5)
        chat = build(make_run("Be brief."), thread, [], {}, None)
        assert [entry["role"] for entry in chat] == [
            "system",
            "user",
            "assistant",
            "user",
            "assistant",
            "user",
        ]
        assert contents(chat)[1:] == [record.content[0]["text"]["value"] for record in thread]

    def test_text_only_content_is_a_plain_string(self) -> None:
        thread = [message("user", "first paragraph", "second paragraph")]
        assert build(make_run(), thread, [], {}, None) == [
            {"role": "user", "content": "first paragraph\n\nsecond paragraph"}
        ]

    def test_last_messages_keeps_only_the_newest(self) -> None:
        thread = conversation(6)
        run = make_run("sys", truncation_strategy={"type": "last_messages", "last_messages": 2})
        chat = build(run, thread, [], {}, None)
        assert contents(chat) == ["sys", *[m.content[0]["text"]["value"] for m in thread[-2:]]]

    def test_last_messages_larger_than_the_thread_keeps_everything(self) -> None:
        thread = conversation(3)
        run = make_run(truncation_strategy={"type": "last_messages", "last_messages": 10})
        assert len(build(run, thread, [], {}, None)) == 3

    def test_auto_truncation_keeps_everything_without_a_budget(self) -> None:
        thread = conversation(40)
        assert len(build(make_run(), thread, [], {}, None)) == 40

    def test_last_messages_does_not_drop_the_runs_own_turns(self) -> None:
        run = make_run(truncation_strategy={"type": "last_messages", "last_messages": 1})
        thread = [*conversation(4), message("user", "latest question")]
        own = message("assistant", "Checking.", run=run)
        step = tool_step(run, [("call_a", "lookup", "{}", "found")])
        chat = build(run, [*thread, own], [step], {}, None)
        assert [entry["role"] for entry in chat] == ["user", "assistant", "tool"]
        assert chat[0]["content"] == "latest question"
        assert chat[1]["content"] == "Checking."


class TestBudget:
    def fitting(self, system: list[dict[str, Any]], history: list[dict[str, Any]]) -> int:
        return tokens.count_messages([*system, *history])

    def test_a_budget_that_fits_everything_drops_nothing(self) -> None:
        thread = conversation(5)
        run = make_run("sys")
        everything = build(run, thread, [], {}, None)
        assert build(run, thread, [], {}, tokens.count_messages(everything)) == everything

    def test_oldest_messages_are_dropped_first(self) -> None:
        thread = conversation(6)
        run = make_run("sys")
        everything = build(run, thread, [], {}, None)
        system, history = everything[:1], everything[1:]
        for keep in (5, 3, 2, 1):
            budget = self.fitting(system, history[-keep:])
            chat = build(run, thread, [], {}, budget)
            assert chat == [*system, *history[-keep:]], keep
            # one token less and one more message has to go (the latest stays)
            if keep > 1:
                fewer = build(run, thread, [], {}, budget - 1)
                assert fewer == [*system, *history[-(keep - 1) :]]

    def test_latest_message_alone_over_budget_is_too_long(self) -> None:
        thread = conversation(4)
        run = make_run("sys")
        everything = build(run, thread, [], {}, None)
        minimum = self.fitting(everything[:1], everything[-1:])
        assert build(run, thread, [], {}, minimum) == [everything[0], everything[-1]]
        with pytest.raises(PromptTooLong):
            build(run, thread, [], {}, minimum - 1)

    def test_a_single_huge_message_is_too_long(self) -> None:
        thread = [message("user", "lorem ipsum " * 500)]
        with pytest.raises(PromptTooLong):
            build(make_run(), thread, [], {}, 100)

    def test_the_runs_own_turns_always_count(self) -> None:
        run = make_run()
        thread = [*conversation(3), message("user", "latest")]
        step = tool_step(run, [("call_a", "lookup", '{"q": "x"}', "result " * 200)])
        without_tools = build(run, thread, [], {}, None)
        assert tokens.count_messages(without_tools) < 200
        with pytest.raises(PromptTooLong):
            build(run, thread, [step], {}, tokens.count_messages(without_tools))


class TestOwnTurns:
    def test_reply_and_tool_calls_become_one_assistant_message_then_tool_messages(self) -> None:
        run = make_run("Use tools.")
        question = message("user", "Weather in Paris and Rome?")
        reply = message("assistant", "Let me check both.", run=run)
        step = tool_step(
            run,
            [
                ("call_paris", "get_weather", '{"city": "Paris"}', "18C"),
                ("call_rome", "get_weather", '{"city": "Rome"}', "25C"),
            ],
        )
        chat = build(run, [question, reply], [step], {}, None)
        assert chat == [
            {"role": "system", "content": "Use tools."},
            {"role": "user", "content": "Weather in Paris and Rome?"},
            {
                "role": "assistant",
                "content": "Let me check both.",
                "tool_calls": [
                    {
                        "id": "call_paris",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
                    },
                    {
                        "id": "call_rome",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": '{"city": "Rome"}'},
                    },
                ],
            },
            {"role": "tool", "tool_call_id": "call_paris", "content": "18C"},
            {"role": "tool", "tool_call_id": "call_rome", "content": "25C"},
        ]

    def test_tool_calls_without_text_have_null_content(self) -> None:
        run = make_run()
        step = tool_step(run, [("call_1", "now", "{}", "")])
        chat = build(run, [message("user", "time?")], [step], {}, None)
        assert chat[1:] == [
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": "now", "arguments": "{}"},
                    }
                ],
            },
            {"role": "tool", "tool_call_id": "call_1", "content": ""},
        ]

    def test_several_rounds_stay_in_order(self) -> None:
        run = make_run()
        question = message("user", "plan a trip")
        first = tool_step(run, [("call_1", "flights", "{}", "AF123")])
        middle = message("assistant", "Found a flight; now a hotel.", run=run)
        second = tool_step(run, [("call_2", "hotels", "{}", "Hotel Lutetia")])
        chat = build(run, [question, middle], [first, second], {}, None)
        assert [(entry["role"], entry.get("tool_call_id")) for entry in chat] == [
            ("user", None),
            ("assistant", None),
            ("tool", "call_1"),
            ("assistant", None),
            ("tool", "call_2"),
        ]
        assert chat[1]["content"] is None
        assert chat[1]["tool_calls"][0]["id"] == "call_1"
        assert chat[3]["content"] == "Found a flight; now a hotel."
        assert chat[3]["tool_calls"][0]["id"] == "call_2"

    def test_reply_after_tool_outputs_is_its_own_message(self) -> None:
        run = make_run()
        question = message("user", "weather?")
        step = tool_step(run, [("call_1", "weather", "{}", "rain")])
        after = message("assistant", "Take an umbrella.", run=run)
        chat = build(run, [question, after], [step], {}, None)
        assert [entry["role"] for entry in chat] == ["user", "assistant", "tool", "assistant"]
        assert chat[-1] == {"role": "assistant", "content": "Take an umbrella."}

    def test_unanswered_tool_steps_are_left_out(self) -> None:
        run = make_run()
        pending = tool_step(run, [("call_1", "weather", "{}", None)], status="in_progress")
        chat = build(run, [message("user", "weather?")], [pending], {}, None)
        assert chat == [{"role": "user", "content": "weather?"}]

    def test_earlier_runs_replies_are_plain_history(self) -> None:
        earlier = make_run()
        run = make_run()
        thread = [
            message("user", "one"),
            message("assistant", "reply one", run=earlier),
            message("user", "two"),
        ]
        chat = build(run, thread, [], {}, None)
        assert chat == [
            {"role": "user", "content": "one"},
            {"role": "assistant", "content": "reply one"},
            {"role": "user", "content": "two"},
        ]


class TestImages:
    def test_image_files_become_data_urls(self) -> None:
        photo, scan = ids.new(ids.FILE), ids.new(ids.FILE)
        thread = [
            message(
                "user",
                "What is in these?",
                {"type": "image_file", "image_file": {"file_id": photo}},
                {"type": "image_file", "image_file": {"file_id": scan, "detail": "high"}},
            )
        ]
        chat = build(make_run(), thread, [], {photo: PNG, scan: JPEG}, None)
        assert chat == [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "What is in these?"},
                    {"type": "image_url", "image_url": {"url": PNG, "detail": "auto"}},
                    {"type": "image_url", "image_url": {"url": JPEG, "detail": "high"}},
                ],
            }
        ]

    def test_image_urls_pass_through(self) -> None:
        part = {
            "type": "image_url",
            "image_url": {"url": "https://example.com/a.png", "detail": "low"},
        }
        chat = build(make_run(), [message("user", part, "and this?")], [], {}, None)
        assert chat[0]["content"] == [
            {
                "type": "image_url",
                "image_url": {"url": "https://example.com/a.png", "detail": "low"},
            },
            {"type": "text", "text": "and this?"},
        ]

    def test_an_image_without_data_is_left_out(self) -> None:
        missing = ids.new(ids.FILE)
        part = {"type": "image_file", "image_file": {"file_id": missing}}
        chat = build(make_run(), [message("user", "see", part)], [], {}, None)
        assert chat[0]["content"] == [{"type": "text", "text": "see"}]

    def test_images_count_against_the_budget(self) -> None:
        photo = ids.new(ids.FILE)
        part = {"type": "image_file", "image_file": {"file_id": photo}}
        thread = [message("user", "look", part)]
        text_only = tokens.count_messages([{"role": "user", "content": "look"}])
        with pytest.raises(PromptTooLong):
            build(make_run(), thread, [], {photo: PNG}, text_only)
