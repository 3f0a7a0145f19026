// @ts-check
/**
 * The form a run in requires_action asks for: per function call, its name and arguments and
 * a textarea "Output for <name>"; "Submit outputs" posts them all (not streaming: the run's
 * event stream, already followed, goes on).
 */
import { request } from "./api.js";
import { field, h } from "./dom.js";

/**
 * @param {any} run a run in requires_action
 * @param {() => void} onSubmitted
 */
export function toolOutputsForm(run, onSubmitted) {
  /** @type {any[]} */
  const calls = run.required_action?.submit_tool_outputs?.tool_calls ?? [];
  const outputs = calls.map((call) => h("textarea", { class: "code", rows: 3, "data-call-id": call.id }));
  const error = h("p", { class: "error", role: "alert" });
  const button = h("button", { type: "submit" }, "Submit outputs");
  const form = h(
    "form",
    { class: "run-tool-outputs panel", "aria-label": "Tool outputs", onsubmit: submit },
    h("h3", null, "The assistant called ", calls.length === 1 ? "a function" : `${calls.length} functions`),
    calls.map((call, i) => callFields(call, outputs[i], calls)),
    h("div", { class: "actions" }, button),
    error,
  );

  /** @param {SubmitEvent} event */
  async function submit(event) {
    event.preventDefault();
    button.disabled = true;
    error.textContent = "";
    const tool_outputs = calls.map((call, i) => ({ tool_call_id: call.id, output: outputs[i].value }));
    try {
      await request("POST", `/threads/${run.thread_id}/runs/${run.id}/submit_tool_outputs`, { tool_outputs });
      onSubmitted();
    } catch (failure) {
      error.textContent = `Could not submit the outputs: ${/** @type {Error} */ (failure).message}`;
      button.disabled = false;
    }
  }
  return form;
}

/** @param {any} call @param {HTMLTextAreaElement} output @param {any[]} calls */
function callFields(call, output, calls) {
  const name = call.function?.name ?? "";
  const twice = calls.filter((other) => other.function?.name === name).length > 1;
  return h(
    "div",
    { class: "run-tool-call" },
    h("p", { class: "run-call-title" }, h("code", null, name), h("span", { class: "muted" }, ` ${call.id}`)),
    h("pre", { "aria-label": `Arguments of ${name}` }, prettyJson(call.function?.arguments ?? "")),
    field(twice ? `Output for ${name} (${call.id})` : `Output for ${name}`, output, "Sent back to the assistant as the function's result."),
  );
}

/** @param {string} text */
function prettyJson(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
