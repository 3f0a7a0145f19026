"""Assistants through the official SDK (v2), against a real server."""

from __future__ import annotations

import openai
import pytest

from tests.spec_check import checked_openai


def make_assistant(client: openai.OpenAI, **overrides: object) -> openai.types.beta.Assistant:
    params: dict[str, object] = {"model": "gpt-4o", "name": "Helper"}
    params.update(overrides)
    return client.beta.assistants.create(**params)  # type: ignore[arg-type]


class TestCreate:
    def test_round_trips_every_field(self, client: openai.OpenAI) -> None:
        tools = [
            {"type": "code_interpreter"},
            {"type": "file_search", "file_search": {"max_num_results": 7}},
            {
                "type": "function",
                "function": {
                    "name": "get_weather",
                    "description": "Weather for a city",
                    "parameters": {
                        "type": "object",
                        "properties": {"city": {"type": "string"}},
                        "required": ["city"],
                    },
                },
            },
        ]
        created = make_assistant(
            client,
            description="answers questions",
            instructions="Be brief.",
            tools=tools,
            metadata={"team": "support"},
            temperature=0.3,
            top_p=0.9,
            response_format={"type": "json_object"},
        )
        assert created.id.startswith("asst_")
        assert created.object == "assistant"
        assert created.name == "Helper"
        assert created.description == "answers questions"
        assert created.instructions == "Be brief."
        assert created.model == "gpt-4o"
        assert [tool.type for tool in created.tools] == [
            "code_interpreter",
            "file_search",
            "function",
        ]
        assert created.tools[1].file_search.max_num_results == 7
        function = created.tools[2].function
        assert function.name == "get_weather"
        assert function.parameters["required"] == ["city"]
        assert created.metadata == {"team": "support"}
        assert created.temperature == pytest.approx(0.3)
        assert created.top_p == pytest.approx(0.9)
        assert created.response_format.type == "json_object"
        assert created.tool_resources.code_interpreter.file_ids == []

        fetched = client.beta.assistants.retrieve(created.id)
        assert fetched.model_dump() == created.model_dump()

    def test_defaults(self, client: openai.OpenAI) -> None:
        created = client.beta.assistants.create(model="gpt-4o")
        assert created.name is None
        assert created.description is None
        assert created.instructions is None
        assert created.tools == []
        assert created.metadata == {}
        assert created.response_format == "auto"


class TestModify:
    def test_changes_only_given_fields(self, client: openai.OpenAI) -> None:
        created = make_assistant(client, instructions="one", metadata={"a": "1"})
        updated = client.beta.assistants.update(created.id, instructions="two")
        assert updated.instructions == "two"
        assert updated.name == "Helper"
        assert updated.metadata == {"a": "1"}
        updated = client.beta.assistants.update(
            created.id, name="Renamed", metadata={"b": "2"}, tools=[{"type": "code_interpreter"}]
        )
        assert (updated.name, updated.metadata) == ("Renamed", {"b": "2"})
        assert [tool.type for tool in updated.tools] == ["code_interpreter"]
        assert client.beta.assistants.retrieve(created.id).name == "Renamed"

    def test_missing_assistant_is_404(self, client: openai.OpenAI) -> None:
        with pytest.raises(openai.NotFoundError) as caught:
            client.beta.assistants.update("asst_missing", name="x")
        assert caught.value.body["message"] == "No assistant found with id 'asst_missing'."


class TestDelete:
    def test_deletes_and_then_404(self, client: openai.OpenAI) -> None:
        created = make_assistant(client)
        deleted = client.beta.assistants.delete(created.id)
        assert (deleted.id, deleted.deleted, deleted.object) == (
            created.id,
            True,
            "assistant.deleted",
        )
        with pytest.raises(openai.NotFoundError):
            client.beta.assistants.retrieve(created.id)
        with pytest.raises(openai.NotFoundError):
            client.beta.assistants.delete(created.id)


class TestList:
    def test_pages_in_both_orders(self, client: openai.OpenAI) -> None:
        made = [make_assistant(client, name=f"a{index}").id for index in range(7)]
        newest_first = [a.id for a in client.beta.assistants.list(limit=3)]
        assert newest_first == list(reversed(made))
        oldest_first = [a.id for a in client.beta.assistants.list(order="asc", limit=2)]
        assert oldest_first == made

        page = client.beta.assistants.list(order="asc", limit=3)
        assert [a.id for a in page.data] == made[:3]
        assert page.has_more is True
        assert page.first_id == made[0]
        assert page.last_id == made[2]
        last = client.beta.assistants.list(order="asc", limit=3, after=made[5])
        assert [a.id for a in last.data] == made[6:]
        assert last.has_more is False

    def test_before_returns_the_items_just_before(self, client: openai.OpenAI) -> None:
        made = [make_assistant(client).id for _ in range(5)]
        page = client.beta.assistants.list(order="asc", limit=2, before=made[4])
        assert [a.id for a in page.data] == made[2:4]
        assert page.has_more is True
        page = client.beta.assistants.list(order="desc", limit=10, before=made[1])
        assert [a.id for a in page.data] == [made[4], made[3], made[2]]
        assert page.has_more is False

    def test_empty_list(self, client: openai.OpenAI) -> None:
        page = client.beta.assistants.list()
        assert page.data == []
        assert page.has_more is False


def test_tenants_do_not_see_each_other(
    base_url: str, client: openai.OpenAI, other_api_key: str
) -> None:
    mine = make_assistant(client)
    with checked_openai(base_url=base_url, api_key=other_api_key, max_retries=0) as other:
        with pytest.raises(openai.NotFoundError):
            other.beta.assistants.retrieve(mine.id)
        with pytest.raises(openai.NotFoundError):
            other.beta.assistants.delete(mine.id)
        assert mine.id not in [a.id for a in other.beta.assistants.list(limit=100)]
    assert client.beta.assistants.retrieve(mine.id).id == mine.id
