"""The page itself: it loads, names its sections, works at a phone's width and from the
keyboard, and asks for a key when the server wants one."""

from __future__ import annotations

import re

from playwright.sync_api import Page, Request, expect

from tests.e2e.conftest import Console, Playground, StartServer, create_assistant, shot

SECTIONS = {
    "Assistants": "#/assistants",
    "Threads": "#/threads",
    "Files": "#/files",
    "Vector stores": "#/vector-stores",
}
KEY_STORAGE = "assistants-playground.api-key"


def test_the_page_loads_with_its_sections(page: Page, playground: Playground) -> None:
    page.goto(playground.url)
    expect(page).to_have_title(re.compile("Playground"))
    nav = page.get_by_role("navigation", name="Sections")
    for name, href in SECTIONS.items():
        expect(nav.get_by_role("link", name=name, exact=True)).to_have_attribute("href", href)
    expect(page.get_by_role("heading", name="Assistants", level=2)).to_be_visible()
    shot(page, "page-1280")


def test_every_section_fits_390_px(page: Page, playground: Playground) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(playground.url)
    for name, href in SECTIONS.items():
        page.get_by_role("navigation", name="Sections").get_by_role(
            "link", name=name, exact=True
        ).click()
        expect(page).to_have_url(re.compile(re.escape(href) + "$"))
        expect(page.get_by_role("heading", name=name, level=2)).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{name}: the page scrolls sideways ({width} px wide)"
        shot(page, f"page-390-{href.removeprefix('#/')}")


def test_tab_reaches_the_sections(page: Page, playground: Playground) -> None:
    page.goto(playground.url)
    expect(page.get_by_role("heading", name="Assistants", level=2)).to_be_visible()
    reached = []
    for _ in range(8):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.textContent.trim()"))
    names = [name for name in reached if name in SECTIONS]
    assert names == list(SECTIONS), f"Tab went through {reached}"


def test_a_server_with_keys_asks_for_one(
    page: Page, start_server: StartServer, console: Console
) -> None:
    key = "sk-e2e-secret-key"
    server = start_server(ASSISTANTS_API_KEYS=key)
    with server.http(key) as http:
        http.post("assistants", json={"model": "gpt-4o", "name": "Keyed helper"})
    console.allow(r"status of 401")  # the page's first requests, before it has the key
    sent: list[Request] = []
    page.on("request", lambda request: sent.append(request))

    page.goto(server.url)
    dialog = page.get_by_role("dialog", name="API key")
    expect(dialog).to_be_visible()
    shot(page, "key-dialog")
    dialog.get_by_label("Key").fill(key)
    dialog.get_by_role("button", name="Save").click()

    expect(dialog).to_be_hidden()
    expect(page.get_by_role("link", name="Keyed helper")).to_be_visible()
    shot(page, "key-saved")
    assert page.evaluate(f"localStorage.getItem('{KEY_STORAGE}')") == key
    api_requests = [r for r in sent if "/v1/" in r.url]
    authorized = [r for r in api_requests if r.all_headers().get("authorization")]
    assert authorized, "no request carried the key"
    for request in sent:
        assert key not in request.url, request.url
        headers = request.all_headers()
        assert all(
            key not in value for name, value in headers.items() if name != "authorization"
        ), headers
        assert key not in (request.post_data or "")
    for request in authorized:
        assert request.all_headers()["authorization"] == f"Bearer {key}"
    # after the key was saved, every API request carries it
    first = api_requests.index(authorized[0])
    assert all(r in authorized for r in api_requests[first:])


def test_an_assistant_made_elsewhere_is_listed(page: Page, playground: Playground) -> None:
    assistant = create_assistant(playground, name="Listed helper")
    page.goto(playground.url + "#/assistants")
    link = page.get_by_role("link", name="Listed helper")
    expect(link).to_be_visible()
    expect(link).to_have_attribute("href", f"#/assistants/{assistant['id']}")


def test_every_section_reads_in_dark_mode(page: Page, playground: Playground) -> None:
    """The colours follow the system's dark scheme and keep their contrast (`shot` checks)."""
    create_assistant(playground, name="Night owl")
    page.emulate_media(color_scheme="dark")
    page.goto(playground.url)
    for name in SECTIONS:
        page.get_by_role("navigation", name="Sections").get_by_role(
            "link", name=name, exact=True
        ).click()
        expect(page.get_by_role("heading", name=name, level=2)).to_be_visible()
        shot(page, f"dark-{name.lower().replace(' ', '-')}")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(20, 20, 22)"
