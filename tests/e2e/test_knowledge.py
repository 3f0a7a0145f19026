"""Files and vector stores: an upload listed, downloaded and deleted; a file ingested into a
store, searched, and cited by an assistant that searched it."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Dialog, Page, expect

from tests.e2e.conftest import (
    Playground,
    StartServer,
    assert_fits,
    assistant_messages,
    create_assistant_via_form,
    run_status,
    send,
    shot,
)

FACTS = (
    "The lighthouse keeper of Bramble Point is Oswin Farrow. "
    "He has kept the light burning every night since 1987."
)


def accept_confirms(page: Page) -> None:
    def accept(dialog: Dialog) -> None:
        dialog.accept()

    page.on("dialog", accept)


def test_upload_download_and_delete_a_file(
    page: Page, playground: Playground, tmp_path: Path
) -> None:
    notes = tmp_path / "notes-for-files.txt"
    notes.write_text("Some notes.\n")
    page.goto(playground.url + "#/files")
    expect(page.get_by_role("heading", name="Files", level=2)).to_be_visible()
    expect(page.get_by_label("Purpose")).to_have_value("assistants")
    page.get_by_label("Upload file").set_input_files(notes)

    row = page.get_by_role("row").filter(has_text="notes-for-files.txt")
    expect(row).to_be_visible()
    expect(row).to_contain_text("assistants")
    shot(page, "files-uploaded")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download notes-for-files.txt").click()
    assert Path(download.value.path()).read_text() == "Some notes.\n"

    accept_confirms(page)
    page.get_by_role("button", name="Delete notes-for-files.txt").click()
    expect(row).to_have_count(0)
    with playground.http() as http:
        names = [f["filename"] for f in http.get("files").json()["data"]]
    assert "notes-for-files.txt" not in names


def test_a_store_is_searched_and_its_file_cited(
    page: Page, start_server: StartServer, tmp_path: Path
) -> None:
    server = start_server(
        [
            {"tool_calls": [{"name": "file_search", "arguments": {"query": "lighthouse keeper"}}]},
            {"text": "The keeper is Oswin Farrow 【0:0†facts.txt】.", "delay": 0.05},
        ]
    )
    facts = tmp_path / "facts.txt"
    facts.write_text(FACTS)

    page.goto(server.url + "#/vector-stores")
    expect(page.get_by_role("heading", name="Vector stores", level=2)).to_be_visible()
    page.get_by_label("Name", exact=True).fill("Lighthouse facts")
    page.get_by_role("button", name="Create vector store").click()
    page.get_by_role("link", name="Lighthouse facts").click()
    expect(page.get_by_role("heading", name="Lighthouse facts")).to_be_visible()
    page.get_by_label("Add files to this store").set_input_files(facts)
    row = page.get_by_role("row").filter(has_text="facts.txt")
    expect(row).to_contain_text("completed")
    expect(page.get_by_role("button", name="Remove facts.txt")).to_be_visible()
    shot(page, "vector-store-ingested")

    page.get_by_label("Search query").fill("Who keeps the lighthouse?")
    page.get_by_role("button", name="Search").click()
    results = page.get_by_role("list", name="Search results")
    expect(results).to_contain_text("facts.txt")
    expect(results).to_contain_text("Oswin Farrow")
    shot(page, "vector-store-search")
    assert_fits(page, "vector-store-search")

    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Assistants").click()
    create_assistant_via_form(
        page, name="Librarian", file_search=True, vector_stores=["Lighthouse facts"]
    )
    with server.http() as http:
        assistants = http.get("assistants").json()["data"]
        stores = http.get("vector_stores").json()["data"]
    assert assistants[0]["tool_resources"]["file_search"]["vector_store_ids"] == [stores[0]["id"]]
    page.get_by_role("link", name="Chat with this assistant").click()
    send(page, "Who keeps the lighthouse?")

    expect(run_status(page, "completed")).to_be_visible()
    reply = assistant_messages(page).last
    expect(reply).to_contain_text("The keeper is Oswin Farrow")
    citation = reply.get_by_text("[1] facts.txt")
    expect(citation).to_be_visible()
    assert citation.evaluate("e => e.closest('a, button') !== null"), "not a link or button"
    run = page.get_by_role("region", name="Run")
    expect(run.locator("q")).to_have_text("lighthouse keeper")  # the query searched with
    expect(run).to_contain_text("Oswin Farrow. He has kept the light")  # the chunk found
    shot(page, "file-search-cited")
    assert_fits(page, "file-search-cited")
