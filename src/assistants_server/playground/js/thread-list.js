// @ts-check
/**
 * The "Threads" side panel: the threads kept in this browser (newest first, each a link named
 * by its id, described by its first message), "New thread", and "Thread id" + "Open" for any
 * other thread.
 */
import { request } from "./api.js";
import { field, h, notice } from "./dom.js";
import { rememberThread, savedThreads } from "./thread-store.js";

/** @param {string} [current] the open thread's id */
export function threadList(current) {
  const threads = savedThreads();
  const idInput = h("input", { type: "text", autocomplete: "off", spellcheck: "false", placeholder: "thread_…" });
  return h(
    "aside",
    { class: "thread-sidebar panel", "aria-labelledby": "threads-heading" },
    h("h2", { id: "threads-heading" }, "Threads"),
    h("div", { class: "actions" }, h("button", { type: "button", onclick: () => newThread() }, "New thread")),
    threads.length
      ? h("ul", { class: "list thread-list" }, threads.map((thread) => threadItem(thread, current)))
      : h("p", { class: "muted" }, "No threads yet in this browser."),
    h(
      "form",
      { class: "thread-open", onsubmit: (/** @type {SubmitEvent} */ event) => openThread(event, idInput) },
      field("Thread id", idInput),
      h("button", { type: "submit", class: "secondary" }, "Open"),
    ),
  );
}

/** @param {import("./thread-store.js").SavedThread} thread @param {string} [current] */
function threadItem(thread, current) {
  const describedBy = `thread-title-${thread.id}`;
  return h(
    "li",
    null,
    h(
      "a",
      { href: `#/threads/${encodeURIComponent(thread.id)}`, "aria-current": thread.id === current ? "true" : null, "aria-describedby": thread.title ? describedBy : null },
      h("code", { class: "thread-list-id" }, thread.id),
    ),
    thread.title ? h("span", { id: describedBy, class: "thread-list-title muted" }, thread.title) : null,
  );
}

/**
 * Create a thread and open it; `assistantId` is preselected there.
 * @param {string} [assistantId]
 */
export async function newThread(assistantId) {
  try {
    const thread = await request("POST", "/threads", {});
    rememberThread(thread, assistantId ? { assistant_id: assistantId } : {});
    const route = `#/threads/${encodeURIComponent(thread.id)}`;
    // from "#/threads/new/<assistant>", the new thread takes that route's place in history
    if (assistantId) location.replace(route);
    else location.hash = route;
  } catch (error) {
    notice(`Could not create a thread: ${/** @type {Error} */ (error).message}`, "error");
    throw error;
  }
}

/** @param {SubmitEvent} event @param {HTMLInputElement} input */
function openThread(event, input) {
  event.preventDefault();
  const id = input.value.trim();
  if (id) location.hash = `#/threads/${encodeURIComponent(id)}`;
  else input.focus();
}
