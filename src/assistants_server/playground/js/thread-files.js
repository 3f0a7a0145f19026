// @ts-check
/**
 * Files shown in a thread: their names (GET /v1/files/{id}, asked once per page), and images
 * and download links of their bytes (file-download.js).
 */
import { request } from "./api.js";
import { h } from "./dom.js";
import { madeUrl, objectUrl, save } from "./file-download.js";

/** @type {Map<string, Promise<string>>} */
const asked = new Map();
/** @type {Map<string, string>} names already known, for synchronous rendering */
const names = new Map();

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

/** An <img> of a file, named "Image <file_id>". @param {string} fileId */
export function fileImage(fileId) {
  const shown = madeUrl(fileId);
  const image = h("img", { alt: `Image ${fileId}`, class: "thread-image", src: shown });
  if (shown) return image;
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
      const name = await fileName(fileId);
      await save(fileId, name.split("/").pop() || fileId);
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
