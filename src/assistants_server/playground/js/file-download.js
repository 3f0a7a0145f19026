// @ts-check
/**
 * A stored file's bytes in the page. The key travels in a header, so no link or image can
 * point at the API: the bytes are fetched once (`fileUrl`) and kept as an object URL, which
 * images show and downloads save.
 */
import { fileUrl } from "./api.js";
import { h, notice } from "./dom.js";

/** @type {Map<string, Promise<string>>} */
const urls = new Map();
/** @type {Map<string, string>} object URLs already made, so a redrawn image shows at once */
const made = new Map();

/** The file's bytes as an object URL, fetched on the first call. @param {string} fileId */
export function objectUrl(fileId) {
  let url = urls.get(fileId);
  if (!url) {
    url = fileUrl(fileId);
    url.then((known) => made.set(fileId, known)).catch(() => urls.delete(fileId));
    urls.set(fileId, url);
  }
  return url;
}

/** The object URL if the bytes are here already. @param {string} fileId */
export function madeUrl(fileId) {
  return made.get(fileId);
}

/**
 * Save the file's bytes as `filename`, as a download.
 * @param {string} fileId
 * @param {string} filename
 */
export async function save(fileId, filename) {
  h("a", { href: await objectUrl(fileId), download: filename }).click();
}

/**
 * A download link for a stored file whose name is known.
 * @param {string} fileId
 * @param {string} filename
 * @param {string} [text] visible text; the accessible name is always "Download <filename>"
 */
export function downloadLink(fileId, filename, text = "Download") {
  const link = h("a", { href: "#", "aria-label": `Download ${filename}`, class: "file-download" }, text);
  link.addEventListener("click", async (event) => {
    event.preventDefault();
    try {
      await save(fileId, filename);
    } catch (error) {
      notice(`Could not download ${filename}: ${/** @type {Error} */ (error).message}`, "error");
    }
  });
  return link;
}
