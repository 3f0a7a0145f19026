// @ts-check
/**
 * Client-side checks of the assistant editor's fields: each reader returns the value to send
 * or throws a FieldError naming the control, which `showError` marks (aria-invalid, with the
 * message tied to it by aria-describedby) so no request goes out with a bad field.
 */
import { h } from "./dom.js";

/** @typedef {HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement | HTMLFieldSetElement} Control */

export class FieldError extends Error {
  /**
   * @param {Control} control
   * @param {string} message
   */
  constructor(control, message) {
    super(message);
    this.control = control;
  }
}

/** @param {Control} control */
function errorId(control) {
  return `${control.id}-error`;
}

/**
 * @param {Control} control
 * @param {string} message
 */
export function showError(control, message) {
  clearError(control);
  const box = h("p", { id: errorId(control), class: "assistant-field-error" }, message);
  if (control instanceof HTMLFieldSetElement) control.append(box);
  else control.after(box);
  control.setAttribute("aria-invalid", "true");
  const described = (control.getAttribute("aria-describedby") ?? "").split(" ").filter(Boolean);
  control.setAttribute("aria-describedby", [box.id, ...described].join(" "));
}

/** @param {Control} control */
export function clearError(control) {
  document.getElementById(errorId(control))?.remove();
  control.removeAttribute("aria-invalid");
  const rest = (control.getAttribute("aria-describedby") ?? "")
    .split(" ")
    .filter((token) => token && token !== errorId(control));
  if (rest.length) control.setAttribute("aria-describedby", rest.join(" "));
  else control.removeAttribute("aria-describedby");
}

/** @param {unknown} value */
function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The JSON in a textarea, which must be an object.
 * @param {HTMLTextAreaElement} control
 * @returns {Record<string, any>}
 */
function jsonObject(control) {
  let value;
  try {
    value = JSON.parse(control.value);
  } catch (error) {
    throw new FieldError(control, `Not valid JSON: ${/** @type {Error} */ (error).message}`);
  }
  if (!isObject(value)) throw new FieldError(control, "Must be a JSON object ({ … }).");
  return value;
}

const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * A function tool's definition: {"name", "description"?, "parameters"?, "strict"?}.
 * @param {HTMLTextAreaElement} control
 * @param {Set<string>} taken names of the functions before this one
 */
export function readFunction(control, taken) {
  const value = jsonObject(control);
  if (typeof value.name !== "string" || !FUNCTION_NAME.test(value.name)) {
    throw new FieldError(
      control,
      '"name" is required: up to 64 letters, digits, underscores or dashes.',
    );
  }
  if (taken.has(value.name)) {
    throw new FieldError(control, `Another function is already named "${value.name}".`);
  }
  if ("description" in value && typeof value.description !== "string") {
    throw new FieldError(control, '"description" must be a string.');
  }
  if ("parameters" in value && !isObject(value.parameters)) {
    throw new FieldError(control, '"parameters" must be a JSON Schema object.');
  }
  return value;
}

/**
 * response_format's json_schema: {"name", "schema", "description"?, "strict"?}.
 * @param {HTMLTextAreaElement} control
 */
export function readJsonSchema(control) {
  const value = jsonObject(control);
  if (typeof value.name !== "string" || !FUNCTION_NAME.test(value.name)) {
    throw new FieldError(
      control,
      '"name" is required: up to 64 letters, digits, underscores or dashes.',
    );
  }
  if (!isObject(value.schema)) throw new FieldError(control, '"schema" must be a JSON Schema object.');
  return value;
}

/**
 * Metadata: an object of at most 16 string values (keys ≤ 64, values ≤ 512 characters);
 * empty means none.
 * @param {HTMLTextAreaElement} control
 * @returns {Record<string, string>}
 */
export function readMetadata(control) {
  if (!control.value.trim()) return {};
  const value = jsonObject(control);
  const entries = Object.entries(value);
  if (entries.length > 16) throw new FieldError(control, "At most 16 keys.");
  for (const [key, item] of entries) {
    if (typeof item !== "string") throw new FieldError(control, `The value of "${key}" must be a string.`);
    if (key.length > 64) throw new FieldError(control, `The key "${key.slice(0, 20)}…" is longer than 64 characters.`);
    if (item.length > 512) throw new FieldError(control, `The value of "${key}" is longer than 512 characters.`);
  }
  return value;
}

/**
 * A number in [min, max], or null (the model's default) when empty.
 * @param {HTMLInputElement} control
 * @param {number} min
 * @param {number} max
 */
export function readNumber(control, min, max) {
  const text = control.value.trim();
  if (!text) {
    if (control.validity.badInput) throw new FieldError(control, "Must be a number.");
    return null;
  }
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new FieldError(control, `Must be a number from ${min} to ${max}.`);
  }
  return value;
}
