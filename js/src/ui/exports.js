// Export: the figure on screen as a file. Where a kernel hosts the app it renders the book-style file with
// matplotlib (the model's custom message {type: "export", id, kind, ...}, answered by {type: "download", id, name,
// mime} and the file as a buffer, or {type: "download", id, error}); a page with no kernel (the model's exporter
// is "page"), or whose kernel is gone, saves the figures as drawn, through the one SVG writer.
import { uid } from "../core/ids.js";
import { download } from "./dom.js";

const EXPORT_TIMEOUT_MS = 120000;

/**
 * @param {object} model anywidget's model interface (get, send, on, off)
 * @param {Function} t the page's words (core/i18n.js translator)
 * @returns {{local: boolean, ask(request): Promise<{name, data, mime, alt}>, save(file), offline(), destroy()}}
 *   local: no kernel renders here; ask sends a request to the kernel; offline: the kernel is gone, from now on
 *   local (a request still waiting is refused at once, so no Export waits for an answer that cannot come)
 */
export function createExports(model, t) {
  const waiting = new Map();
  const onCustom = (message, buffers) => {
    if (!message || message.type !== "download" || !waiting.has(message.id)) return;
    const { resolve, reject, timer } = waiting.get(message.id);
    waiting.delete(message.id);
    clearTimeout(timer);
    if (message.error) reject(new Error(t.note(message.error))); // text, or a message said in the page's language
    else resolve({ name: message.name, mime: message.mime, alt: message.alt, data: buffers?.[0] });
  };
  model.on("msg:custom", onCustom);

  const refuse = (reason) => {
    for (const { reject, timer } of waiting.values()) {
      clearTimeout(timer);
      reject(new Error(reason));
    }
    waiting.clear();
  };
  let local = model.get("exporter") === "page";

  return {
    get local() {
      return local;
    },
    ask(request) {
      const id = uid("export"); // unique among the views of one model, which all hear every answer
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(t("export.timeout")));
        }, EXPORT_TIMEOUT_MS);
        waiting.set(id, { resolve, reject, timer });
        try {
          model.send({ type: "export", id, ...request });
        } catch {
          waiting.delete(id);
          clearTimeout(timer);
          reject(new Error(t("export.kernel_gone")));
        }
      });
    },
    save({ name, data, mime }) {
      download(name, data, mime);
    },
    offline() {
      local = true;
      refuse(t("export.kernel_stopped"));
    },
    destroy() {
      model.off("msg:custom", onCustom);
      refuse(t("export.closed"));
    },
  };
}
