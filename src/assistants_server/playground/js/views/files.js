// @ts-check
/**
 * Files (#/files): upload (with a progress bar) for a chosen purpose, and the table of every
 * stored file with a download link and a delete button per row.
 */
import { listAll, request } from "../api.js";
import { field, h, notice, replace, size, when } from "../dom.js";
import { downloadLink } from "../file-download.js";
import { fileUploader } from "../file-upload.js";

const PURPOSES = ["assistants", "vision", "batch", "fine-tune"];
const COLUMNS = ["Filename", "ID", "Purpose", "Size", "Created", "Actions"];

/**
 * A table cell that names its column (shown as a label when the table stacks on narrow screens).
 * @param {number} column
 * @param {...any} children
 */
function cell(column, ...children) {
  return h("td", { "data-label": COLUMNS[column] }, ...children);
}

/**
 * @param {any} file
 * @param {(file: any, row: HTMLTableRowElement) => void} onDelete
 */
function fileRow(file, onDelete) {
  const remove = h("button", { type: "button", class: "danger", "aria-label": `Delete ${file.filename}` }, "Delete");
  const row = h(
    "tr",
    { "data-id": file.id },
    cell(0, h("span", { class: "files-name" }, file.filename)),
    cell(1, h("code", null, file.id)),
    cell(2, file.purpose),
    cell(3, size(file.bytes ?? 0)),
    cell(4, when(file.created_at)),
    cell(5, h("div", { class: "files-actions" }, downloadLink(file.id, file.filename), remove)),
  );
  remove.addEventListener("click", () => onDelete(file, row));
  return row;
}

/** @param {HTMLTableSectionElement} body */
function showEmpty(body) {
  if (body.rows.length) return;
  const text = h("td", { colspan: COLUMNS.length, class: "muted" }, "No files yet.");
  body.append(h("tr", { class: "files-empty" }, text));
}

/** @param {HTMLTableSectionElement} body */
function fileTable(body) {
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "files-table" },
      h("caption", { class: "files-caption", tabindex: -1 }, "Stored files"),
      h("thead", null, h("tr", null, COLUMNS.map((name) => h("th", { scope: "col" }, name)))),
      body,
    ),
  );
}

/**
 * Delete a file after asking, then move focus to a neighbour so keyboard users stay in place.
 * @param {HTMLTableSectionElement} body
 * @param {any} file
 * @param {HTMLTableRowElement} row
 */
async function deleteFile(body, file, row) {
  if (!confirm(`Delete the file "${file.filename}"? This cannot be undone.`)) return;
  try {
    await request("DELETE", `/files/${file.id}`);
  } catch (error) {
    notice(`Could not delete ${file.filename}: ${/** @type {Error} */ (error).message}`, "error");
    return;
  }
  const neighbour = row.nextElementSibling ?? row.previousElementSibling;
  const next = /** @type {HTMLElement | null} */ (neighbour?.querySelector("button.danger") ?? null);
  row.remove();
  showEmpty(body);
  notice(`Deleted ${file.filename}.`);
  (next ?? body.closest("table")?.querySelector("caption"))?.focus?.();
}

/**
 * The upload form: purpose, file input, progress while it runs, errors as an alert.
 * @param {(file: any) => void} onUploaded
 */
function uploadForm(onUploaded) {
  const purpose = h("select", null, PURPOSES.map((name) => h("option", { value: name }, name)));
  const { input, progress, status, alert } = fileUploader({
    purpose: () => purpose.value,
    stored: (file) => {
      onUploaded(file);
      return `Uploaded ${file.filename}.`;
    },
  });
  return h(
    "div",
    { class: "files-upload" },
    h("h3", null, "Upload"),
    field("Purpose", purpose, "assistants for file_search and code_interpreter; vision for images."),
    field("Upload file", input, "Uploads as soon as you choose."),
    progress,
    status,
    alert,
  );
}

/**
 * @param {HTMLElement} view
 * @param {string[]} _params
 */
export async function render(view, _params) {
  const files = await listAll("/files");
  const body = h("tbody");
  const onDelete = (/** @type {any} */ file, /** @type {HTMLTableRowElement} */ row) => deleteFile(body, file, row);
  for (const file of files) body.append(fileRow(file, onDelete));
  showEmpty(body);
  const onUploaded = (/** @type {any} */ file) => {
    body.querySelector(".files-empty")?.remove();
    body.prepend(fileRow(file, onDelete));
  };
  replace(
    view,
    h(
      "div",
      { class: "layout" },
      h("aside", { class: "panel" }, h("h2", null, "Files"), uploadForm(onUploaded)),
      h("section", { class: "panel files-main", "aria-label": "Stored files" }, fileTable(body)),
    ),
  );
}
