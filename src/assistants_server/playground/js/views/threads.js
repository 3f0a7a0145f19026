// @ts-check
/**
 * The Threads section: `#/threads` (the threads kept in this browser), `#/threads/<id>` (a
 * thread, its conversation and its live run), `#/threads/new/<assistant_id>` (a new thread,
 * that assistant preselected).
 */
import { ApiError, listAll, request } from "../api.js";
import { h, replace } from "../dom.js";
import { newThread, threadList } from "../thread-list.js";
import { forgetThread, rememberThread, savedThread, titleOf } from "../thread-store.js";
import { messageText, ThreadView } from "../thread-view.js";

const ACTIVE = ["queued", "in_progress", "requires_action", "cancelling"];

/**
 * @param {HTMLElement} view
 * @param {string[]} params
 */
export async function render(view, params) {
  const [first, second] = params;
  if (first === "new") {
    view.append(h("p", { class: "muted", role: "status" }, "Creating a thread…"));
    await newThread(second);
    return;
  }
  const main = h("div", { class: "thread-content" });
  let sidebar = threadList(first);
  view.append(h("div", { class: "layout thread-layout" }, sidebar, main));
  /** Redraw the list (a thread new to it, or its title). */
  const relist = () => {
    const next = threadList(first);
    sidebar.replaceWith(next);
    sidebar = next;
  };
  if (!first) {
    main.append(h("p", { class: "muted thread-intro" }, "Open a thread from the list, or start a new one."));
    return;
  }
  main.append(h("p", { class: "muted" }, "Loading the thread…"));
  await openThread(main, first, relist);
}

/**
 * @param {HTMLElement} main
 * @param {string} threadId
 * @param {() => void} relist
 */
async function openThread(main, threadId, relist) {
  let thread;
  try {
    thread = await request("GET", `/threads/${encodeURIComponent(threadId)}`);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
    replace(main, h("h2", null, threadId), h("p", { class: "error", role: "alert" }, error.message), forgetButton(threadId));
    return;
  }
  const path = `/threads/${thread.id}`;
  const [assistants, messages, runs] = await Promise.all([
    listAll("/assistants"),
    listAll(`${path}/messages`, { order: "asc" }),
    request("GET", `${path}/runs?limit=1`),
  ]);
  const lastRun = runs.data[0];
  remember(thread, messages);
  relist();
  const page = new ThreadView(thread, assistants, relist);
  page.choose(savedThread(thread.id)?.assistant_id ?? lastRun?.assistant_id);
  replace(main, page.element);
  const following = lastRun && ACTIVE.includes(lastRun.status);
  page.showMessages(following ? messages.filter((message) => message.run_id !== lastRun.id) : messages);
  if (following) page.follow(lastRun);
  else if (lastRun) await page.showFinished(lastRun);
}

/** A thread the server does not know can leave this browser's list. @param {string} id */
function forgetButton(id) {
  if (!savedThread(id)) return null;
  const forget = () => {
    forgetThread(id);
    location.hash = "#/threads";
  };
  return h("button", { type: "button", class: "secondary", onclick: forget }, "Remove from this list");
}

/** Keep the thread in this browser's list, titled by its first message. @param {any} thread @param {any[]} messages */
function remember(thread, messages) {
  const title = titleOf(messageText(messages.find((message) => message.role === "user")));
  const known = savedThread(thread.id);
  if (!known || (!known.title && title)) rememberThread(thread, { title: known?.title || title });
}
