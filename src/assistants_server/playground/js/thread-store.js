// @ts-check
/**
 * The threads made or opened in this browser, kept in local storage (the API cannot list
 * threads): newest first, each with the start of its first message as a title and the
 * assistant last used on it.
 */

const STORAGE = "assistants-playground.threads";

/** @typedef {{id: string, created_at: number, title: string, assistant_id?: string}} SavedThread */

/** @returns {SavedThread[]} newest first */
export function savedThreads() {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE) ?? "[]");
    if (!Array.isArray(saved)) return [];
    return saved
      .filter((item) => item && typeof item.id === "string")
      .sort((a, b) => (b.created_at ?? 0) - (a.created_at ?? 0));
  } catch {
    return [];
  }
}

/** @param {SavedThread[]} threads */
function save(threads) {
  localStorage.setItem(STORAGE, JSON.stringify(threads));
}

/**
 * Add a thread (or update what is kept of it).
 * @param {{id: string, created_at?: number}} thread
 * @param {Partial<SavedThread>} [changes]
 */
export function rememberThread(thread, changes = {}) {
  const threads = savedThreads();
  const known = threads.find((item) => item.id === thread.id);
  if (known) Object.assign(known, changes);
  else threads.push({ id: thread.id, created_at: thread.created_at ?? 0, title: "", ...changes });
  save(threads);
}

/** @param {string} id */
export function savedThread(id) {
  return savedThreads().find((item) => item.id === id);
}

/** @param {string} id */
export function forgetThread(id) {
  save(savedThreads().filter((item) => item.id !== id));
}

/** The first line of a message's text, cut to a title's length. @param {string} text */
export function titleOf(text) {
  const line = text.trim().split("\n")[0] ?? "";
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}
