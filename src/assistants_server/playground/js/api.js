// @ts-check
/**
 * The page's only way to the server: the public API under /v1, as any client would use it.
 * The key (when the server asks for one) is kept in this browser's local storage only.
 */

const KEY_STORAGE = "assistants-playground.api-key";
const BASE = "/v1";

export function apiKey() {
  return localStorage.getItem(KEY_STORAGE) ?? "";
}

/** @param {string} key an empty key forgets it */
export function setApiKey(key) {
  if (key) localStorage.setItem(KEY_STORAGE, key);
  else localStorage.removeItem(KEY_STORAGE);
}

/** An answer in OpenAI's error shape: `{"error": {"message", "type", "param", "code"}}`. */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {{message?: string, type?: string, param?: string | null, code?: string | null}} error
   */
  constructor(status, error) {
    super(error.message ?? `HTTP ${status}`);
    this.status = status;
    this.type = error.type;
    this.param = error.param;
    this.code = error.code;
  }
}

/** What went wrong, in words: an API error's message, or any error's. @param {unknown} error */
export function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}

/** @param {Record<string, string>} [extra] */
function headers(extra = {}) {
  /** @type {Record<string, string>} */
  const all = { "OpenAI-Beta": "assistants=v2", ...extra };
  const key = apiKey();
  if (key) all.Authorization = `Bearer ${key}`;
  return all;
}

/** @param {Response} response */
async function failure(response) {
  let error = {};
  try {
    error = (await response.json()).error ?? {};
  } catch {
    // not JSON: the status says enough
  }
  if (response.status === 401) window.dispatchEvent(new CustomEvent("api-key-needed"));
  return new ApiError(response.status, error);
}

/**
 * A JSON request; the parsed answer, or an ApiError.
 * @param {"GET" | "POST" | "DELETE"} method
 * @param {string} path under /v1, e.g. "/assistants"
 * @param {unknown} [body]
 * @returns {Promise<any>}
 */
export async function request(method, path, body) {
  const init = /** @type {RequestInit} */ ({ method, headers: headers() });
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = headers({ "Content-Type": "application/json" });
  }
  const response = await fetch(BASE + path, init);
  if (!response.ok) throw await failure(response);
  return response.json();
}

/**
 * Every item of a list endpoint, page after page (newest first unless `order` says).
 * @param {string} path e.g. "/assistants"
 * @param {Record<string, string>} [params]
 * @returns {Promise<any[]>}
 */
export async function listAll(path, params = {}) {
  const items = [];
  let after = "";
  for (;;) {
    const query = new URLSearchParams({ limit: "100", ...params, ...(after ? { after } : {}) });
    const page = await request("GET", `${path}?${query}`);
    items.push(...page.data);
    if (!page.has_more || !page.data.length) return items;
    after = page.last_id;
  }
}

/**
 * Upload a file (POST /v1/files, multipart), reporting progress from 0 to 1.
 * @param {File} file
 * @param {string} purpose
 * @param {(fraction: number) => void} [onProgress]
 * @returns {Promise<any>} the file object
 */
export function upload(file, purpose, onProgress) {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    form.append("purpose", purpose);
    form.append("file", file);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `${BASE}/files`);
    for (const [name, value] of Object.entries(headers())) xhr.setRequestHeader(name, value);
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable && onProgress) onProgress(event.loaded / event.total);
    });
    xhr.addEventListener("load", () => {
      let body = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else {
        if (xhr.status === 401) window.dispatchEvent(new CustomEvent("api-key-needed"));
        reject(new ApiError(xhr.status, /** @type {any} */ (body).error ?? {}));
      }
    });
    xhr.addEventListener("error", () => reject(new ApiError(0, { message: "Network error" })));
    xhr.send(form);
  });
}

/**
 * A file's bytes as an object URL (for images and downloads): the key goes in a header, so
 * a plain link cannot fetch it.
 * @param {string} fileId
 */
export async function fileUrl(fileId) {
  const response = await fetch(`${BASE}/files/${fileId}/content`, { headers: headers() });
  if (!response.ok) throw await failure(response);
  return URL.createObjectURL(await response.blob());
}

/**
 * @typedef {{id: string, event: string, data: import("./types.js").StreamEvent["data"]}} StreamEvent
 * `data` is the parsed JSON payload (see AssistantStreamEvent in /openapi.json).
 */

/**
 * A run's events from GET /v1/threads/{thread}/runs/{run}/events, as they happen, until the
 * run ends (`done`). A connection that drops is resumed after the last event received
 * (`Last-Event-ID`), so nothing is lost or repeated. `after` starts after that event id.
 * @param {string} threadId
 * @param {string} runId
 * @param {{after?: string, signal?: AbortSignal, onReconnect?: () => void}} [options] `onReconnect` is called when
 *   the connection is lost, before it is tried again
 * @returns {AsyncGenerator<StreamEvent>}
 */
export async function* runEvents(threadId, runId, options = {}) {
  let last = options.after ?? "";
  const path = `${BASE}/threads/${threadId}/runs/${runId}/events`;
  for (let attempt = 0; ; attempt += 1) {
    /** @type {Response} */
    let response;
    try {
      /** @type {Record<string, string>} */
      const extra = last ? { "Last-Event-ID": last } : {};
      response = await fetch(path, { headers: headers(extra), signal: options.signal });
    } catch (error) {
      if (options.signal?.aborted || attempt >= 20) throw error;
      options.onReconnect?.();
      await pause(Math.min(250 * 2 ** attempt, 4000));
      continue;
    }
    if (!response.ok || !response.body) throw await failure(response);
    try {
      for await (const event of parse(response.body)) {
        if (event.event === "done") return;
        if (event.event === "error") throw new ApiError(500, JSON.parse(event.data));
        if (event.id) last = event.id;
        attempt = 0;
        yield { id: event.id, event: event.event, data: JSON.parse(event.data) };
      }
    } catch (error) {
      if (options.signal?.aborted || error instanceof ApiError) throw error;
    }
    // the connection ended before `done`: pick the stream up where it stopped
    options.onReconnect?.();
    await pause(Math.min(250 * 2 ** attempt, 4000));
  }
}

/** @param {number} ms */
function pause(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Server-sent events from a byte stream: {id, event, data} per blank-line-ended block.
 * @param {ReadableStream<Uint8Array>} body
 */
async function* parse(body) {
  const decoder = /** @type {TransformStream<Uint8Array, string>} */ (new TextDecoderStream());
  const reader = body.pipeThrough(decoder).getReader();
  let buffer = "";
  let current = { id: "", event: "message", data: "" };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let newline;
    while ((newline = buffer.search(/\r\n|\n|\r/)) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith("\r\n", newline) ? 2 : 1));
      if (line === "") {
        if (current.data) yield current;
        current = { id: "", event: "message", data: "" };
        continue;
      }
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const name = colon < 0 ? line : line.slice(0, colon);
      const text = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (name === "data") current.data = current.data ? `${current.data}\n${text}` : text;
      else if (name === "event") current.event = text;
      else if (name === "id") current.id = text;
    }
  }
}
