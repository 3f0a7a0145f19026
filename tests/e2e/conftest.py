"""The playground in headless Chromium, driven as a user would (through accessible names),
against servers of the tests' own with the scripted model backend.

Each test that talks to a model starts a server with the replies it needs (`start_server`),
since the scripted backend plays its replies in order for the whole process. Screenshots of
each state go to $ASSISTANTS_SCREENSHOTS, or build/screenshots under the repo.

Without /usr/bin/chromium or the playwright package every test here is skipped, or fails when
ASSISTANTS_TEST_REQUIRE_BROWSER=1 (as in CI).

Playwright's sync API marks its event loop as running while it is alive, so the browser lives
for one module at most: the suite's async tests run on pytest-asyncio's loop afterwards.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from tests.servers import ROOT, server_process, standalone_env
from tests.spec_check import checked_http

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_URLS = ("http://127.0.0.1:", "blob:http://127.0.0.1:", "data:")
REQUIRE_BROWSER = os.environ.get("ASSISTANTS_TEST_REQUIRE_BROWSER") == "1"
MODEL = "gpt-4o"
TIMEOUT_MS = 15_000  # for what a user would wait on: a run, an ingestion


def _browser_missing() -> str | None:
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (pip install '.[dev]')"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    return None


MISSING = _browser_missing()


class _NoBrowser(pytest.Item):
    """Stands in for a test module when there is no browser: skips, or fails if required."""

    def runtest(self) -> None:
        if REQUIRE_BROWSER:
            pytest.fail(f"a browser is required (ASSISTANTS_TEST_REQUIRE_BROWSER=1) but {MISSING}")
        pytest.skip(f"no browser: {MISSING}")

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, self.name


class _NoBrowserModule(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        yield _NoBrowser.from_parent(self, name="browser")


def pytest_pycollect_makemodule(module_path: Path, parent: pytest.Collector) -> Any:
    """The test modules import playwright: without it, collect a stand-in instead."""
    if MISSING is None:
        return None
    return _NoBrowserModule.from_parent(parent, path=module_path)


# --- servers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Playground:
    """A running server: the page at `url`, the API at `api`."""

    url: str
    api: str
    log: Path

    def http(self, key: str = "") -> httpx.Client:
        """A client of the API (for setting up and checking), responses checked against the
        spec."""
        headers = {"OpenAI-Beta": "assistants=v2"}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        return checked_http(base_url=self.api + "/", headers=headers, timeout=30)


def scripted_config(replies: Sequence[dict[str, Any]]) -> str:
    """A config with one scripted backend serving `MODEL` and gpt-4o-mini, playing `replies`
    (see llm/fake.py: text, tool_calls, delay per delta) and then echoing."""
    lines = ",\n".join(f"  {_toml_inline(reply)}" for reply in replies)
    return (
        '[[backends]]\nname = "e2e"\nkind = "scripted"\n'
        f'models = ["{MODEL}", "gpt-4o-mini"]\nreplies = [\n{lines}\n]\n'
    )


def _toml_inline(value: Any) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_inline(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_inline(item) for item in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(value)  # a TOML basic string is a JSON string


def sandbox_problem() -> str | None:
    """Why code_interpreter cannot run code here, or None when bubblewrap works."""
    from assistants_server.sandbox import SandboxUnavailable
    from assistants_server.sandbox.bubblewrap import BubblewrapSandbox

    with tempfile.TemporaryDirectory() as tmp:
        try:
            BubblewrapSandbox(Path(tmp) / "sessions").check()
        except SandboxUnavailable as reason:
            return str(reason)
    return None


StartServer = Callable[..., Playground]


@pytest.fixture
def start_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartServer]:
    """`start_server(replies=[...], sandbox=False, **env)`: a server of the test's own (SQLite,
    files in a temporary folder, no keys unless `ASSISTANTS_API_KEYS=...`), whose scripted
    model plays `replies`; with `sandbox=True` code_interpreter runs code in bubblewrap (the
    test is skipped where it cannot, unless a browser is required). Stopped after the test."""
    with ExitStack() as stack:

        def start(
            replies: Sequence[dict[str, Any]] = (), *, sandbox: bool = False, **env: str
        ) -> Playground:
            if sandbox:
                problem = sandbox_problem()
                if problem is not None:
                    if REQUIRE_BROWSER:
                        pytest.fail(f"code_interpreter's sandbox cannot run here: {problem}")
                    pytest.skip(f"code_interpreter's sandbox cannot run here: {problem}")
            tmp = tmp_path_factory.mktemp("e2e-server")
            config = tmp / "config.toml"
            config.write_text(scripted_config(replies))
            overrides = {"ASSISTANTS_CONFIG": str(config), **env}
            if sandbox:
                overrides["ASSISTANTS_CODE_SANDBOX"] = "bubblewrap"
            log = tmp / "server.log"
            server = stack.enter_context(server_process(standalone_env(tmp, **overrides), log))
            return Playground(url=server.url.removesuffix("/v1") + "/", api=server.url, log=log)

        yield start


@pytest.fixture(scope="session")
def playground(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Playground]:
    """A server for the tests that need no model replies (the scripted model echoes)."""
    tmp = tmp_path_factory.mktemp("e2e-playground")
    config = tmp / "config.toml"
    config.write_text(scripted_config([]))
    log = tmp / "server.log"
    env = standalone_env(tmp, ASSISTANTS_CONFIG=str(config))
    with server_process(env, log) as server:
        yield Playground(url=server.url.removesuffix("/v1") + "/", api=server.url, log=log)


# --- the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class Console:
    """What the page reported as errors: console.error messages and uncaught exceptions.
    `allow(pattern)` accepts the errors a test provokes on purpose (a 401, say)."""

    errors: list[str] = field(default_factory=list)
    allowed: list[re.Pattern[str]] = field(default_factory=list)

    def allow(self, pattern: str) -> None:
        self.allowed.append(re.compile(pattern))

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            location = message.location
            where = f" ({location.get('url', '')}:{location.get('lineNumber', '')})"
            self.errors.append(f"console.error: {message.text}{where}")

    def on_page_error(self, error: Exception) -> None:
        self.errors.append(f"uncaught: {error}")

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(p.search(e) for p in self.allowed)]


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def page(browser: Browser, console: Console) -> Iterator[Page]:
    """A page in a fresh context (1280x900); the test fails if the page logged an error."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    opened.on("console", console.on_console)
    opened.on("pageerror", console.on_page_error)
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    try:
        yield opened
    finally:
        context.close()
    assert console.unexpected() == [], "the page reported errors"
    # everything the page loads comes from the server it was opened on: no CDN, no network
    elsewhere = [url for url in requested if not url.startswith(LOCAL_URLS)]
    assert elsewhere == [], "the page reached beyond its server"


# --- helpers for the tests -----------------------------------------------------------------


def screenshot_dir() -> Path:
    given = os.environ.get("ASSISTANTS_SCREENSHOTS")
    return Path(given) if given else ROOT / "build" / "screenshots"


def shot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Write a screenshot of the page to <screenshot dir>/<name>.png, after checking the
    state it shows with axe-core (`assert_accessible`)."""
    assert_accessible(page, name)
    path = screenshot_dir() / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=full_page)
    return path


def assert_accessible(page: Page, name: str) -> None:
    """axe-core's WCAG 2.1 A and AA rules find nothing in the page as it is: names and labels,
    roles, contrast, landmarks, focusable controls."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    found = Axe().run(page, options=options).response["violations"]
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in found
    ]
    assert problems == [], f"{name}: accessibility problems"


def assert_fits(page: Page, name: str, width: int = 390) -> None:
    """At `width` px the page does not scroll sideways; a screenshot `<name>-<width>`."""
    page.set_viewport_size({"width": width, "height": 844})
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    shot(page, f"{name}-{width}")
    assert scroll_width <= width, f"{name}: the page scrolls sideways ({scroll_width} px wide)"
    page.set_viewport_size({"width": 1280, "height": 900})


WEATHER_FUNCTION = {
    "name": "get_weather",
    "description": "The current weather in a city.",
    "parameters": {
        "type": "object",
        "properties": {"city": {"type": "string", "description": "The city's name."}},
        "required": ["city"],
    },
}


def create_assistant(server: Playground, **params: Any) -> dict[str, Any]:
    """An assistant made through the API (not the page), for tests about other views."""
    with server.http() as http:
        response = http.post("assistants", json={"model": MODEL, **params})
        response.raise_for_status()
        created: dict[str, Any] = response.json()
        return created


def create_assistant_via_form(
    page: Page,
    *,
    name: str,
    instructions: str = "",
    code_interpreter: bool = False,
    file_search: bool = False,
    functions: Sequence[dict[str, Any]] = (),
    vector_stores: Sequence[str] = (),
) -> str:
    """Fill the Assistants form and create it; the new assistant's id (from the route)."""
    from playwright.sync_api import expect

    page.get_by_role("button", name="New assistant").click()
    expect(page.get_by_role("heading", name="New assistant")).to_be_visible()
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Model", exact=True).select_option(MODEL)
    if instructions:
        page.get_by_label("Instructions").fill(instructions)
    if code_interpreter:
        page.get_by_role("checkbox", name="code_interpreter").check()
    if file_search:
        page.get_by_role("checkbox", name="file_search").check()
    for store in vector_stores:
        stores = page.get_by_role("group", name="Vector stores for file_search")
        stores.get_by_role("checkbox", name=store).check()
    for number, function in enumerate(functions, start=1):
        page.get_by_role("button", name="Add function").click()
        fieldset = page.get_by_role("group", name=f"Function {number}")
        fieldset.get_by_label("Function definition (JSON)").fill(json.dumps(function, indent=2))
    page.get_by_role("button", name="Create assistant").click()
    expect(page.get_by_text("Assistant created.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"#/assistants/asst_\w+$"))
    return page.url.rsplit("/", 1)[1]


def open_chat(page: Page, server: Playground, assistant_id: str) -> None:
    """Open the page on a new thread with `assistant_id`."""
    page.goto(f"{server.url}#/threads/new/{assistant_id}")
    from playwright.sync_api import expect

    expect(page.get_by_role("textbox", name="Message")).to_be_visible()


def send(page: Page, text: str) -> None:
    """Type `text` in the composer and press Send."""
    page.get_by_role("textbox", name="Message").fill(text)
    page.get_by_role("button", name="Send").click()


def run_status(page: Page, status: str) -> Any:
    """The run region's status line, for `expect(...)`."""
    return (
        page.get_by_role("region", name="Run")
        .get_by_role("status")
        .filter(has_text=f"Run status: {status}")
    )


def messages(page: Page) -> Any:
    return page.get_by_role("log", name="Messages")


def assistant_messages(page: Page) -> Any:
    return messages(page).get_by_role("article", name="assistant message")


# Every change to the newest assistant message's text, recorded in window.__assistantTexts
# from the page's start (an init script, so it holds across reloads).
_RECORD_TEXTS = """
(() => {
  window.__assistantTexts = [];
  const record = () => {
    const all = document.querySelectorAll('[aria-label="assistant message"]');
    const text = all.length ? all[all.length - 1].textContent : null;
    const seen = window.__assistantTexts;
    if (text !== null && seen[seen.length - 1] !== text) seen.push(text);
  };
  new MutationObserver(record).observe(document, {
    subtree: true, childList: true, characterData: true,
  });
})();
"""


def record_assistant_texts(page: Page) -> None:
    """From the next navigation on, keep every text the newest assistant message shows."""
    page.context.add_init_script(_RECORD_TEXTS)


def assistant_texts(page: Page) -> list[str]:
    """The texts recorded since the page (re)loaded."""
    texts: list[str] = page.evaluate("window.__assistantTexts")
    return texts
