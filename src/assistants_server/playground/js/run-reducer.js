// @ts-check
/**
 * A run's events folded into its state: the run, its steps and the messages it writes. Full
 * objects (created, in_progress, completed...) replace what is known, except that an
 * in-progress object does not wipe content built from deltas; deltas add to it by index: text
 * values and arguments, code and logs are appended, everything else is set.
 */

/**
 * @typedef {{run: any, steps: Map<string, any>, messages: Map<string, any>}} RunState
 * @typedef {{kind: "run" | "step" | "message" | "other", id: string}} Change
 */

/** @param {any} [run] @returns {RunState} */
export function runState(run = null) {
  return { run, steps: new Map(), messages: new Map() };
}

/**
 * Apply one event; what it changed.
 * @param {RunState} state
 * @param {{event: string, data: any}} event
 * @returns {Change}
 */
export function applyEvent(state, { event, data }) {
  if (event === "thread.message.delta") return messageDelta(state, data);
  if (event.startsWith("thread.message.")) return messageObject(state, data);
  if (event === "thread.run.step.delta") return stepDelta(state, data);
  if (event.startsWith("thread.run.step.")) return stepObject(state, data);
  if (event.startsWith("thread.run.")) {
    state.run = data;
    return { kind: "run", id: data.id };
  }
  return { kind: "other", id: "" };
}

/** Whether a run status is final. @param {string | undefined} status */
export function finished(status) {
  return ["completed", "failed", "cancelled", "expired", "incomplete"].includes(status ?? "");
}

/** @param {RunState} state @param {any} message @returns {Change} */
function messageObject(state, message) {
  const known = state.messages.get(message.id);
  const keep = known && message.status === "in_progress" && !message.content?.length;
  state.messages.set(message.id, keep ? { ...message, content: known.content } : message);
  return { kind: "message", id: message.id };
}

/** @param {RunState} state @param {any} delta @returns {Change} */
function messageDelta(state, delta) {
  const message = state.messages.get(delta.id) ?? { id: delta.id, role: "assistant", content: [], status: "in_progress" };
  const content = [...(message.content ?? [])];
  for (const part of delta.delta?.content ?? []) content[part.index] = mergePart(content[part.index], part);
  state.messages.set(delta.id, { ...message, content });
  return { kind: "message", id: delta.id };
}

/** @param {any} known @param {any} part */
function mergePart(known, part) {
  const { index: _index, ...rest } = part;
  if (!known) return part.type === "text" ? { ...rest, text: mergeText(undefined, part.text) } : rest;
  if (part.type === "text") return { ...known, text: mergeText(known.text, part.text) };
  return { ...known, ...rest };
}

/** @param {any} known @param {any} text */
function mergeText(known, text = {}) {
  const annotations = [...(known?.annotations ?? [])];
  for (const annotation of text.annotations ?? []) {
    const { index, ...rest } = annotation;
    if (typeof index === "number") annotations[index] = { ...annotations[index], ...rest };
    else annotations.push(rest);
  }
  return { value: (known?.value ?? "") + (text.value ?? ""), annotations };
}

/** @param {RunState} state @param {any} step @returns {Change} */
function stepObject(state, step) {
  const known = state.steps.get(step.id);
  const keep = known && step.status === "in_progress" && !step.step_details?.tool_calls?.length;
  state.steps.set(step.id, keep ? { ...step, step_details: known.step_details } : step);
  return { kind: "step", id: step.id };
}

/** @param {RunState} state @param {any} delta @returns {Change} */
function stepDelta(state, delta) {
  const step = state.steps.get(delta.id) ?? { id: delta.id, status: "in_progress", type: "tool_calls", step_details: { type: "tool_calls", tool_calls: [] } };
  const details = delta.delta?.step_details;
  if (details?.type === "tool_calls") {
    const calls = [...(step.step_details?.tool_calls ?? [])];
    for (const call of details.tool_calls ?? []) calls[call.index] = mergeCall(calls[call.index], call);
    state.steps.set(delta.id, { ...step, step_details: { ...step.step_details, type: "tool_calls", tool_calls: calls } });
  } else if (details) {
    state.steps.set(delta.id, { ...step, step_details: { ...step.step_details, ...details } });
  }
  return { kind: "step", id: delta.id };
}

/** @param {any} known @param {any} call */
function mergeCall(known = {}, call) {
  const { index: _index, ...rest } = call;
  const merged = { ...known, ...rest };
  if (call.function) merged.function = mergeFunction(known.function, call.function);
  if (call.code_interpreter) merged.code_interpreter = mergeCode(known.code_interpreter, call.code_interpreter);
  if (call.file_search) merged.file_search = { ...known.file_search, ...call.file_search };
  return merged;
}

/** @param {any} known @param {any} delta */
function mergeFunction(known = {}, delta) {
  return {
    ...known,
    ...delta,
    arguments: (known.arguments ?? "") + (delta.arguments ?? ""),
    output: delta.output ?? known.output ?? null,
  };
}

/** @param {any} known @param {any} delta */
function mergeCode(known = {}, delta) {
  const outputs = [...(known.outputs ?? [])];
  for (const output of delta.outputs ?? []) {
    const { index, ...rest } = output;
    const at = typeof index === "number" ? index : outputs.length;
    const before = outputs[at];
    outputs[at] = rest.type === "logs" && before?.type === "logs" ? { ...before, logs: before.logs + (rest.logs ?? "") } : { ...before, ...rest };
  }
  return { ...known, input: (known.input ?? "") + (delta.input ?? ""), outputs };
}
