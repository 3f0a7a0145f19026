// @ts-check
/**
 * The playground's shell: the sections (one module each under views/), the route in the
 * address (#/<section>/<id>...), and the API key dialog.
 */
import { apiKey, request, setApiKey } from "./api.js";
import { h, notice, replace } from "./dom.js";

/** @typedef {(view: HTMLElement, params: string[]) => Promise<void> | void} Render */

/** @type {Record<string, () => Promise<{render: Render}>>} */
const SECTIONS = {
  assistants: () => import("./views/assistants.js"),
  threads: () => import("./views/threads.js"),
  files: () => import("./views/files.js"),
  "vector-stores": () => import("./views/vector-stores.js"),
};

/** Leaving a view calls what it registered here (to close its streams, say). */
let leaving = new AbortController();

/**
 * Go to `hash`, drawing the view again when the address is already there (after a save, say).
 * @param {string} hash
 */
export function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

/** A signal aborted when the user moves to another view. */
export function viewSignal() {
  return leaving.signal;
}

async function route() {
  const view = /** @type {HTMLElement} */ (document.getElementById("view"));
  const [section = "assistants", ...params] = location.hash.replace(/^#\/?/, "").split("/");
  const load = SECTIONS[section] ?? SECTIONS.assistants;
  leaving.abort();
  leaving = new AbortController();
  for (const link of document.querySelectorAll("nav a[data-section]")) {
    const current = link.getAttribute("data-section") === section;
    if (current) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  replace(view, h("p", { class: "muted" }, "Loading…"));
  try {
    const { render } = await load();
    replace(view);
    await render(view, params.map(decodeURIComponent));
  } catch (error) {
    replace(view, h("p", { class: "error", role: "alert" }, String(/** @type {Error} */ (error).message ?? error)));
  }
}

function keyDialog() {
  const dialog = /** @type {HTMLDialogElement} */ (document.getElementById("key-dialog"));
  const input = /** @type {HTMLInputElement} */ (document.getElementById("key-input"));
  if (dialog.open) return;
  input.value = apiKey();
  dialog.showModal();
  input.focus();
}

function setUp() {
  const dialog = /** @type {HTMLDialogElement} */ (document.getElementById("key-dialog"));
  const input = /** @type {HTMLInputElement} */ (document.getElementById("key-input"));
  dialog.addEventListener("close", () => {
    if (dialog.returnValue === "save") setApiKey(input.value.trim());
    else if (dialog.returnValue === "forget") setApiKey("");
    else return;
    notice(dialog.returnValue === "save" ? "Key saved in this browser." : "Key forgotten.");
    route();
  });
  document.getElementById("key-button")?.addEventListener("click", keyDialog);
  window.addEventListener("api-key-needed", keyDialog);
  window.addEventListener("hashchange", route);
  // Ask for a key at once if the server needs one and we have none (or a wrong one).
  request("GET", "/models").catch(() => {});
  route();
}

setUp();
