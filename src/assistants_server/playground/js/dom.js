// @ts-check
/** Small DOM helpers: the page builds its elements with `h`, never from HTML strings. */

/**
 * An element with attributes (on* are listeners; `class`, `for`, aria-* and data-* as
 * attributes; booleans set or left out) and children (strings become text).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, any> | null} [attrs]
 * @param {...(Node | string | number | null | undefined | false | (Node | string | null | undefined | false)[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === "value" && "value" in element) {
      /** @type {any} */ (element).value = value;
    } else if (name === "checked" && "checked" in element) {
      /** @type {any} */ (element).checked = Boolean(value);
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(element, children);
  return element;
}

/**
 * @param {Element} parent
 * @param {any[]} children
 */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : String(child));
  }
}

/**
 * Replace what `parent` holds.
 * @param {Element} parent
 * @param {...any} children
 */
export function replace(parent, ...children) {
  parent.replaceChildren();
  append(parent, children);
}

/** A unique id for label/control pairs. */
let counter = 0;
/** @param {string} prefix */
export function uid(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}

/**
 * A labelled form field: the label, the control and an optional hint, tied together.
 * @param {string} label
 * @param {HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement} control
 * @param {string} [hint]
 */
export function field(label, control, hint) {
  if (!control.id) control.id = uid("field");
  const hintElement = hint ? h("small", { id: `${control.id}-hint`, class: "hint" }, hint) : null;
  if (hintElement) control.setAttribute("aria-describedby", hintElement.id);
  return h("div", { class: "field" }, h("label", { for: control.id }, label), control, hintElement);
}

/** @param {number} seconds unix time */
export function when(seconds) {
  return seconds ? new Date(seconds * 1000).toLocaleString() : "";
}

/** @param {number} bytes */
export function size(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Tell the user something (read out by screen readers).
 * @param {string} text
 * @param {"info" | "error"} [kind]
 */
export function notice(text, kind = "info") {
  const region = document.getElementById("notices");
  if (!region) return;
  const item = h("p", { class: `notice ${kind}` }, text);
  region.append(item);
  setTimeout(() => item.remove(), kind === "error" ? 10000 : 4000);
}

/**
 * The side list of a section (assistants, vector stores): a <nav> named `label` of links, each
 * named by its item's name and described by a detail line (`[data-detail-of=<id>]`, which
 * can be rewritten later), the current one marked.
 * @template {{id: string}} T
 * @param {string} label
 * @param {T[]} items
 * @param {{
 *   current?: string,
 *   href: (item: T) => string,
 *   name: (item: T) => string,
 *   detail: (item: T) => string,
 *   onPick?: () => void,
 * }} options
 */
export function sideList(label, items, { current, href, name, detail, onPick }) {
  const entry = (/** @type {T} */ item) => {
    const line = h("small", { id: uid("detail"), class: "side-detail", "aria-hidden": "true", "data-detail-of": item.id }, detail(item));
    const link = h(
      "a",
      { href: href(item), "aria-current": item.id === current ? "true" : null, "aria-describedby": line.id, onclick: onPick },
      h("span", { class: "side-name" }, name(item)),
      line,
    );
    return h("li", null, link);
  };
  return h("nav", { "aria-label": label }, h("ul", { class: "list" }, items.map(entry)));
}
