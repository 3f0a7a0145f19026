"""Threads and live runs: a reply streams in, a function call waits for the user's output,
code_interpreter's code, logs and image show, a reload mid-run picks the stream up again, so
does a dropped stream, a run is cancelled."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from playwright.sync_api import Page, Request, Route, expect

from tests.e2e.conftest import (
    WEATHER_FUNCTION,
    Playground,
    StartServer,
    assert_fits,
    assistant_messages,
    assistant_texts,
    create_assistant,
    messages,
    open_chat,
    record_assistant_texts,
    run_status,
    send,
    shot,
)

STREAMED = "One two three four five six seven eight nine ten."
LONG = " ".join(f"word{number}" for number in range(1, 31)) + "."


def partial_texts(page: Page) -> list[str]:
    """The newest assistant message's texts (its heading included) recorded since the page
    loaded that came before its final one and are beginnings of it."""
    final = assistant_messages(page).last.text_content() or ""
    return [text for text in assistant_texts(page) if text != final and final.startswith(text)]


def test_a_reply_streams_in(page: Page, start_server: StartServer) -> None:
    server = start_server([{"text": STREAMED, "delay": 0.15}])
    assistant = create_assistant(server, name="Streamer")
    record_assistant_texts(page)
    open_chat(page, server, assistant["id"])
    shot(page, "chat-new-thread")

    send(page, "Count to ten, please.")
    user = messages(page).get_by_role("article", name="user message")
    expect(user).to_have_count(1)
    expect(user).to_contain_text("Count to ten, please.")
    expect(run_status(page, "in_progress")).to_be_visible()
    expect(assistant_messages(page).last).to_contain_text("three")
    shot(page, "chat-streaming")
    expect(assistant_messages(page).last).to_contain_text(STREAMED)
    expect(run_status(page, "completed")).to_be_visible()
    shot(page, "chat-completed")

    partial = [text for text in partial_texts(page) if "One" in text]
    assert len(partial) >= 2, f"the reply did not stream in: {assistant_texts(page)}"
    expect(page).to_have_url(re.compile(r"#/threads/thread_\w+$"))
    thread_id = page.url.rsplit("/", 1)[1]
    expect(page.get_by_role("heading", name=thread_id)).to_be_visible()
    steps = page.get_by_role("region", name="Run").get_by_role("list", name="Run steps")
    expect(steps.get_by_role("listitem")).to_have_count(1)
    expect(steps).to_contain_text("completed")

    # Ctrl+Enter sends too; the scripted model, out of replies, echoes
    page.get_by_role("textbox", name="Message").fill("And again")
    page.get_by_role("textbox", name="Message").press("Control+Enter")
    expect(assistant_messages(page)).to_have_count(2)
    expect(assistant_messages(page).last).to_contain_text("You said: And again")
    expect(run_status(page, "completed")).to_be_visible()

    # the thread is listed in this browser's threads
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Threads").click()
    expect(page.get_by_role("heading", name="Threads", level=2)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(thread_id))).to_be_visible()
    shot(page, "threads-list")


def test_a_function_call_waits_for_its_output(page: Page, start_server: StartServer) -> None:
    server = start_server(
        [
            {"tool_calls": [{"name": "get_weather", "arguments": '{"city": "Paris"}'}]},
            {"text": "It is sunny in Paris, 22 degrees.", "delay": 0.05},
        ]
    )
    assistant = create_assistant(
        server, name="Forecaster", tools=[{"type": "function", "function": WEATHER_FUNCTION}]
    )
    streams: list[str] = []

    def on_request(request: Request) -> None:
        if request.url.split("?")[0].endswith("/events"):
            streams.append(request.url)

    page.on("request", on_request)
    open_chat(page, server, assistant["id"])
    send(page, "What is the weather in Paris?")

    form = page.get_by_role("form", name="Tool outputs")
    expect(form).to_be_visible()
    expect(run_status(page, "requires_action")).to_be_visible()
    expect(form).to_contain_text("get_weather")
    expect(form).to_contain_text("Paris")
    shot(page, "function-requires-action")
    form.get_by_label("Output for get_weather").fill("sunny, 22 C")
    form.get_by_role("button", name="Submit outputs").click()

    expect(assistant_messages(page).last).to_contain_text("It is sunny in Paris, 22 degrees.")
    expect(run_status(page, "completed")).to_be_visible()
    expect(form).to_be_hidden()
    shot(page, "function-completed")
    assert_fits(page, "function-completed")
    assert len(streams) == 1, f"the run's events were not followed on one stream: {streams}"

    thread_id = page.url.rsplit("/", 1)[1]
    with server.http() as http:
        runs = http.get(f"threads/{thread_id}/runs").json()["data"]
        steps = http.get(f"threads/{thread_id}/runs/{runs[0]['id']}/steps").json()["data"]
    calls = [
        call
        for step in steps
        if step["step_details"]["type"] == "tool_calls"
        for call in step["step_details"]["tool_calls"]
    ]
    assert [call["function"]["output"] for call in calls] == ["sunny, 22 C"]


PLOT = """import matplotlib.pyplot as plt
plt.plot([1, 2, 3], [1, 4, 9])
plt.title("squares")
open("/mnt/data/squares.csv", "w").write("n,square\\n1,1\\n2,4\\n3,9\\n")
print("plotted")
plt.show()"""


def test_code_interpreter_shows_code_logs_and_image(page: Page, start_server: StartServer) -> None:
    server = start_server(
        [
            {"tool_calls": [{"name": "code_interpreter", "arguments": {"code": PLOT}}]},
            {"text": "Here is the plot of the squares: [the data](sandbox:/mnt/data/squares.csv)."},
        ],
        sandbox=True,
    )
    assistant = create_assistant(server, name="Plotter", tools=[{"type": "code_interpreter"}])
    open_chat(page, server, assistant["id"])
    send(page, "Plot the squares of 1, 2, 3.")

    run = page.get_by_role("region", name="Run")
    code = page.get_by_role("region", name="Run").get_by_label("Code", exact=True)
    expect(code).to_contain_text("plt.plot([1, 2, 3], [1, 4, 9])", timeout=30_000)
    expect(run.get_by_label("Output", exact=True)).to_contain_text("plotted", timeout=30_000)
    reply = assistant_messages(page).last
    expect(reply).to_contain_text("Here is the plot of the squares")
    download = reply.get_by_role("link", name="Download squares.csv")
    expect(download).to_be_visible()
    with page.expect_download() as saved:
        download.click()
    assert Path(saved.value.path()).read_text() == "n,square\n1,1\n2,4\n3,9\n"
    expect(run_status(page, "completed")).to_be_visible()
    images = page.get_by_role("img", name=re.compile(r"^Image file-\w+$"))
    expect(images.first).to_be_visible()
    for image in images.all():
        image.scroll_into_view_if_needed()
        expect(image).to_have_js_property("complete", True)
        width = image.evaluate("img => img.naturalWidth")
        assert width > 0, f"{image.get_attribute('alt')} did not load"
    shot(page, "code-interpreter")
    assert_fits(page, "code-interpreter")


def test_a_reload_mid_run_resumes_the_stream(page: Page, start_server: StartServer) -> None:
    server = start_server([{"text": LONG, "delay": 0.2}])
    assistant = create_assistant(server, name="Slow talker")
    record_assistant_texts(page)
    open_chat(page, server, assistant["id"])
    send(page, "Talk slowly.")
    expect(assistant_messages(page).last).to_contain_text("word5")
    expect(page).to_have_url(re.compile(r"#/threads/thread_\w+$"))
    before = assistant_messages(page).last.text_content() or ""
    assert "word30." not in before, "the run ended before the reload"
    shot(page, "reload-before")

    page.reload()
    expect(run_status(page, "in_progress")).to_be_visible()
    shot(page, "reload-after")
    expect(run_status(page, "completed")).to_be_visible(timeout=30_000)
    shot(page, "reload-completed")

    expect(assistant_messages(page)).to_have_count(1)
    text = (assistant_messages(page).last.text_content() or "").rstrip()
    assert text.endswith(LONG), text
    log = messages(page).text_content() or ""
    assert log.count(LONG) == 1, log
    assert log.count("word1 ") == 1, log
    partial = [text for text in partial_texts(page) if "word" in text]
    assert partial, f"after the reload the text did not continue: {assistant_texts(page)}"


# window.__reconnecting: whether "Reconnecting…" was ever on the page since it loaded
_WATCH_RECONNECTING = """
(() => {
  window.__reconnecting = false;
  new MutationObserver(() => {
    if (document.body && document.body.textContent.includes("Reconnecting")) {
      window.__reconnecting = true;
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
})();
"""


def first_events(url: str, headers: dict[str, str], count: int) -> tuple[str, str]:
    """The first `count` frames of the event stream at `url` (whole frames, as sent) and the
    id of the last one."""
    frames: list[str] = []
    last_id = ""
    forward = {k: v for k, v in headers.items() if k in ("openai-beta", "authorization")}
    with httpx.stream("GET", url, headers=forward, timeout=30) as response:
        frame: list[str] = []
        for line in response.iter_lines():
            if line:
                frame.append(line)
                continue
            frames.append("\n".join(frame) + "\n\n")
            last_id = next((f[3:].strip() for f in frame if f.startswith("id:")), last_id)
            frame = []
            if len(frames) == count:
                break
    return "".join(frames), last_id


def test_a_dropped_stream_resumes_after_its_last_event(
    page: Page, start_server: StartServer
) -> None:
    server = start_server([{"text": LONG, "delay": 0.15}])
    assistant = create_assistant(server, name="Steady talker")
    asked_after: list[str] = []
    cut_at: list[str] = []

    def drop_the_first(route: Route) -> None:
        """The first stream ends after a dozen events, as a dropped connection would."""
        asked_after.append(route.request.headers.get("last-event-id", ""))
        if len(asked_after) > 1:
            route.continue_()
            return
        body, last_id = first_events(route.request.url, route.request.headers, count=12)
        cut_at.append(last_id)
        route.fulfill(status=200, headers={"Content-Type": "text/event-stream"}, body=body)

    page.route("**/runs/*/events*", drop_the_first)
    page.context.add_init_script(_WATCH_RECONNECTING)
    open_chat(page, server, assistant["id"])
    send(page, "Keep talking.")

    expect(run_status(page, "completed")).to_be_visible(timeout=30_000)
    shot(page, "stream-resumed")
    assert cut_at[0], "the first stream's events have no ids"
    assert asked_after[:2] == ["", cut_at[0]], asked_after
    text = assistant_messages(page).last.text_content() or ""
    assert text.count(LONG) == 1, text
    assert text.count("word1 ") == 1, text
    assert page.evaluate("window.__reconnecting"), "no 'Reconnecting…' was shown"


def test_cancel_a_run(page: Page, start_server: StartServer) -> None:
    server = start_server([{"text": LONG, "delay": 0.3}])
    assistant = create_assistant(server, name="Chatterbox")
    open_chat(page, server, assistant["id"])
    send(page, "Say a lot.")
    cancel = page.get_by_role("button", name="Cancel run")
    expect(assistant_messages(page).last).to_contain_text("word2")
    shot(page, "cancel-before")
    cancel.click()
    expect(run_status(page, "cancelled")).to_be_visible()
    expect(cancel).to_be_hidden()
    shot(page, "cancel-after")

    thread_id = page.url.rsplit("/", 1)[1]
    with server.http() as http:
        [run] = http.get(f"threads/{thread_id}/runs").json()["data"]
    assert run["status"] == "cancelled"


def test_open_a_thread_by_id(page: Page, playground: Playground) -> None:
    assistant = create_assistant(playground, name="Echo")
    with playground.http() as http:
        thread = http.post(
            "threads", json={"messages": [{"role": "user", "content": "Hello from elsewhere"}]}
        ).json()
        http.post(f"threads/{thread['id']}/runs", json={"assistant_id": assistant["id"]})
    page.goto(playground.url + "#/threads")
    page.get_by_label("Thread id").fill(thread["id"])
    page.get_by_role("button", name="Open").click()

    expect(page.get_by_role("heading", name=thread["id"])).to_be_visible()
    expect(messages(page).get_by_role("article", name="user message")).to_contain_text(
        "Hello from elsewhere"
    )
    expect(assistant_messages(page)).to_contain_text("You said: Hello from elsewhere")
    expect(page.get_by_label("Assistant", exact=True)).to_have_value(assistant["id"])
    shot(page, "thread-opened-by-id")


def test_attach_a_file_to_a_message(page: Page, playground: Playground, tmp_path: Path) -> None:
    notes = tmp_path / "attached-notes.txt"
    notes.write_text("The meeting is on Tuesday.\n")
    assistant = create_assistant(playground, name="Reader")
    open_chat(page, playground, assistant["id"])
    page.get_by_label("Attach files").set_input_files(notes)
    send(page, "Read my notes.")

    user = messages(page).get_by_role("article", name="user message")
    expect(user).to_contain_text("Read my notes.")
    expect(user).to_contain_text("attached-notes.txt")
    expect(run_status(page, "completed")).to_be_visible()
    shot(page, "message-with-attachment")
    thread_id = page.url.rsplit("/", 1)[1]
    with playground.http() as http:
        listed = http.get(f"threads/{thread_id}/messages").json()["data"]
        [message] = [m for m in listed if m["role"] == "user"]
        [attachment] = message["attachments"]
        file = http.get(f"files/{attachment['file_id']}").json()
    assert (file["filename"], file["purpose"]) == ("attached-notes.txt", "assistants")
    assert {tool["type"] for tool in attachment["tools"]} == {"file_search", "code_interpreter"}
