// @ts-check
/**
 * Assistants (#/assistants, #/assistants/<id>): the list on the side, the editor on the main
 * side (create, save, delete), and a link to chat with the assistant.
 */
import { ApiError, listAll, messageOf, request } from "../api.js";
import { navigate } from "../app.js";
import { assistantFields } from "../assistant-form.js";
import { h, notice, replace, sideList, uid, when } from "../dom.js";

/** Set when the user moves within this section, so the next render focuses the editor. */
let focusEditor = false;

/** @param {any} assistant */
function label(assistant) {
  return assistant.name || assistant.id;
}

/** @param {string} hash */
function go(hash) {
  focusEditor = true;
  navigate(hash);
}

/** What the editor offers: the server's models, files for code_interpreter, vector stores. */
async function choices() {
  const [models, files, stores] = await Promise.all([
    request("GET", "/models")
      .then((page) => page.data.map((/** @type {any} */ model) => model.id))
      .catch(() => []),
    listAll("/files", { purpose: "assistants" }).catch(() => []),
    listAll("/vector_stores").catch(() => []),
  ]);
  return { models, files, stores };
}

/**
 * The list of assistants, the current one marked.
 * @param {any[]} assistants
 * @param {string | undefined} currentId
 */
function assistantList(assistants, currentId) {
  if (!assistants.length) return h("p", { class: "muted" }, "No assistants yet.");
  return sideList("Assistants", assistants, {
    current: currentId,
    href: (assistant) => `#/assistants/${encodeURIComponent(assistant.id)}`,
    name: label,
    detail: (assistant) => assistant.model,
    onPick: () => {
      focusEditor = true;
    },
  });
}

/**
 * @param {HTMLElement} side
 * @param {any[]} assistants
 * @param {string | undefined} currentId
 */
function renderSide(side, assistants, currentId) {
  replace(
    side,
    h(
      "div",
      { class: "assistant-side-head" },
      h("h2", null, "Assistants"),
      h("button", { type: "button", onclick: () => go("#/assistants") }, "New assistant"),
    ),
    assistantList(assistants, currentId),
  );
}

/**
 * @param {HTMLElement} alert
 * @param {unknown} error
 */
function showFailure(alert, error) {
  const message = messageOf(error);
  replace(alert, h("p", { class: "error" }, `Error: ${message}`));
}

/**
 * The editor of one assistant (or of a new one when `assistant` is null).
 * @param {{assistant: any | null, choices: Awaited<ReturnType<typeof choices>>, onSaved: (saved: any) => void}} options
 */
function editor({ assistant, choices: data, onSaved }) {
  const fields = assistantFields({ assistant, ...data });
  const heading = h("h2", { tabindex: -1, id: uid("editor") }, assistant ? label(assistant) : "New assistant");
  const alert = h("div", { role: "alert", class: "assistant-alert" });
  const submit = h("button", { type: "submit" }, assistant ? "Save changes" : "Create assistant");

  async function save(/** @type {SubmitEvent} */ event) {
    event.preventDefault();
    replace(alert);
    const body = fields.read();
    if (!body) return;
    submit.disabled = true;
    try {
      const saved = await request("POST", assistant ? `/assistants/${assistant.id}` : "/assistants", body);
      if (assistant) {
        heading.textContent = label(saved);
        notice("Assistant saved.");
        onSaved(saved);
      } else {
        notice("Assistant created.");
        go(`#/assistants/${encodeURIComponent(saved.id)}`);
      }
    } catch (error) {
      showFailure(alert, error);
      if (error instanceof ApiError) fields.mark(error.param, error.message);
    } finally {
      submit.disabled = false;
    }
  }

  async function remove() {
    if (!assistant || !confirm(`Delete the assistant "${label(assistant)}"? This cannot be undone.`)) return;
    try {
      await request("DELETE", `/assistants/${assistant.id}`);
      notice("Assistant deleted.");
      go("#/assistants");
    } catch (error) {
      showFailure(alert, error);
    }
  }

  const actions = h(
    "div",
    { class: "actions" },
    submit,
    assistant && h("button", { type: "button", class: "danger", onclick: remove }, "Delete assistant"),
    assistant &&
      h(
        "a",
        { class: "button assistant-chat", href: `#/threads/new/${encodeURIComponent(assistant.id)}` },
        "Chat with this assistant",
      ),
  );
  const meta = assistant
    ? h("p", { class: "muted assistant-meta" }, h("code", null, assistant.id), ` · created ${when(assistant.created_at)}`)
    : null;
  const form = h("form", { novalidate: true, onsubmit: save }, fields.element, alert, actions);
  return { element: h("section", { "aria-labelledby": heading.id }, heading, meta, form), heading };
}

/**
 * @param {HTMLElement} view
 * @param {string[]} params
 */
export async function render(view, params) {
  const [currentId] = params;
  const [assistants, data] = await Promise.all([listAll("/assistants"), choices()]);
  const side = h("aside", { class: "panel assistant-side" });
  const main = h("div", { class: "panel assistant-main" });
  replace(view, h("div", { class: "layout" }, side, main));
  renderSide(side, assistants, currentId);

  let assistant = null;
  if (currentId) {
    assistant = assistants.find((item) => item.id === currentId);
    if (!assistant) {
      try {
        assistant = await request("GET", `/assistants/${encodeURIComponent(currentId)}`);
      } catch (error) {
        replace(main, h("h2", null, "Assistant not found"));
        showFailure(main.appendChild(h("div", { role: "alert" })), error);
        return;
      }
    }
  }
  const onSaved = (/** @type {any} */ saved) => {
    const index = assistants.findIndex((item) => item.id === saved.id);
    if (index >= 0) assistants[index] = saved;
    renderSide(side, assistants, saved.id);
  };
  const { element, heading } = editor({ assistant, choices: data, onSaved });
  replace(main, element);
  if (focusEditor) heading.focus();
  focusEditor = false;
}
