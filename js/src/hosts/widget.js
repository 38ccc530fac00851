// The anywidget entry point: the app hosted by a kernel (JupyterLab, Voila). The model's state is Python's
// (trajectories/app.py): config, lesson, noise for noise_seed, notes, link_base. The page computes and draws by
// itself; it sends the lesson back when a control is released, asks the kernel for exports, and says so when the
// kernel or the server is gone.

import { createApp } from "../ui/app.js";
import { watchConnection } from "./connection.js";
import { standalone } from "./standalone.js";

const EXPORT_TIMEOUT_MS = 120000;

function kernelHost(model) {
  let exports = 0;
  const waiting = new Map();
  const onCustom = (message, buffers) => {
    if (!message || message.type !== "download" || !waiting.has(message.id)) return;
    const { resolve, reject, timer } = waiting.get(message.id);
    waiting.delete(message.id);
    clearTimeout(timer);
    if (message.error) reject(new Error(message.error));
    else resolve({ name: message.name, mime: message.mime, data: buffers?.[0] });
  };
  model.on("msg:custom", onCustom);
  const listen = (name, callback) => {
    const handler = () => callback(model.get(name));
    model.on(`change:${name}`, handler);
    return () => model.off(`change:${name}`, handler);
  };
  return {
    kind: "kernel",
    config: model.get("config"),
    lesson: model.get("lesson"),
    notes: model.get("notes"),
    noise: (seed) => (seed === model.get("noise_seed") ? model.get("noise") : null), // a DataView of float64 pairs
    linkBase: () => model.get("link_base") || "",
    send(lesson) {
      model.set("lesson", lesson);
      model.save_changes();
    },
    onLesson: (callback) => listen("lesson", callback),
    onNotes: (callback) => listen("notes", callback),
    onNoise: (callback) => listen("noise", callback),
    exportFigure(request) {
      exports += 1;
      const id = exports;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error("the server did not answer within two minutes"));
        }, EXPORT_TIMEOUT_MS);
        waiting.set(id, { resolve, reject, timer });
        try {
          model.send({ type: "export", id, ...request });
        } catch {
          waiting.delete(id);
          clearTimeout(timer);
          reject(new Error("the kernel is gone; reload the page"));
        }
      });
    },
    onStatus: (callback) => watchConnection(model, callback),
    destroy() {
      model.off("msg:custom", onCustom);
      for (const { reject, timer } of waiting.values()) {
        clearTimeout(timer);
        reject(new Error("the view was closed"));
      }
    },
  };
}

export default {
  render({ model, el }) {
    const host = kernelHost(model);
    const app = createApp(el, host);
    return () => {
      app.destroy();
      host.destroy();
    };
  },
};

export { standalone };
