// @ts-check
/**
 * A file input that uploads what is chosen, one file after another, with a progress bar and
 * a status line; each failure is said in an alert. Used by the Files view and by a vector
 * store's "Add files to this store".
 */
import { messageOf, upload } from "./api.js";
import { h, replace } from "./dom.js";

/**
 * @param {{
 *   purpose: () => string,
 *   stored: (file: any) => Promise<string> | string,
 *   finished?: () => Promise<void> | void,
 * }} options `stored` does what follows an upload and says what was done; `finished` runs
 *   once every chosen file was tried
 */
export function fileUploader({ purpose, stored, finished }) {
  const input = h("input", { type: "file", multiple: true });
  const progress = h("progress", { "aria-label": "Upload progress", max: 1, value: 0, hidden: true });
  const status = h("p", { role: "status", class: "muted upload-status" });
  const alert = h("div", { role: "alert" });

  /** @param {File} file */
  async function send(file) {
    progress.value = 0;
    progress.hidden = false;
    status.textContent = `Uploading ${file.name}…`;
    try {
      const made = await upload(file, purpose(), (fraction) => {
        progress.value = fraction;
      });
      status.textContent = await stored(made);
    } catch (error) {
      status.textContent = "";
      const message = messageOf(error);
      alert.append(h("p", { class: "error" }, `Could not upload ${file.name}: ${message}`));
    }
  }

  input.addEventListener("change", async () => {
    replace(alert);
    input.disabled = true;
    for (const file of [...(input.files ?? [])]) await send(file);
    progress.hidden = true;
    input.disabled = false;
    input.value = "";
    await finished?.();
  });
  return { input, progress, status, alert };
}
