// @ts-check
/**
 * Vector stores (#/vector-stores, #/vector-stores/<id>): create and list stores on the side;
 * a store's status, files (add, ingestion status, remove), search, and deletion on the main side.
 */
import { listAll, messageOf, request } from "../api.js";
import { navigate, viewSignal } from "../app.js";
import { field, h, notice, replace, sideList, size, uid, when } from "../dom.js";
import { storeFiles } from "../store-files.js";
import { storeSearch } from "../store-search.js";

/** Set when the user moves within this section, so the next render focuses the store. */
let focusMain = false;

/** @param {any} store */
function label(store) {
  return store.name || store.id;
}

/** @param {string} hash */
function go(hash) {
  focusMain = true;
  navigate(hash);
}

/** @param {any} store the list's one-line summary of a store */
function summary(store) {
  const total = store.file_counts?.total ?? 0;
  return `${total} file${total === 1 ? "" : "s"} · ${store.status}`;
}

/** @param {any} store */
function countsText(store) {
  const counts = store.file_counts ?? {};
  const files = [
    `${counts.completed ?? 0} completed`,
    `${counts.in_progress ?? 0} in progress`,
    `${counts.failed ?? 0} failed`,
  ];
  return `Status: ${store.status} · files: ${files.join(", ")} (${counts.total ?? 0} in all)`;
}

/** The form that creates a store by name. */
function createForm() {
  const name = h("input", { type: "text", autocomplete: "off" });
  const alert = h("div", { role: "alert" });
  const button = h("button", { type: "submit" }, "Create vector store");
  async function create(/** @type {SubmitEvent} */ event) {
    event.preventDefault();
    replace(alert);
    button.disabled = true;
    try {
      const body = name.value.trim() ? { name: name.value.trim() } : {};
      const store = await request("POST", "/vector_stores", body);
      notice("Vector store created.");
      go(`#/vector-stores/${encodeURIComponent(store.id)}`);
    } catch (error) {
      replace(alert, h("p", { class: "error" }, `Error: ${/** @type {Error} */ (error).message}`));
    } finally {
      button.disabled = false;
    }
  }
  return h("form", { class: "store-create", onsubmit: create }, field("Name", name), button, alert);
}

/**
 * @param {any[]} stores
 * @param {string | undefined} currentId
 */
function storeList(stores, currentId) {
  if (!stores.length) return h("p", { class: "muted" }, "No vector stores yet.");
  return sideList("Vector stores", stores, {
    current: currentId,
    href: (store) => `#/vector-stores/${encodeURIComponent(store.id)}`,
    name: label,
    detail: summary,
    onPick: () => {
      focusMain = true;
    },
  });
}

/** @param {any} store */
async function deleteStore(store) {
  try {
    await request("DELETE", `/vector_stores/${store.id}`);
  } catch (error) {
    notice(`Could not delete the vector store: ${/** @type {Error} */ (error).message}`, "error");
    return;
  }
  notice("Vector store deleted.");
  go("#/vector-stores");
}

/**
 * One store: its heading, status and counts, files, search, and deletion.
 * @param {any} store
 */
function storeDetail(store) {
  const heading = h("h2", { tabindex: -1, id: uid("store-title") }, label(store));
  const counts = h("p", { role: "status", class: "store-counts" }, countsText(store));
  const usage = h("span", null, size(store.usage_bytes ?? 0));
  const onStore = (/** @type {any} */ current) => {
    const text = countsText(current);
    if (counts.textContent !== text) counts.textContent = text;
    usage.textContent = size(current.usage_bytes ?? 0);
    const listed = document.querySelector(`[data-detail-of="${CSS.escape(current.id)}"]`);
    if (listed) listed.textContent = summary(current);
  };
  const files = storeFiles({ store, signal: viewSignal(), onStore });
  const element = h(
    "section",
    { "aria-labelledby": heading.id },
    h(
      "div",
      { class: "store-head" },
      heading,
      h("button", { type: "button", class: "danger", onclick: () => deleteStore(store) }, "Delete vector store"),
    ),
    h("p", { class: "muted store-meta" }, h("code", null, store.id), ` · created ${when(store.created_at)} · `, usage),
    counts,
    files.element,
    storeSearch(store.id),
  );
  return { element, heading, refresh: files.refresh };
}

/**
 * @param {HTMLElement} view
 * @param {string[]} params
 */
export async function render(view, params) {
  const [currentId] = params;
  const stores = await listAll("/vector_stores");
  const main = h("div", { class: "panel store-main" });
  replace(
    view,
    h(
      "div",
      { class: "layout" },
      h("aside", { class: "panel store-side" }, h("h2", null, "Vector stores"), createForm(), storeList(stores, currentId)),
      main,
    ),
  );
  if (!currentId) {
    replace(main, h("p", { class: "muted" }, "Choose a vector store, or create one."));
    focusMain = false;
    return;
  }
  let store;
  try {
    store =
      stores.find((item) => item.id === currentId) ??
      (await request("GET", `/vector_stores/${encodeURIComponent(currentId)}`));
  } catch (error) {
    const message = messageOf(error);
    replace(main, h("h2", null, "Vector store not found"), h("p", { role: "alert", class: "error" }, message));
    return;
  }
  const detail = storeDetail(store);
  replace(main, detail.element);
  if (focusMain) detail.heading.focus();
  focusMain = false;
  await detail.refresh();
}
