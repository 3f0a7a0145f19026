// @ts-check
/**
 * A vector store's files: adding (upload with purpose assistants, then attach), the table of
 * files with their ingestion status (and last_error when failed), polled every second while
 * any is in progress until the view is left, and removing a file from the store.
 */
import { listAll, request } from "./api.js";
import { fileUploader } from "./file-upload.js";
import { field, h, notice, replace, size, when } from "./dom.js";

const COLUMNS = ["File", "Status", "Size", "Added", "Actions"];

/**
 * @typedef {{row: HTMLTableRowElement, name: HTMLElement, status: HTMLElement, size: HTMLElement, remove: HTMLButtonElement}} Row
 */

/**
 * @param {number} column
 * @param {...any} children
 */
function cell(column, ...children) {
  return h("td", { "data-label": COLUMNS[column] }, ...children);
}

/** @param {any} file a vector_store.file */
function statusContent(file) {
  return [
    h("span", { class: `badge ${file.status}` }, file.status),
    file.status === "failed" && file.last_error
      ? h("span", { class: "error store-file-error" }, ` ${file.last_error.message}`)
      : null,
  ];
}

/**
 * @param {object} options
 * @param {any} options.store
 * @param {AbortSignal} options.signal aborted when the view is left: polling stops
 * @param {(store: any) => void} options.onStore the store as last read (status, file_counts)
 */
export function storeFiles({ store, signal, onStore }) {
  const path = `/vector_stores/${store.id}`;
  /** @type {Map<string, string>} file id → filename */
  const names = new Map();
  /** @type {Map<string, Row>} */
  const rows = new Map();
  const body = h("tbody");
  const empty = h("tr", null, h("td", { colspan: COLUMNS.length, class: "muted" }, "No files in this store yet."));
  let timer = 0;
  signal.addEventListener("abort", () => clearTimeout(timer));

  /** @param {string} id */
  function nameOf(id) {
    return names.get(id) ?? id;
  }

  /** Learn the filenames of files we do not know yet (their rows show the id until then). */
  async function learnNames(/** @type {string[]} */ ids) {
    const unknown = ids.filter((id) => !names.has(id));
    if (!unknown.length) return;
    const files = await listAll("/files", { purpose: "assistants" }).catch(() => []);
    for (const file of files) names.set(file.id, file.filename);
    for (const id of unknown) {
      if (!names.has(id)) names.set(id, id);
      const row = rows.get(id);
      if (row) label(row, id);
    }
  }

  /**
   * @param {Row} row
   * @param {string} id
   */
  function label(row, id) {
    row.name.textContent = nameOf(id);
    row.remove.setAttribute("aria-label", `Remove ${nameOf(id)}`);
  }

  /** @param {any} file */
  function addRow(file) {
    const remove = h("button", { type: "button", class: "danger" }, "Remove");
    /** @type {Row} */
    const row = {
      row: h("tr"),
      name: h("span", { class: "store-file-name" }),
      status: h("span"),
      size: h("span"),
      remove,
    };
    row.row.append(
      cell(0, row.name, h("br"), h("code", { class: "store-file-id" }, file.id)),
      cell(1, row.status),
      cell(2, row.size),
      cell(3, when(file.created_at)),
      cell(4, remove),
    );
    remove.addEventListener("click", () => removeFile(file.id));
    label(row, file.id);
    rows.set(file.id, row);
    body.append(row.row);
    return row;
  }

  /** @param {any[]} files the store's files, as listed now */
  function update(files) {
    const present = new Set(files.map((file) => file.id));
    for (const [id, row] of rows) {
      if (!present.has(id)) {
        row.row.remove();
        rows.delete(id);
      }
    }
    for (const file of files) {
      const row = rows.get(file.id) ?? addRow(file);
      replace(row.status, statusContent(file));
      row.size.textContent = file.status === "completed" ? size(file.usage_bytes ?? 0) : "";
    }
    if (rows.size) empty.remove();
    else body.append(empty);
  }

  async function refresh() {
    const [current, files] = await Promise.all([request("GET", path), listAll(`${path}/files`)]);
    if (signal.aborted) return;
    update(files);
    onStore(current);
    learnNames(files.map((file) => file.id));
    if (files.some((file) => file.status === "in_progress")) schedule();
  }

  function schedule() {
    clearTimeout(timer);
    if (signal.aborted) return;
    timer = window.setTimeout(() => {
      refresh().catch((error) => notice(`Could not refresh the store: ${error.message}`, "error"));
    }, 1000);
  }

  /** @param {string} id */
  async function removeFile(id) {
    const row = rows.get(id);
    try {
      await request("DELETE", `${path}/files/${id}`);
    } catch (error) {
      notice(`Could not remove ${nameOf(id)}: ${/** @type {Error} */ (error).message}`, "error");
      return;
    }
    const next = row?.row.nextElementSibling ?? row?.row.previousElementSibling;
    notice(`Removed ${nameOf(id)} from the store.`);
    await refresh().catch(() => {});
    /** @type {HTMLElement | null | undefined} */ (next?.querySelector("button") ?? input)?.focus();
  }

  // each chosen file uploaded with purpose assistants, then attached to the store
  const { input, progress, status, alert } = fileUploader({
    purpose: () => "assistants",
    stored: async (file) => {
      names.set(file.id, file.filename);
      await request("POST", `${path}/files`, { file_id: file.id });
      return `Added ${file.filename}.`;
    },
    finished: () =>
      refresh().catch((error) => notice(`Could not refresh the store: ${error.message}`, "error")),
  });

  const element = h(
    "section",
    { class: "store-files", "aria-labelledby": "store-files-title" },
    h("h3", { id: "store-files-title" }, "Files"),
    field("Add files to this store", input, "Uploaded with purpose assistants, then chunked and embedded."),
    progress,
    status,
    alert,
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "store-table" },
        h("thead", null, h("tr", null, COLUMNS.map((name) => h("th", { scope: "col" }, name)))),
        body,
      ),
    ),
  );
  return { element, refresh };
}
