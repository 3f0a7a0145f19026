// @ts-check
/**
 * Files shown in a thread: their names (GET /v1/files/{id}, asked once per page), their bytes
 * as object URLs (asked once, on demand), images and download links built from them.
 */
import { fileUrl, request } from "./api.js";
import { h } from "./dom.js";

/** @type {Map<string, Promise<string>>} */
const asked = new Map();
/** @type {Map<string, string>} names already known, for synchronous rendering */
const names = new Map();
/** @type {Map<string, Promise<string>>} */
const urls = new Map();
/** @type {Map<string, string>} object URLs already made, so a redrawn image shows at once */
const made = new Map();

/** The file's name (its id when it cannot be read). @param {string} fileId */
export function fileName(fileId) {
  let name = asked.get(fileId);
  if (!name) {
    name = request("GET", `/files/${encodeURIComponent(fileId)}`)
      .then((file) => String(file.filename || fileId))
      .catch(() => fileId);
    name.then((known) => names.set(fileId, known));
    asked.set(fileId, name);
  }
  return name;
}

/** The name if known already, else the id (and the name is asked for). @param {string} fileId */
export function knownName(fileId) {
  if (!names.has(fileId)) fileName(fileId);
  return names.get(fileId) ?? fileId;
}

/** @param {string} fileId */
function objectUrl(fileId) {
  let url = urls.get(fileId);
  if (!url) {
    url = fileUrl(fileId);
    url.then((known) => made.set(fileId, known)).catch(() => urls.delete(fileId));
    urls.set(fileId, url);
  }
  return url;
}

/** An <img> of a file, named "Image <file_id>". @param {string} fileId */
export function fileImage(fileId) {
  const image = h("img", { alt: `Image ${fileId}`, class: "thread-image", src: made.get(fileId) });
  if (made.has(fileId)) return image;
  objectUrl(fileId)
    .then((url) => {
      image.src = url;
    })
    .catch(() => image.replaceWith(h("p", { class: "error" }, `Image ${fileId} could not be loaded.`)));
  return image;
}

/**
 * A link that downloads a file when followed; its text is `label(filename)`, updated once the
 * name is known.
 * @param {string} fileId
 * @param {(name: string) => string} label
 */
export function downloadLink(fileId, label) {
  const link = h("a", { href: `#download-${fileId}`, class: "thread-file-link", onclick: download }, label(knownName(fileId)));
  fileName(fileId).then((name) => {
    link.textContent = label(name);
  });
  /** @param {MouseEvent} event */
  async function download(event) {
    event.preventDefault();
    try {
      const [url, name] = await Promise.all([objectUrl(fileId), fileName(fileId)]);
      h("a", { href: url, download: name.split("/").pop() || fileId }).click();
    } catch (error) {
      link.after(h("span", { class: "error", role: "alert" }, ` ${String(/** @type {Error} */ (error).message)}`));
    }
  }
  return link;
}

/** A <span> holding a file's name (its id until the name is known). @param {string} fileId */
export function fileNameText(fileId) {
  const span = h("span", { class: "thread-file-name" }, knownName(fileId));
  fileName(fileId).then((name) => {
    span.textContent = name;
  });
  return span;
}
