// @ts-check
/**
 * A run's events folded into its state: the run, its steps and the messages it writes. Full
 * objects (created, in_progress, completed...) replace what is known, except that an
 * in-progress object does not wipe content built from deltas; deltas add to it by index: text
 * values and arguments, code and logs are appended, everything else is set. The payloads are
 * typed by the schemas the server publishes in /openapi.json (types.js), so tsc checks every
 * field read here against them.
 */

/**
 * @typedef {import("./types.js").Run} Run
 * @typedef {import("./types.js").RunStep} RunStep
 * @typedef {import("./types.js").RunStepDelta} RunStepDelta
 * @typedef {import("./types.js").Message} Message
 * @typedef {import("./types.js").MessageDelta} MessageDelta
 * @typedef {import("./types.js").Schemas} Schemas
 * @typedef {NonNullable<MessageDelta["delta"]["content"]>[number]} ContentDelta
 * @typedef {Schemas["RunStepDeltaStepDetailsToolCallsObject"]} ToolCallsDelta
 * @typedef {NonNullable<ToolCallsDelta["tool_calls"]>[number]} ToolCallDelta
 * @typedef {{run: Run | null, steps: Map<string, RunStep>, messages: Map<string, Message>}} RunState
 * @typedef {{kind: "run" | "step" | "message" | "other", id: string}} Change
 */

/** @param {Run | null} [run] @returns {RunState} */
export function runState(run = null) {
  return { run, steps: new Map(), messages: new Map() };
}

/**
 * Apply one event; what it changed.
 * @param {RunState} state
 * @param {{event: string, data: import("./types.js").StreamEvent["data"]}} event
 * @returns {Change}
 */
export function applyEvent(state, { data }) {
  if (typeof data !== "object" || !("object" in data)) return { kind: "other", id: "" };
  switch (data.object) {
    case "thread.message.delta":
      return messageDelta(state, data);
    case "thread.message":
      return messageObject(state, data);
    case "thread.run.step.delta":
      return stepDelta(state, data);
    case "thread.run.step":
      return stepObject(state, data);
    case "thread.run":
      state.run = data;
      return { kind: "run", id: data.id };
    default:
      return { kind: "other", id: "" };
  }
}

/** Whether a run status is final. @param {string | undefined} status */
export function finished(status) {
  return ["completed", "failed", "cancelled", "expired", "incomplete"].includes(status ?? "");
}

/** @param {RunState} state @param {Message} message @returns {Change} */
function messageObject(state, message) {
  const known = state.messages.get(message.id);
  const keep = known && message.status === "in_progress" && !message.content?.length;
  state.messages.set(message.id, keep ? { ...message, content: known.content } : message);
  return { kind: "message", id: message.id };
}

/** @param {RunState} state @param {MessageDelta} delta @returns {Change} */
function messageDelta(state, delta) {
  const message = state.messages.get(delta.id) ?? startedMessage(delta.id, state.run);
  const content = [...message.content];
  for (const part of delta.delta.content ?? []) content[part.index] = mergePart(content[part.index], part);
  state.messages.set(delta.id, { ...message, content });
  return { kind: "message", id: delta.id };
}

/**
 * A message known only from its deltas so far (a stream resumed in its middle).
 * @param {string} id @param {Run | null} run @returns {Message}
 */
function startedMessage(id, run) {
  return {
    id,
    object: "thread.message",
    role: "assistant",
    content: [],
    status: "in_progress",
    thread_id: run?.thread_id ?? "",
    run_id: run?.id ?? null,
    assistant_id: run?.assistant_id ?? null,
    created_at: Math.floor(Date.now() / 1000),
    attachments: [],
    metadata: {},
    completed_at: null,
    incomplete_at: null,
    incomplete_details: null,
  };
}

/**
 * @param {Message["content"][number] | undefined} known
 * @param {ContentDelta} part
 * @returns {Message["content"][number]}
 */
function mergePart(known, part) {
  const { index: _index, ...rest } = part;
  if (part.type === "text") {
    const text = known?.type === "text" ? known.text : undefined;
    return { type: "text", text: mergeText(text, part.text ?? {}) };
  }
  return /** @type {Message["content"][number]} */ ({ ...known, ...rest });
}

/**
 * @typedef {Schemas["MessageContentTextObject"]["text"]} Text
 * @param {Text | undefined} known
 * @param {NonNullable<Schemas["MessageDeltaContentTextObject"]["text"]>} text
 * @returns {Text}
 */
function mergeText(known, text) {
  /** @type {any[]} */
  const annotations = [...(known?.annotations ?? [])];
  for (const annotation of text.annotations ?? []) {
    const { index, ...rest } = annotation;
    annotations[index] = { ...annotations[index], ...rest };
  }
  return { value: (known?.value ?? "") + (text.value ?? ""), annotations };
}

/** @param {RunState} state @param {RunStep} step @returns {Change} */
function stepObject(state, step) {
  const known = state.steps.get(step.id);
  const details = step.step_details;
  const empty = details.type === "tool_calls" && !details.tool_calls.length;
  const keep = known && step.status === "in_progress" && empty;
  state.steps.set(step.id, keep ? { ...step, step_details: known.step_details } : step);
  return { kind: "step", id: step.id };
}

/** @param {RunState} state @param {RunStepDelta} delta @returns {Change} */
function stepDelta(state, delta) {
  const step = state.steps.get(delta.id) ?? startedStep(delta.id, state.run);
  const details = delta.delta.step_details;
  if (details?.type === "tool_calls" && step.step_details.type === "tool_calls") {
    const calls = [...step.step_details.tool_calls];
    for (const call of details.tool_calls ?? []) calls[call.index] = mergeCall(calls[call.index], call);
    state.steps.set(delta.id, { ...step, step_details: { type: "tool_calls", tool_calls: calls } });
  }
  return { kind: "step", id: delta.id };
}

/**
 * A tool calls step known only from its deltas so far.
 * @param {string} id @param {Run | null} run @returns {RunStep}
 */
function startedStep(id, run) {
  return {
    id,
    object: "thread.run.step",
    type: "tool_calls",
    status: "in_progress",
    step_details: { type: "tool_calls", tool_calls: [] },
    run_id: run?.id ?? "",
    thread_id: run?.thread_id ?? "",
    assistant_id: run?.assistant_id ?? "",
    created_at: Math.floor(Date.now() / 1000),
    cancelled_at: null,
    completed_at: null,
    expired_at: null,
    failed_at: null,
    last_error: null,
    usage: null,
    metadata: {},
  };
}

/**
 * @typedef {Extract<RunStep["step_details"], {type: "tool_calls"}>["tool_calls"][number]} ToolCall
 * @param {ToolCall | undefined} known
 * @param {ToolCallDelta} call
 * @returns {ToolCall}
 */
function mergeCall(known, call) {
  /** @type {any} */
  const before = known ?? {};
  const { index: _index, ...rest } = call;
  /** @type {any} */
  const merged = { ...before, ...rest };
  if (call.type === "function" && call.function) {
    const { arguments: more = "", output, ...named } = call.function;
    merged.function = {
      ...before.function,
      ...named,
      arguments: (before.function?.arguments ?? "") + (more ?? ""),
      output: output ?? before.function?.output ?? null,
    };
  }
  if (call.type === "code_interpreter" && call.code_interpreter) {
    merged.code_interpreter = mergeCode(before.code_interpreter, call.code_interpreter);
  }
  if (call.type === "file_search") merged.file_search = { ...before.file_search, ...call.file_search };
  return merged;
}

/**
 * @typedef {Extract<ToolCallDelta, {type: "code_interpreter"}>["code_interpreter"]} CodeDelta
 * @param {any} known
 * @param {NonNullable<CodeDelta>} delta
 */
function mergeCode(known = {}, delta) {
  /** @type {any[]} */
  const outputs = [...(known.outputs ?? [])];
  for (const output of delta.outputs ?? []) {
    const { index, ...rest } = output;
    const before = outputs[index];
    const logs = rest.type === "logs" && before?.type === "logs";
    outputs[index] = logs ? { ...before, logs: before.logs + (rest.logs ?? "") } : { ...before, ...rest };
  }
  return { ...known, input: (known.input ?? "") + (delta.input ?? ""), outputs };
}
