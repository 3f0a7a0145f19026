"""The run status machine (`runs.states.move`) and token counting (`runs.tokens`)."""

from __future__ import annotations

import pytest

from assistants_server import ids
from assistants_server.db.models import RunRecord
from assistants_server.errors import InvalidRequestError
from assistants_server.runs import states, tokens

T0 = 1_700_000_000

REQUIRED_ACTION = {
    "type": "submit_tool_outputs",
    "submit_tool_outputs": {
        "tool_calls": [
            {
                "id": "call_1",
                "type": "function",
                "function": {"name": "lookup", "arguments": "{}"},
            }
        ]
    },
}


def make_run(status: str = "queued", **fields: object) -> RunRecord:
    values: dict[str, object] = {
        "id": ids.new(ids.RUN),
        "tenant_id": "tenant",
        "thread_id": ids.new(ids.THREAD),
        "assistant_id": ids.new(ids.ASSISTANT),
        "created_at": T0,
        "status": status,
        "expires_at": T0 + 600,
        "model": "gpt-4o",
        "instructions": "",
        "truncation_strategy": {"type": "auto", "last_messages": None},
        "tool_choice": "auto",
        "response_format": "auto",
        **fields,
    }
    return RunRecord(**values)


class TestLegalTransitions:
    def test_claiming_a_queued_run_stamps_started_at(self) -> None:
        run = make_run()
        assert states.move(run, "in_progress", T0 + 1) == "thread.run.in_progress"
        assert run.status == "in_progress"
        assert run.started_at == T0 + 1
        assert run.expires_at == T0 + 600  # still live
        assert (run.completed_at, run.failed_at, run.cancelled_at) == (None, None, None)

    def test_started_at_is_stamped_only_once_across_tool_rounds(self) -> None:
        run = make_run()
        states.move(run, "in_progress", T0 + 1)
        run.required_action = REQUIRED_ACTION
        assert states.move(run, "requires_action", T0 + 2) == "thread.run.requires_action"
        assert run.required_action == REQUIRED_ACTION  # kept while waiting for outputs
        states.move(run, "queued", T0 + 3)
        states.move(run, "in_progress", T0 + 4)
        assert run.started_at == T0 + 1
        assert states.move(run, "completed", T0 + 5) == "thread.run.completed"
        assert run.started_at == T0 + 1
        assert run.completed_at == T0 + 5

    def test_leaving_requires_action_clears_required_action(self) -> None:
        run = make_run("requires_action", required_action=REQUIRED_ACTION, started_at=T0)
        states.move(run, "queued", T0 + 1)
        assert run.required_action is None

    @pytest.mark.parametrize("target", ["cancelled", "expired", "failed"])
    def test_ending_from_requires_action_clears_required_action(self, target: str) -> None:
        run = make_run("requires_action", required_action=REQUIRED_ACTION, started_at=T0)
        assert states.move(run, target, T0 + 9) == f"thread.run.{target}"
        assert run.status == target
        assert run.required_action is None
        assert run.expires_at is None

    @pytest.mark.parametrize(
        ("start", "target", "stamp"),
        [
            ("queued", "cancelled", "cancelled_at"),
            ("requires_action", "cancelled", "cancelled_at"),
            ("cancelling", "cancelled", "cancelled_at"),
            ("in_progress", "cancelled", "cancelled_at"),
            ("queued", "failed", "failed_at"),
            ("in_progress", "failed", "failed_at"),
            ("cancelling", "failed", "failed_at"),
            ("in_progress", "completed", "completed_at"),
            ("cancelling", "completed", "completed_at"),
        ],
    )
    def test_terminal_status_stamps_its_time(self, start: str, target: str, stamp: str) -> None:
        run = make_run(start, started_at=None if start == "queued" else T0)
        states.move(run, target, T0 + 7)
        assert run.status == target
        assert getattr(run, stamp) == T0 + 7
        others = {"cancelled_at", "failed_at", "completed_at"} - {stamp}
        assert all(getattr(run, other) is None for other in others)

    @pytest.mark.parametrize(
        ("start", "target"),
        [
            ("in_progress", "completed"),
            ("in_progress", "incomplete"),
            ("in_progress", "failed"),
            ("in_progress", "cancelled"),
            ("cancelling", "cancelled"),
            ("requires_action", "expired"),
            ("queued", "expired"),
        ],
    )
    def test_terminal_status_drops_expiry_and_lease(self, start: str, target: str) -> None:
        run = make_run(start, started_at=T0, worker_id="worker_1", lease_expires_at=T0 + 30.0)
        states.move(run, target, T0 + 3)
        assert run.expires_at is None
        assert run.worker_id is None
        assert run.lease_expires_at is None

    def test_cancelling_is_not_terminal(self) -> None:
        run = make_run("in_progress", started_at=T0, worker_id="worker_1", lease_expires_at=1.0)
        assert states.move(run, "cancelling", T0 + 1) == "thread.run.cancelling"
        assert run.expires_at == T0 + 600
        assert run.worker_id == "worker_1"  # the executor still owns it until it stops
        assert run.cancelled_at is None

    def test_expired_has_no_completion_stamps(self) -> None:
        run = make_run("requires_action", started_at=T0, required_action=REQUIRED_ACTION)
        states.move(run, "expired", T0 + 600)
        assert (run.completed_at, run.failed_at, run.cancelled_at) == (None, None, None)
        assert run.started_at == T0


class TestIllegalTransitions:
    @pytest.mark.parametrize(
        ("start", "target"),
        [
            ("completed", "in_progress"),
            ("completed", "queued"),
            ("completed", "cancelled"),
            ("cancelled", "in_progress"),
            ("failed", "queued"),
            ("expired", "queued"),
            ("incomplete", "completed"),
            ("queued", "completed"),
            ("queued", "requires_action"),
            ("in_progress", "queued"),
            ("in_progress", "expired"),
            ("requires_action", "completed"),
            ("requires_action", "in_progress"),
            ("cancelling", "in_progress"),
            ("cancelling", "requires_action"),
        ],
    )
    def test_raises_and_leaves_the_run_alone(self, start: str, target: str) -> None:
        run = make_run(start, started_at=T0, completed_at=None)
        with pytest.raises(InvalidRequestError) as caught:
            states.move(run, target, T0 + 5)
        assert caught.value.status_code == 400
        assert f"'{start}'" in caught.value.message
        assert f"'{target}'" in caught.value.message
        assert run.status == start
        assert run.expires_at == T0 + 600
        assert run.started_at == T0
        assert (run.completed_at, run.failed_at, run.cancelled_at) == (None, None, None)

    @pytest.mark.parametrize("terminal", sorted(states.TERMINAL))
    def test_no_way_out_of_a_terminal_status(self, terminal: str) -> None:
        for target in ["queued", "in_progress", "requires_action", "cancelling", *states.TERMINAL]:
            assert not states.can_move(terminal, target)


class TestTokens:
    def test_hello_world_is_two_cl100k_tokens(self) -> None:
        assert tokens.count("hello world") == 2

    def test_empty_text_is_free(self) -> None:
        assert tokens.count("") == 0

    def test_count_grows_with_text(self) -> None:
        counts = [tokens.count("word " * n) for n in (1, 10, 100, 1000)]
        assert counts == sorted(counts)
        assert len(set(counts)) == len(counts)
        assert counts[-1] >= 1000

    def test_special_token_text_is_counted_as_text(self) -> None:
        assert tokens.count("<|endoftext|>") > 1

    def test_count_messages_adds_overhead_per_message(self) -> None:
        one = [{"role": "user", "content": "hello world"}]
        two = [*one, {"role": "assistant", "content": "hello world"}]
        assert tokens.count_messages([]) > 0  # the reply primer
        assert tokens.count_messages(one) > tokens.count("hello world")
        per_message = tokens.count_messages(two) - tokens.count_messages(one)
        assert per_message > tokens.count("hello world")
        assert tokens.count_messages(two) == tokens.count_messages([]) + 2 * (
            tokens.count_messages(one) - tokens.count_messages([])
        )

    def test_count_messages_grows_with_content(self) -> None:
        short = tokens.count_messages([{"role": "user", "content": "hi"}])
        long = tokens.count_messages([{"role": "user", "content": "hi " * 50}])
        assert long > short

    def test_tool_calls_and_images_count(self) -> None:
        plain = {"role": "assistant", "content": None}
        with_call = {
            **plain,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
                }
            ],
        }
        assert tokens.count_message(with_call) > tokens.count_message(plain)
        text = {"role": "user", "content": [{"type": "text", "text": "look"}]}
        image = {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}
        with_image = {"role": "user", "content": [*text["content"], image]}
        assert tokens.count_message(with_image) > tokens.count_message(text)
        assert tokens.count_message(text) == tokens.count_message(
            {"role": "user", "content": "look"}
        )
