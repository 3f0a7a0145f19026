// @ts-check
/**
 * A download link for a stored file. The key travels in a header, so the link cannot point
 * at the API: on the first click it fetches the bytes, sets an object URL as its href and
 * clicks itself again.
 */
import { fileUrl } from "./api.js";
import { h, notice } from "./dom.js";

/**
 * @param {string} fileId
 * @param {string} filename
 * @param {string} [text] visible text; the accessible name is always "Download <filename>"
 */
export function downloadLink(fileId, filename, text = "Download") {
  const link = h("a", { href: "#", download: filename, "aria-label": `Download ${filename}`, class: "file-download" }, text);
  link.addEventListener("click", async (event) => {
    if (link.dataset.ready) return; // the href is the object URL now: let the browser save it
    event.preventDefault();
    try {
      link.href = await fileUrl(fileId);
      link.dataset.ready = "1";
      link.click();
    } catch (error) {
      notice(`Could not download ${filename}: ${/** @type {Error} */ (error).message}`, "error");
    }
  });
  return link;
}
