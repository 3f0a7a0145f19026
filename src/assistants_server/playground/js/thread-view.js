// @ts-check
/**
 * One thread: its id, the "Assistant" to run, the conversation ("Messages" log), the composer,
 * the tool outputs form when a run asks for them, and the "Run" panel. A run is created with
 * POST /runs and followed through its event stream; the thread's newest run, if still going
 * when the page loads, is followed again from its first event (its messages are rebuilt from
 * the events, not shown twice).
 */
import { listAll, request, runEvents, upload } from "./api.js";
import { viewSignal } from "./app.js";
import { field, h, notice, replace } from "./dom.js";
import { messageEntry, updateMessage } from "./message-view.js";
import { RunPanel } from "./run-panel.js";
import { applyEvent, finished, runState } from "./run-reducer.js";
import { toolOutputsForm } from "./run-tool-outputs.js";
import { composer } from "./thread-composer.js";
import { rememberThread, savedThread, titleOf } from "./thread-store.js";

// the chunks' text (the API's include) and the query searched with (this server's extension)
const SEARCH_DETAILS = [
  "include[]=step_details.tool_calls[*].file_search.results[*].content",
  "include[]=step_details.tool_calls[*].file_search.query",
].join("&");

export class ThreadView {
  /**
   * @param {any} thread
   * @param {any[]} assistants
   * @param {() => void} relist redraws the threads list (when this thread gets its title)
   */
  constructor(thread, assistants, relist) {
    this.thread = thread;
    this.relist = relist;
    this.assistant = assistantSelect(assistants, (id) => rememberThread(thread, { assistant_id: id }));
    this.log = h("div", { role: "log", "aria-label": "Messages", class: "thread-log" });
    this.toolSlot = h("div", { class: "thread-tool-slot" });
    this.error = h("p", { class: "error", role: "alert" });
    this.composer = composer((text, files) => this.send(text, files));
    this.panel = new RunPanel();
    /** @type {Map<string, HTMLElement>} */
    this.entries = new Map();
    this.toolKey = "";
    this.element = this.layout(assistants.length);
  }

  /** @param {number} assistantCount */
  layout(assistantCount) {
    return h(
      "div",
      { class: "thread-page" },
      h("h2", { class: "thread-title" }, this.thread.id),
      h(
        "div",
        { class: "thread-grid" },
        h(
          "div",
          { class: "thread-main" },
          field("Assistant", this.assistant),
          assistantCount ? null : h("p", { class: "muted" }, "No assistants yet: ", h("a", { href: "#/assistants" }, "create one"), " first."),
          this.log,
          this.toolSlot,
          this.error,
          this.composer.element,
        ),
        this.panel.element,
      ),
    );
  }

  /** Preselect an assistant (the route's, or the last run's). @param {string | undefined} id */
  choose(id) {
    if (id && [...this.assistant.options].some((option) => option.value === id)) this.assistant.value = id;
  }

  /** @param {any} message */
  showMessage(message) {
    const known = this.entries.get(message.id);
    if (known) return updateMessage(known, message);
    const entry = messageEntry(message);
    this.entries.set(message.id, entry);
    this.log.querySelector(".thread-empty")?.remove();
    this.log.append(entry);
    entry.scrollIntoView?.({ block: "nearest" });
  }

  /** The messages before any run being followed. @param {any[]} messages */
  showMessages(messages) {
    if (!messages.length) this.log.append(h("p", { class: "muted thread-empty" }, "No messages yet. Write one below."));
    for (const message of messages) this.showMessage(message);
  }

  /** A finished run: its status and steps, read once. @param {any} run */
  async showFinished(run) {
    this.panel.reset(run);
    const steps = await listAll(`/threads/${this.thread.id}/runs/${run.id}/steps`, { order: "asc" });
    for (const step of steps) this.panel.setStep(step);
  }

  /**
   * Follow a run's events until it ends.
   * @param {any} run
   */
  async follow(run) {
    const state = runState(run);
    this.panel.reset(run);
    this.composer.busy(true);
    const signal = viewSignal();
    try {
      const options = { signal, onReconnect: () => this.panel.reconnecting(true) };
      for await (const event of runEvents(this.thread.id, run.id, options)) {
        this.panel.reconnecting(false);
        this.apply(state, event);
      }
    } catch (error) {
      if (signal.aborted) return;
      this.error.textContent = `Lost the run's events: ${/** @type {Error} */ (error).message}`;
    }
    this.panel.reconnecting(false);
    this.composer.busy(false);
    if (!finished(state.run?.status)) this.refreshRun(state.run);
  }

  /** @param {import("./run-reducer.js").RunState} state @param {{event: string, data: any}} event */
  apply(state, event) {
    const change = applyEvent(state, event);
    if (change.kind === "message") this.showMessage(state.messages.get(change.id));
    if (change.kind === "step") this.showStep(state.steps.get(change.id));
    if (change.kind === "run") this.showRun(state.run);
  }

  /** @param {any} step */
  showStep(step) {
    this.panel.setStep(step);
    const searched = step.step_details?.tool_calls?.some((/** @type {any} */ call) => call?.type === "file_search");
    if (searched && step.status === "completed") this.loadSearchResults(step);
  }

  /** The chunks a file_search step found, with their text. @param {any} step */
  async loadSearchResults(step) {
    try {
      const full = await request("GET", `/threads/${this.thread.id}/runs/${step.run_id}/steps/${step.id}?${SEARCH_DETAILS}`);
      this.panel.setStep(full);
    } catch (error) {
      notice(`Could not read the search results: ${/** @type {Error} */ (error).message}`, "error");
    }
  }

  /** @param {any} run */
  showRun(run) {
    this.panel.setRun(run);
    const key = run.status === "requires_action" ? `${run.id}:${callIds(run)}` : "";
    if (key === this.toolKey) return;
    this.toolKey = key;
    replace(this.toolSlot, key ? toolOutputsForm(run, () => this.submitted()) : null);
    if (key) this.toolSlot.querySelector("textarea")?.focus();
  }

  submitted() {
    this.toolKey = "";
    replace(this.toolSlot);
    notice("Tool outputs sent.");
  }

  /** After the stream stopped early, at least show where the run is. @param {any} run */
  async refreshRun(run) {
    try {
      this.showRun(await request("GET", `/threads/${this.thread.id}/runs/${run.id}`));
    } catch {
      // the error is shown already
    }
  }

  /**
   * Add the message (if any) and start a run with the chosen assistant.
   * @param {string} text
   * @param {File[]} files
   */
  async send(text, files) {
    this.error.textContent = "";
    const assistantId = this.assistant.value;
    if (!assistantId) return this.fail("Choose an assistant first.");
    if (!text.trim() && (files.length || !this.entries.size)) return this.fail("Write a message first.");
    try {
      if (text.trim()) await this.addMessage(text, files);
      const run = await request("POST", `/threads/${this.thread.id}/runs`, { assistant_id: assistantId });
      rememberThread(this.thread, { assistant_id: assistantId });
      this.follow(run);
      return true;
    } catch (error) {
      return this.fail(/** @type {Error} */ (error).message);
    }
  }

  /** @param {string} text @param {File[]} files */
  async addMessage(text, files) {
    const tools = [{ type: "file_search" }, { type: "code_interpreter" }];
    const attachments = [];
    for (const file of files) attachments.push({ file_id: (await upload(file, "assistants")).id, tools });
    const message = await request("POST", `/threads/${this.thread.id}/messages`, { role: "user", content: text, attachments });
    this.showMessage(message);
    if (savedThread(this.thread.id)?.title) return;
    rememberThread(this.thread, { title: titleOf(text) });
    this.relist();
  }

  /** @param {string} text */
  fail(text) {
    this.error.textContent = text;
    return false;
  }
}

/**
 * @param {any[]} assistants
 * @param {(id: string) => void} onChange
 */
function assistantSelect(assistants, onChange) {
  const select = h(
    "select",
    { onchange: () => onChange(select.value) },
    assistants.map((assistant) => h("option", { value: assistant.id }, assistant.name ? `${assistant.name} (${assistant.id})` : assistant.id)),
  );
  return select;
}

/** @param {any} run */
function callIds(run) {
  return (run.required_action?.submit_tool_outputs?.tool_calls ?? []).map((/** @type {any} */ call) => call.id).join(",");
}

/** The text of a message's first text part. @param {any} message */
export function messageText(message) {
  return (message?.content ?? []).find((/** @type {any} */ part) => part.type === "text")?.text?.value ?? "";
}
