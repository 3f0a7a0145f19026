// @ts-check
/**
 * The composer under the conversation: "Message", "Attach files" and "Send" (Ctrl/Cmd+Enter
 * sends too). It hands the text and files to `onSend` and clears itself when that succeeds;
 * `busy(true)` while a run is active, since a thread takes no message then.
 */
import { field, h } from "./dom.js";

/**
 * @param {(text: string, files: File[]) => Promise<boolean>} onSend resolves whether it was sent
 */
export function composer(onSend) {
  const text = h("textarea", { rows: 3, placeholder: "Ask the assistant something…" });
  const files = h("input", { type: "file", multiple: true });
  const send = h("button", { type: "submit" }, "Send");
  const state = h("p", { class: "muted thread-composer-state", "aria-live": "polite" });
  let running = false;
  let sending = false;

  const form = h(
    "form",
    { class: "thread-composer", onsubmit: submit },
    field("Message", text, "Ctrl+Enter (⌘+Enter) sends."),
    field("Attach files", files, "Uploaded, then attached for file_search and code_interpreter."),
    h("div", { class: "actions" }, send, state),
  );
  text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  function refresh() {
    send.disabled = running || sending;
    state.textContent = sending ? "Sending…" : running ? "The assistant is working; send again when the run ends." : "";
  }

  /** @param {SubmitEvent} event */
  async function submit(event) {
    event.preventDefault();
    if (send.disabled) return;
    sending = true;
    refresh();
    try {
      if (await onSend(text.value, [...(files.files ?? [])])) {
        text.value = "";
        files.value = "";
      }
    } finally {
      sending = false;
      refresh();
    }
  }

  return {
    element: form,
    /** @param {boolean} on */
    busy(on) {
      running = on;
      refresh();
    },
    focus() {
      text.focus();
    },
  };
}
