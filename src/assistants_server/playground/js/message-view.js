// @ts-check
/**
 * One message of a thread: a header (who, when) and an <article> ("user message" /
 * "assistant message") holding only what the message says: its text with whitespace kept
 * (never parsed as HTML), citations and file links in place of their annotated text, images,
 * and the files attached to it.
 */
import { h, replace, when } from "./dom.js";
import { downloadLink, fileImage, fileNameText } from "./thread-files.js";

/** The message's entry in the conversation (header and article). @param {any} message */
export function messageEntry(message) {
  const role = message.role === "user" ? "user" : "assistant";
  const entry = h(
    "div",
    { class: `thread-message thread-message-${role}`, "data-message-id": message.id },
    messageHeader(message, role),
    h("article", { class: "thread-message-body", "aria-label": `${role} message` }),
    h("p", { class: "thread-message-note muted" }),
  );
  updateMessage(entry, message);
  return entry;
}

/**
 * Redraw an entry's article from the message's current state (used as deltas arrive).
 * @param {HTMLElement} entry
 * @param {any} message
 */
export function updateMessage(entry, message) {
  const article = /** @type {HTMLElement} */ (entry.querySelector("article"));
  const writing = message.status === "in_progress";
  entry.classList.toggle("thread-writing", writing);
  if (writing) article.setAttribute("aria-busy", "true");
  else article.removeAttribute("aria-busy");
  replace(
    article,
    ...(message.content ?? []).map(contentPart),
    attachments(message.attachments ?? []),
  );
  /** @type {HTMLElement} */ (entry.querySelector(".thread-message-note")).textContent = incomplete(message);
}

/** @param {any} message @param {string} role */
function messageHeader(message, role) {
  return h(
    "header",
    { class: "thread-message-header" },
    h("span", { class: "thread-message-role" }, role === "user" ? "User" : "Assistant"),
    message.created_at ? h("time", { class: "muted", datetime: new Date(message.created_at * 1000).toISOString() }, when(message.created_at)) : null,
  );
}

/** @param {any} part */
function contentPart(part) {
  if (!part) return null;
  if (part.type === "text") return textPart(part.text ?? {});
  if (part.type === "image_file") return h("div", { class: "thread-message-image" }, fileImage(part.image_file?.file_id ?? ""));
  if (part.type === "image_url") {
    return h("div", { class: "thread-message-image" }, h("img", { src: part.image_url?.url, alt: "Image from a link", class: "thread-image" }));
  }
  if (part.type === "refusal") return h("p", { class: "error" }, `Refused: ${part.refusal ?? ""}`);
  return h("p", { class: "muted" }, `[${part.type} content]`);
}

/**
 * Text with each annotation's range replaced by its link: "[n] <filename>" for a citation,
 * "Download <filename>" for a file the run's code wrote.
 * @param {{value?: string, annotations?: any[]}} text
 */
function textPart({ value = "", annotations = [] }) {
  const block = h("div", { class: "thread-message-text" });
  const cited = citationNumbers(annotations);
  let at = 0;
  for (const annotation of ordered(annotations, value.length)) {
    const [start, end] = linkRange(value, annotation);
    if (start < at) continue;
    block.append(value.slice(at, start));
    block.append(annotationElement(annotation, cited));
    at = end;
  }
  block.append(value.slice(at));
  return block;
}

/** Annotations with a valid, non-overlapping range, in text order. @param {any[]} annotations @param {number} length */
function ordered(annotations, length) {
  const sorted = annotations
    .filter((a) => a && Number.isInteger(a.start_index) && Number.isInteger(a.end_index) && a.end_index <= length)
    .sort((a, b) => a.start_index - b.start_index);
  let end = 0;
  return sorted.filter((annotation) => {
    if (annotation.start_index < end) return false;
    end = annotation.end_index;
    return true;
  });
}

/**
 * The range an annotation takes: a file link written as markdown, `[name](sandbox:...)`, is
 * replaced whole by its download link.
 * @param {string} value
 * @param {any} annotation
 * @returns {[number, number]}
 */
function linkRange(value, { type, start_index: start, end_index: end }) {
  if (type !== "file_path" || value[end] !== ")") return [start, end];
  const open = value.lastIndexOf("[", start);
  if (open < 0 || !/^\[[^\]\n]*\]\($/.test(value.slice(open, start))) return [start, end];
  return [open, end + 1];
}

/** A number per cited file, in order of first citation. @param {any[]} annotations */
function citationNumbers(annotations) {
  /** @type {Map<string, number>} */
  const numbers = new Map();
  for (const annotation of annotations) {
    const fileId = annotation?.file_citation?.file_id;
    if (fileId && !numbers.has(fileId)) numbers.set(fileId, numbers.size + 1);
  }
  return numbers;
}

/** @param {any} annotation @param {Map<string, number>} cited */
function annotationElement(annotation, cited) {
  if (annotation.type === "file_citation") {
    const fileId = annotation.file_citation.file_id;
    const link = downloadLink(fileId, (name) => `[${cited.get(fileId)}] ${name}`);
    link.classList.add("thread-citation");
    if (annotation.file_citation.quote) link.title = annotation.file_citation.quote;
    return link;
  }
  if (annotation.type === "file_path") return downloadLink(annotation.file_path.file_id, (name) => `Download ${name.split("/").pop()}`);
  return annotation.text ?? "";
}

/** @param {any[]} list */
function attachments(list) {
  if (!list.length) return null;
  return h(
    "div",
    { class: "thread-attachments" },
    h("span", { class: "muted" }, "Attached: "),
    h(
      "ul",
      { class: "thread-attachment-list" },
      list.map((item) => h("li", null, fileNameText(item.file_id), h("span", { class: "muted" }, ` (${toolNames(item.tools)})`))),
    ),
  );
}

/** @param {any[] | undefined} tools */
function toolNames(tools) {
  return (tools ?? []).map((tool) => tool.type).join(", ") || "no tools";
}

/** Why the message stopped short, if it did. @param {any} message */
function incomplete(message) {
  if (message.status !== "incomplete") return "";
  return `Incomplete: ${message.incomplete_details?.reason ?? "stopped"}`;
}
