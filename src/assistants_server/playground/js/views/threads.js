// @ts-check
import { h } from "../dom.js";

/**
 * @param {HTMLElement} view
 * @param {string[]} params
 */
export function render(view, params) {
  view.append(h("h2", null, "threads"), h("p", null, "To be built.", params.join("/")));
}
