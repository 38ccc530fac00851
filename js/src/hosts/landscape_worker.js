// The Landscape tab's worker: maps are computed here, off the page's main thread, so a key on a slider answers
// within a frame while a large map computes. build.mjs bundles this file on its own and embeds it in the page's
// bundle as text (LANDSCAPE_WORKER); ui/landscape_jobs.js starts it from a blob: URL.
//
// Messages in: {config} once, then {id, optimizer, options} per map; a newer id (or {id, cancel: true}) drops the
// map under way at its next slice. Messages out: {id, progress} now and then, {id, result} (its arrays transferred) or {id, error}.
import { computeSliced } from "../core/landscape.js";

const PROGRESS_MS = 100;
let config = null;
let latest = 0;

// A task boundary, so that a message waiting (a newer map) is read between two slices.
const channel = new MessageChannel();
const waiting = [];
channel.port1.onmessage = () => waiting.shift()?.();
const nextTask = () => new Promise((resolve) => {
  waiting.push(resolve);
  channel.port2.postMessage(null);
});

self.onmessage = async ({ data }) => {
  if (data.config) {
    config = data.config;
    return;
  }
  const { id, optimizer, options } = data;
  latest = id;
  if (data.cancel) return;
  let told = performance.now();
  try {
    const result = await computeSliced(optimizer, options, config, { sliceMs: 16, pause: async (done) => {
      if (performance.now() - told > PROGRESS_MS) {
        told = performance.now();
        self.postMessage({ id, progress: done });
      }
      await nextTask();
      return latest === id;
    } });
    if (result) self.postMessage({ id, result }, [result.values.buffer, result.diverged.buffer]);
  } catch (error) {
    self.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};
