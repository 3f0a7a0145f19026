"""The Assistants view: an assistant made through its form, and a bad field caught there."""

from __future__ import annotations

import json

from playwright.sync_api import Dialog, Page, expect

from tests.e2e.conftest import (
    MODEL,
    WEATHER_FUNCTION,
    Console,
    Playground,
    assert_fits,
    create_assistant_via_form,
    shot,
)


def test_create_an_assistant_with_a_function_and_code_interpreter(
    page: Page, playground: Playground
) -> None:
    server = playground
    page.goto(server.url + "#/assistants")
    expect(page.get_by_role("heading", name="Assistants", level=2)).to_be_visible()
    shot(page, "assistants-list")

    assistant_id = create_assistant_via_form(
        page,
        name="Weather helper",
        instructions="Answer questions about the weather.",
        code_interpreter=True,
        functions=[WEATHER_FUNCTION],
    )
    expect(page.get_by_role("link", name="Weather helper")).to_be_visible()
    expect(page.get_by_role("heading", name="Weather helper")).to_be_visible()
    shot(page, "assistants-created")
    assert_fits(page, "assistants-created")
    expect(page.get_by_role("button", name="Save changes")).to_be_visible()
    expect(page.get_by_label("Response format")).to_have_value("auto")
    expect(page.get_by_label("JSON schema")).to_be_hidden()
    expect(page.get_by_role("link", name="Chat with this assistant")).to_have_attribute(
        "href", f"#/threads/new/{assistant_id}"
    )
    with server.http() as http:
        assistant = http.get(f"assistants/{assistant_id}").json()
    assert assistant["name"] == "Weather helper"
    assert assistant["model"] == MODEL
    assert assistant["instructions"] == "Answer questions about the weather."
    tools = {tool["type"]: tool for tool in assistant["tools"]}
    assert set(tools) == {"code_interpreter", "function"}
    function = tools["function"]["function"]
    assert function["name"] == "get_weather"
    assert function["parameters"] == WEATHER_FUNCTION["parameters"]


def test_saving_changes(page: Page, playground: Playground) -> None:
    server = playground
    page.goto(server.url + "#/assistants")
    assistant_id = create_assistant_via_form(page, name="Draft")
    page.get_by_label("Name", exact=True).fill("Final draft")
    page.get_by_label("Description").fill("Says hello.")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Assistant saved.")).to_be_visible()
    expect(page.get_by_role("link", name="Final draft")).to_be_visible()
    with server.http() as http:
        assistant = http.get(f"assistants/{assistant_id}").json()
    assert (assistant["name"], assistant["description"]) == ("Final draft", "Says hello.")


def test_a_function_that_is_not_json_is_caught_before_sending(
    page: Page, playground: Playground
) -> None:
    page.goto(playground.url + "#/assistants")
    page.get_by_role("button", name="New assistant").click()
    page.get_by_label("Name", exact=True).fill("Broken")
    page.get_by_role("button", name="Add function").click()
    definition = page.get_by_role("group", name="Function 1").get_by_label(
        "Function definition (JSON)"
    )
    default = json.loads(definition.input_value())  # pre-filled with an example
    assert {"name", "parameters"} <= set(default)
    definition.fill('{"name": "get_weather",')
    posted: list[str] = []
    page.on(
        "request",
        lambda request: (
            posted.append(request.url)
            if request.method == "POST" and "/v1/assistants" in request.url
            else None
        ),
    )

    page.get_by_role("button", name="Create assistant").click()

    expect(definition).to_have_attribute("aria-invalid", "true")
    described_by = definition.get_attribute("aria-describedby")
    assert described_by, "the error is not tied to the field"
    message = page.locator(f"#{described_by.split()[0]}")
    expect(message).not_to_be_empty()
    shot(page, "assistants-invalid-json")
    assert posted == [], "a request was sent with invalid JSON"


def test_the_json_schema_field_is_shown_for_json_schema_only(
    page: Page, playground: Playground
) -> None:
    page.goto(playground.url + "#/assistants")
    page.get_by_role("button", name="New assistant").click()
    response_format = page.get_by_label("Response format")
    schema = page.get_by_label("JSON schema")
    expect(response_format).to_have_value("auto")
    expect(schema).to_be_hidden()
    response_format.select_option("json_schema")
    expect(schema).to_be_visible()
    response_format.select_option("json_object")
    expect(schema).to_be_hidden()


def test_an_api_error_is_shown_as_an_alert(
    page: Page, playground: Playground, console: Console
) -> None:
    console.allow(r"status of 40[04]")  # the refused request, logged by the browser
    with playground.http() as http:
        store = http.post("vector_stores", json={"name": "Gone soon"}).json()
    page.goto(playground.url + "#/assistants")
    page.get_by_role("button", name="New assistant").click()
    page.get_by_label("Name", exact=True).fill("Refused")
    page.get_by_role("checkbox", name="file_search").check()
    page.get_by_role("group", name="Vector stores for file_search").get_by_role(
        "checkbox", name="Gone soon"
    ).check()
    with playground.http() as http:  # the store goes while the form is open
        http.delete(f"vector_stores/{store['id']}").raise_for_status()
        refused = http.post(
            "assistants",
            json={
                "model": MODEL,
                "tools": [{"type": "file_search"}],
                "tool_resources": {"file_search": {"vector_store_ids": [store["id"]]}},
            },
        )
    assert refused.status_code in (400, 404)
    page.get_by_role("button", name="Create assistant").click()
    expect(page.get_by_role("alert")).to_contain_text(refused.json()["error"]["message"])
    shot(page, "assistants-api-error")


def test_delete_an_assistant_after_confirming(page: Page, playground: Playground) -> None:
    page.goto(playground.url + "#/assistants")
    assistant_id = create_assistant_via_form(page, name="Short-lived")
    asked: list[str] = []

    def confirm(dialog: Dialog) -> None:
        asked.append(dialog.type)
        dialog.accept()

    page.on("dialog", confirm)
    page.get_by_role("button", name="Delete assistant").click()
    expect(page.get_by_role("link", name="Short-lived")).to_have_count(0)
    assert asked == ["confirm"]
    with playground.http() as http:
        assert http.get(f"assistants/{assistant_id}").status_code == 404
