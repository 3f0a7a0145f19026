// @ts-check
/**
 * One step of a run as an entry of the "Run steps" timeline: its type, status, duration and
 * token usage, and for tool calls what each call did (function name, arguments and output;
 * code_interpreter's code, logs and images; file_search's query and the chunks it found).
 */
import { h, replace } from "./dom.js";
import { fileImage, fileNameText } from "./thread-files.js";

/** @param {any} step */
export function stepEntry(step) {
  const entry = h("li", { class: "run-step", "data-step-id": step.id });
  updateStep(entry, step);
  return entry;
}

/** @param {HTMLElement} entry @param {any} step */
export function updateStep(entry, step) {
  const kind = step.type === "tool_calls" ? "Tool calls" : "Message creation";
  replace(
    entry,
    h(
      "div",
      { class: "run-step-head" },
      h("span", { class: "run-step-type" }, kind),
      " ",
      h("span", { class: `badge ${step.status}` }, step.status),
      " ",
      h("span", { class: "muted" }, duration(step)),
    ),
    usageLine(step.usage),
    step.last_error ? h("p", { class: "error" }, step.last_error.message) : null,
    ...(step.step_details?.tool_calls ?? []).map(toolCall),
  );
}

/** How long a step or run took (or has taken so far). @param {any} item */
export function duration(item) {
  const start = item.started_at ?? item.created_at;
  const end = item.completed_at ?? item.failed_at ?? item.cancelled_at ?? item.expired_at;
  if (!start) return "";
  if (!end) return `running ${seconds(Date.now() / 1000 - start)}`;
  return `took ${seconds(end - start)}`;
}

/** @param {number} value */
function seconds(value) {
  if (value < 1) return "under 1 s";
  if (value < 90) return `${Math.round(value)} s`;
  return `${Math.floor(value / 60)} min ${Math.round(value % 60)} s`;
}

/** "Tokens: 3 prompt · 2 completion · 5 total", or nothing. @param {any} usage */
export function usageLine(usage) {
  if (!usage) return null;
  return h(
    "p",
    { class: "run-usage muted" },
    `Tokens: ${usage.prompt_tokens ?? 0} prompt · ${usage.completion_tokens ?? 0} completion · ${usage.total_tokens ?? 0} total`,
  );
}

/** @param {any} call */
function toolCall(call) {
  if (!call) return null;
  if (call.type === "function") return functionCall(call.function ?? {});
  if (call.type === "code_interpreter") return codeCall(call.code_interpreter ?? {});
  if (call.type === "file_search") return searchCall(call.file_search ?? {});
  return h("p", { class: "muted" }, `${call.type} call`);
}

/** @param {any} fn */
function functionCall(fn) {
  return h(
    "div",
    { class: "run-call" },
    h("p", { class: "run-call-title" }, "Function ", h("code", null, fn.name ?? "")),
    h("pre", { "aria-label": "Arguments" }, fn.arguments || " "),
    fn.output !== null && fn.output !== undefined ? h("pre", { "aria-label": "Function output" }, fn.output) : null,
  );
}

/** @param {any} code */
function codeCall(code) {
  /** @type {any[]} */
  const outputs = code.outputs ?? [];
  const logs = outputs.filter((output) => output?.type === "logs").map((output) => output.logs).join("");
  return h(
    "div",
    { class: "run-call" },
    h("p", { class: "run-call-title" }, "code_interpreter"),
    h("pre", { "aria-label": "Code", class: "run-code" }, code.input || " "),
    logs ? h("pre", { "aria-label": "Output", class: "run-logs" }, logs) : null,
    outputs.filter((output) => output?.type === "image").map((output) => fileImage(output.image.file_id)),
  );
}

/** @param {any} search */
function searchCall(search) {
  const results = search.results ?? [];
  return h(
    "div",
    { class: "run-call" },
    h("p", { class: "run-call-title" }, "file_search", search.query ? [": ", h("q", null, search.query)] : null),
    search.results ? h("p", { class: "muted" }, `${results.length} result${results.length === 1 ? "" : "s"}`) : null,
    results.length ? h("ol", { class: "run-search-results" }, results.map(searchResult)) : null,
  );
}

/** @param {any} result */
function searchResult(result) {
  const text = (result.content ?? []).map((/** @type {any} */ part) => part.text ?? "").join("\n");
  return h(
    "li",
    null,
    h("span", { class: "run-result-file" }, result.file_name || fileNameText(result.file_id)),
    " ",
    h("span", { class: "muted" }, `score ${Number(result.score ?? 0).toFixed(3)}`),
    text ? h("pre", { class: "run-result-text" }, text) : null,
  );
}
