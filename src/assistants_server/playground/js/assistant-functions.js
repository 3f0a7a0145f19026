// @ts-check
/**
 * The assistant editor's function tools: one fieldset per function ("Function 1", …) holding
 * its definition as JSON, an "Add function" button (pre-filled with an example) and a
 * "Remove function" button in each.
 */
import { field, h } from "./dom.js";

/** @param {number} n */
function example(n) {
  const suffix = n > 1 ? `_${n}` : "";
  return {
    name: `get_weather${suffix}`,
    description: "Get the current weather in a city.",
    parameters: {
      type: "object",
      properties: { city: { type: "string", description: "The city, e.g. Paris" } },
      required: ["city"],
    },
  };
}

/**
 * The definition with its keys in the order people read them: name, description, parameters.
 * @param {Record<string, any>} definition
 */
function ordered({ name, description, parameters, ...rest }) {
  return { name, description, parameters, ...rest };
}

/** @param {HTMLElement} list */
function renumber(list) {
  list.querySelectorAll(":scope > fieldset > legend").forEach((legend, index) => {
    legend.textContent = `Function ${index + 1}`;
  });
}

/**
 * @param {Record<string, any>[]} definitions the assistant's functions (their `function` objects)
 * @returns {{element: HTMLElement, textareas: () => HTMLTextAreaElement[]}}
 */
export function functionList(definitions) {
  const list = h("div", { class: "assistant-functions" });
  const addButton = h("button", { type: "button", class: "secondary" }, "Add function");

  /** @param {Record<string, any>} definition */
  function add(definition) {
    const textarea = h("textarea", {
      class: "code",
      rows: 10,
      spellcheck: "false",
      value: JSON.stringify(ordered(definition), null, 2),
    });
    const remove = h("button", { type: "button", class: "danger" }, "Remove function");
    const fieldset = h(
      "fieldset",
      { class: "assistant-function" },
      h("legend", null, ""),
      field("Function definition (JSON)", textarea, 'An object with "name", "description" and "parameters" (a JSON Schema).'),
      remove,
    );
    remove.addEventListener("click", () => {
      fieldset.remove();
      renumber(list);
      addButton.focus();
    });
    list.append(fieldset);
    renumber(list);
    return textarea;
  }

  for (const definition of definitions) add(definition);
  addButton.addEventListener("click", () => add(example(list.children.length + 1)).focus());
  return {
    element: h("div", null, list, addButton),
    textareas: () => [...list.querySelectorAll("textarea")],
  };
}
