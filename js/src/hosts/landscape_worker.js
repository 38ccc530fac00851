// The Landscape tab's worker: maps are computed here, off the page's main thread, so a key on a slider answers
// within a frame while a large map computes. build.mjs bundles this file on its own and embeds it in the page's
// bundle as text (LANDSCAPE_WORKER); ui/landscape_jobs.js starts it from a blob: URL.
//
// Messages in: {config} once, then {id, optimizer, options} per map; a newer id (or {id, cancel: true}) drops the
// map under way at its next slice. Messages out: {id, progress} now and then, {id, result} (its arrays
// transferred) or {id, error}.
import { computeSliced } from "../core/landscape.js";

const PROGRESS_MS = 100;
// The worker computes a slice, then rests: on a machine of few cores, busy with other work (a classroom's laptop,
// a shared server), a worker that never rests delays the page's own threads, which draw the answer to a key
// (bench_landscape.py --browser: 37% of keys within a frame at load 12 on 2 cores; 80% with the rest). The rest is
// also when a newer map's message is read.
const SLICE_MS = 16, REST_MS = 4;
let config = null;
let latest = 0;
const rest = () => new Promise((resolve) => setTimeout(resolve, REST_MS));

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
    const result = await computeSliced(optimizer, options, config, { sliceMs: SLICE_MS, pause: async (done) => {
      if (performance.now() - told > PROGRESS_MS) {
        told = performance.now();
        self.postMessage({ id, progress: done });
      }
      await rest();
      return latest === id;
    } });
    if (result) self.postMessage({ id, result }, [result.values.buffer, result.diverged.buffer]);
  } catch (error) {
    self.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};
