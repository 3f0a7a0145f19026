// @ts-check
/**
 * The "Run" region beside the conversation: "Run status: <status>" (announced), the run's
 * model, duration, usage and error, "Cancel run" while it can be cancelled, "Reconnecting…"
 * while the stream resumes, and the "Run steps" timeline, one entry per step.
 */
import { request } from "./api.js";
import { h, notice, replace } from "./dom.js";
import { finished } from "./run-reducer.js";
import { duration, stepEntry, updateStep, usageLine } from "./run-step-view.js";

const CANCELLABLE = ["queued", "in_progress", "requires_action"];

export class RunPanel {
  constructor() {
    this.status = h("p", { role: "status", class: "run-status" }, "Run status: none yet");
    this.details = h("div", { class: "run-details" });
    this.cancel = h("button", { type: "button", class: "danger", hidden: true, onclick: () => this.cancelRun() }, "Cancel run");
    this.reconnect = h("p", { class: "run-reconnecting muted", "aria-live": "polite" });
    this.steps = h("ol", { class: "run-steps", "aria-label": "Run steps" });
    this.element = h(
      "section",
      { class: "run-panel panel", "aria-label": "Run" },
      h("h3", null, "Run"),
      this.status,
      this.reconnect,
      h("div", { class: "actions" }, this.cancel),
      this.details,
      h("h4", { class: "run-steps-title" }, "Steps"),
      this.steps,
    );
    /** @type {any} */
    this.run = null;
    /** @type {Map<string, HTMLElement>} */
    this.entries = new Map();
    this.ticker = 0;
  }

  /** Start showing another run: its steps start empty. @param {any} run */
  reset(run) {
    this.entries.clear();
    this.steps.replaceChildren();
    this.setRun(run);
  }

  /** @param {any} run */
  setRun(run) {
    this.run = run;
    const text = `Run status: ${run?.status ?? "none yet"}`;
    if (this.status.textContent !== text) this.status.textContent = text;
    this.cancel.hidden = !CANCELLABLE.includes(run?.status);
    if (run?.status !== "cancelling") this.cancel.disabled = false;
    replace(this.details, run ? runDetails(run) : null);
    this.tick(Boolean(run) && !finished(run.status));
  }

  /** @param {any} step */
  setStep(step) {
    const known = this.entries.get(step.id);
    if (known) return updateStep(known, step);
    const entry = stepEntry(step);
    this.entries.set(step.id, entry);
    this.steps.append(entry);
  }

  /** @param {boolean} on */
  reconnecting(on) {
    const text = on ? "Reconnecting…" : "";
    if (this.reconnect.textContent !== text) this.reconnect.textContent = text;
  }

  async cancelRun() {
    if (!this.run) return;
    this.cancel.disabled = true;
    try {
      const run = await request("POST", `/threads/${this.run.thread_id}/runs/${this.run.id}/cancel`);
      if (!finished(this.run.status)) this.setRun(run);
    } catch (error) {
      notice(`Could not cancel the run: ${/** @type {Error} */ (error).message}`, "error");
      this.cancel.disabled = false;
    }
  }

  /** While the run is going, its running time is redrawn every second. @param {boolean} on */
  tick(on) {
    if (on && !this.ticker) this.ticker = window.setInterval(() => this.redrawTimes(), 1000);
    if (!on && this.ticker) {
      window.clearInterval(this.ticker);
      this.ticker = 0;
    }
  }

  redrawTimes() {
    if (!this.element.isConnected) return this.tick(false);
    const time = this.details.querySelector(".run-duration");
    if (time && this.run) time.textContent = duration(this.run);
  }
}

/** @param {any} run */
function runDetails(run) {
  return [
    h(
      "p",
      { class: "run-meta muted" },
      h("code", null, run.id),
      run.model ? ` · ${run.model}` : "",
      " · ",
      h("span", { class: "run-duration" }, duration(run)),
    ),
    usageLine(run.usage),
    run.last_error ? h("p", { class: "error" }, `${run.last_error.code ?? "error"}: ${run.last_error.message}`) : null,
    run.incomplete_details ? h("p", { class: "muted" }, `Incomplete: ${run.incomplete_details.reason}`) : null,
  ];
}
