// @ts-check
/**
 * The assistant editor's form: every field of an assistant (v2 shapes), filled from an
 * existing assistant or with defaults, and `read()` which checks the fields and gives the
 * request body (or null, with the bad fields marked and the first one focused).
 */
import { functionList } from "./assistant-functions.js";
import {
  clearError,
  FieldError,
  readFunction,
  readJsonSchema,
  readMetadata,
  readNumber,
  showError,
} from "./assistant-validate.js";
import { field, h, uid } from "./dom.js";

const OTHER_MODEL = "__other__";

const SCHEMA_EXAMPLE = {
  name: "answer",
  schema: {
    type: "object",
    properties: { answer: { type: "string" } },
    required: ["answer"],
    additionalProperties: false,
  },
  strict: true,
};

/**
 * @typedef {{assistant: any | null, models: string[], files: any[], stores: any[]}} EditorData
 * @typedef {{element: HTMLElement, read: () => Record<string, any>}} Part
 */

/**
 * A checkbox with its label next to it (and, for a file or store, its id as a description).
 * @param {string} label
 * @param {{checked?: boolean, value?: string, detail?: string}} options
 */
function checkbox(label, { checked = false, value = undefined, detail = undefined }) {
  const input = h("input", { type: "checkbox", id: uid("check"), value, checked });
  const note = detail ? h("small", { id: `${input.id}-detail`, class: "assistant-check-detail" }, detail) : null;
  if (note) input.setAttribute("aria-describedby", note.id);
  const text = h("div", { class: "assistant-check-text" }, h("label", { for: input.id }, label), note);
  const element = h("div", { class: "assistant-check" }, input, text);
  return { input, element };
}

/**
 * The model: a select of the server's models, or "Other…" to type one.
 * @param {string[]} models
 * @param {string} current
 */
function modelField(models, current) {
  const names = current && !models.includes(current) ? [...models, current] : models;
  const select = h(
    "select",
    null,
    names.map((name) => h("option", { value: name }, name)),
    h("option", { value: OTHER_MODEL }, "Other…"),
  );
  select.value = current || names[0] || OTHER_MODEL;
  const typed = h("input", { type: "text", autocomplete: "off", spellcheck: "false" });
  const typedField = field("Custom id", typed, "The id of any model this server routes.");
  const sync = () => {
    typedField.hidden = select.value !== OTHER_MODEL;
  };
  select.addEventListener("change", sync);
  sync();
  /** @type {Part & {select: HTMLSelectElement}} */
  const part = {
    select,
    element: h("div", null, field("Model", select), typedField),
    read: () => {
      if (select.value !== OTHER_MODEL) return { model: select.value };
      if (!typed.value.trim()) throw new FieldError(typed, "Type a model name, or pick one above.");
      return { model: typed.value.trim() };
    },
  };
  return part;
}

/**
 * One checkbox per item, in a fieldset; the ids checked.
 * @param {string} legend
 * @param {{id: string, label: string}[]} items
 * @param {string[]} chosen
 * @param {HTMLElement} empty what to show when there is nothing to choose
 */
function choiceFieldset(legend, items, chosen, empty) {
  const known = new Set(items.map((item) => item.id));
  const all = [...items, ...chosen.filter((id) => !known.has(id)).map((id) => ({ id, label: id }))];
  const boxes = all.map((item) =>
    checkbox(item.label, { value: item.id, checked: chosen.includes(item.id), detail: item.id }),
  );
  const fieldset = h(
    "fieldset",
    { class: "assistant-choices", id: uid("choices"), tabindex: -1 },
    h("legend", null, legend),
    boxes.length ? boxes.map((box) => box.element) : empty,
  );
  const ids = () => boxes.filter((box) => box.input.checked).map((box) => box.input.value);
  return { fieldset, ids };
}

/**
 * The built-in tools, each with the resources it reads.
 * @param {EditorData} data
 */
function builtInTools({ assistant, files, stores }) {
  /** @type {any[]} */
  const tools = assistant?.tools ?? [];
  const resources = assistant?.tool_resources ?? {};
  const has = (/** @type {string} */ type) => tools.some((tool) => tool.type === type);
  const interpreter = checkbox("code_interpreter", { checked: has("code_interpreter") });
  const search = checkbox("file_search", { checked: has("file_search") });
  const fileChoice = choiceFieldset(
    "Files for code_interpreter",
    files.map((file) => ({ id: file.id, label: file.filename })),
    resources.code_interpreter?.file_ids ?? [],
    h("p", { class: "muted" }, "No files with purpose assistants yet. ", h("a", { href: "#/files" }, "Upload files")),
  );
  const storeChoice = choiceFieldset(
    "Vector stores for file_search",
    stores.map((store) => ({ id: store.id, label: store.name || store.id })),
    resources.file_search?.vector_store_ids ?? [],
    h("p", { class: "muted" }, "No vector stores yet. ", h("a", { href: "#/vector-stores" }, "Create one")),
  );
  const searchTool = tools.find((tool) => tool.type === "file_search") ?? { type: "file_search" };
  /** @type {Part} */
  const part = {
    element: h(
      "div",
      null,
      interpreter.element,
      h("div", { class: "assistant-resources" }, fileChoice.fieldset),
      search.element,
      h("div", { class: "assistant-resources" }, storeChoice.fieldset),
    ),
    read: () => {
      const storeIds = storeChoice.ids();
      if (storeIds.length > 1) throw new FieldError(storeChoice.fieldset, "Choose at most one vector store.");
      return {
        tools: [
          ...(interpreter.input.checked ? [{ type: "code_interpreter" }] : []),
          ...(search.input.checked ? [searchTool] : []),
        ],
        tool_resources: {
          code_interpreter: { file_ids: fileChoice.ids() },
          file_search: { vector_store_ids: storeIds },
        },
      };
    },
  };
  return { part, controls: [fileChoice.fieldset, storeChoice.fieldset] };
}

/**
 * Response format: auto, text, json_object or json_schema (with its schema as JSON).
 * @param {any} current the assistant's response_format
 */
function responseFormatField(current) {
  const type = typeof current === "object" && current ? current.type : "auto";
  const select = h(
    "select",
    null,
    ["auto", "text", "json_object", "json_schema"].map((name) => h("option", { value: name }, name)),
  );
  select.value = type;
  const schema = h("textarea", {
    class: "code",
    rows: 10,
    spellcheck: "false",
    value: JSON.stringify(type === "json_schema" ? current.json_schema : SCHEMA_EXAMPLE, null, 2),
  });
  const schemaField = field("JSON schema", schema, 'An object with "name" and "schema" (and "strict", "description").');
  const sync = () => {
    schemaField.hidden = select.value !== "json_schema";
  };
  select.addEventListener("change", sync);
  sync();
  /** @type {Part} */
  const part = {
    element: h("div", null, field("Response format", select), schemaField),
    read: () => {
      if (select.value === "auto") return { response_format: "auto" };
      if (select.value !== "json_schema") return { response_format: { type: select.value } };
      return { response_format: { type: "json_schema", json_schema: readJsonSchema(schema) } };
    },
  };
  return { part, controls: [schema] };
}

/**
 * Temperature and top_p: empty means the model's default.
 * @param {any} assistant
 */
function samplingFields(assistant) {
  const input = (/** @type {number} */ max, /** @type {number | null | undefined} */ value) =>
    h("input", { type: "number", min: 0, max, step: 0.01, inputmode: "decimal", value: value ?? "" });
  const temperature = input(2, assistant?.temperature);
  const topP = input(1, assistant?.top_p);
  /** @type {Part} */
  const part = {
    element: h(
      "div",
      { class: "assistant-row" },
      field("Temperature", temperature, "0 to 2; empty for the default."),
      field("Top P", topP, "0 to 1; empty for the default."),
    ),
    read: () => ({ temperature: readNumber(temperature, 0, 2), top_p: readNumber(topP, 0, 1) }),
  };
  return { part, controls: [temperature, topP] };
}

/**
 * The function tools, read as `{type: "function", function}` entries.
 * @param {any} assistant
 */
function functionTools(assistant) {
  /** @type {any[]} */
  const tools = assistant?.tools ?? [];
  const definitions = tools.filter((tool) => tool.type === "function").map((tool) => tool.function);
  const list = functionList(definitions);
  /** @type {Part} */
  const part = {
    element: h("div", null, h("h4", { class: "assistant-subhead" }, "Functions"), list.element),
    read: () => {
      const names = new Set();
      return {
        functions: list.textareas().map((textarea) => {
          const definition = readFunction(textarea, names);
          names.add(definition.name);
          return { type: "function", function: definition };
        }),
      };
    },
  };
  return { part, list };
}

/**
 * The whole form's fields (no buttons): `element` to show, `read()` for the request body.
 * @param {EditorData} data
 */
export function assistantFields(data) {
  const { assistant } = data;
  const text = (/** @type {string | null | undefined} */ value) =>
    h("input", { type: "text", autocomplete: "off", value: value ?? "" });
  const name = text(assistant?.name);
  const description = text(assistant?.description);
  const instructions = h("textarea", { rows: 6, value: assistant?.instructions ?? "" });
  const metadata = h("textarea", {
    class: "code",
    rows: 3,
    spellcheck: "false",
    placeholder: '{"project": "demo"}',
    value: Object.keys(assistant?.metadata ?? {}).length ? JSON.stringify(assistant.metadata, null, 2) : "",
  });
  const model = modelField(data.models, assistant?.model ?? "");
  const builtIns = builtInTools(data);
  const functions = functionTools(assistant);
  const sampling = samplingFields(assistant);
  const format = responseFormatField(assistant?.response_format ?? "auto");

  const element = h(
    "div",
    null,
    field("Name", name),
    model.element,
    field("Instructions", instructions, "The system instructions the assistant follows."),
    field("Description", description),
    h("fieldset", { class: "assistant-tools" }, h("legend", null, "Tools"), builtIns.part.element, functions.part.element),
    h("fieldset", null, h("legend", null, "Model settings"), sampling.part.element, format.part.element),
    field("Metadata (JSON)", metadata, "An object of up to 16 string values; empty for none."),
  );

  /** Every control that can show an error, to clear them before a new check. */
  const controls = () => [
    ...element.querySelectorAll("input, textarea, select"),
    ...builtIns.controls,
  ];

  /** @returns {Record<string, any> | null} */
  function read() {
    for (const control of controls()) clearError(/** @type {any} */ (control));
    /** @type {FieldError[]} */
    const errors = [];
    /** @param {() => Record<string, any>} reader */
    const attempt = (reader) => {
      try {
        return reader();
      } catch (error) {
        if (!(error instanceof FieldError)) throw error;
        errors.push(error);
        return {};
      }
    };
    const parts = [model, builtIns.part, functions.part, sampling.part, format.part].map((part) => attempt(part.read));
    const meta = attempt(() => ({ metadata: readMetadata(metadata) }));
    for (const error of errors) showError(error.control, error.message);
    if (errors.length) {
      errors[0].control.focus();
      return null;
    }
    const [modelPart, builtInPart, functionPart, samplingPart, formatPart] = parts;
    return {
      name: name.value.trim() || null,
      description: description.value.trim() || null,
      instructions: instructions.value || null,
      ...modelPart,
      tools: [...builtInPart.tools, ...functionPart.functions],
      tool_resources: builtInPart.tool_resources,
      ...samplingPart,
      ...formatPart,
      ...meta,
    };
  }

  /** @type {Record<string, import("./assistant-validate.js").Control>} */
  const targets = {
    name,
    description,
    instructions,
    metadata,
    model: model.select,
    temperature: sampling.controls[0],
    top_p: sampling.controls[1],
    response_format: format.controls[0],
  };

  /**
   * Mark the field an API error names (its `param`, e.g. "metadata.key"), if it is shown.
   * @param {string | null | undefined} param
   * @param {string} message
   */
  function mark(param, message) {
    const control = targets[(param ?? "").split(/[.[]/)[0]];
    if (!control || control.closest("[hidden]")) return;
    showError(control, message);
  }

  return { element, read, mark };
}
