// @ts-check
/**
 * Search a vector store (POST /v1/vector_stores/{id}/search): a query field and the chunks
 * found, best first, each with its file's name, its score and its text.
 */
import { messageOf, request } from "./api.js";
import { field, h, replace } from "./dom.js";

/** @param {any} hit one search result: {file_id, filename, score, content: [{type, text}]} */
function result(hit) {
  const text = (hit.content ?? []).map((/** @type {any} */ part) => part.text ?? "").join("\n");
  return h(
    "li",
    { class: "store-result" },
    h(
      "div",
      { class: "store-result-head" },
      h("strong", { class: "store-result-file" }, hit.filename || hit.file_id),
      h("span", { class: "badge" }, `score ${Number(hit.score).toFixed(3)}`),
    ),
    h("pre", { class: "store-result-text" }, text),
  );
}

/** @param {string} storeId */
export function storeSearch(storeId) {
  const query = h("input", { type: "text", autocomplete: "off", enterkeyhint: "search" });
  const button = h("button", { type: "submit" }, "Search");
  const status = h("p", { role: "status", class: "muted" });
  const alert = h("div", { role: "alert" });
  const results = h("ol", { class: "store-results", "aria-label": "Search results" });

  async function search(/** @type {SubmitEvent} */ event) {
    event.preventDefault();
    replace(alert);
    if (!query.value.trim()) {
      status.textContent = "Type something to search for.";
      query.focus();
      return;
    }
    button.disabled = true;
    status.textContent = "Searching…";
    try {
      const page = await request("POST", `/vector_stores/${storeId}/search`, { query: query.value.trim() });
      replace(results, page.data.map(result));
      const count = page.data.length;
      status.textContent = count ? `${count} result${count === 1 ? "" : "s"}.` : "No results.";
    } catch (error) {
      status.textContent = "";
      replace(results);
      const message = messageOf(error);
      replace(alert, h("p", { class: "error" }, `Error: ${message}`));
    } finally {
      button.disabled = false;
    }
  }

  return h(
    "section",
    { class: "store-search", "aria-labelledby": "store-search-title" },
    h("h3", { id: "store-search-title" }, "Search"),
    h("form", { class: "store-search-form", onsubmit: search }, field("Search query", query), button),
    status,
    alert,
    results,
  );
}
