// The Landscape tab's scheduling: one map at a time, the latest asked for. Maps are computed in a Web Worker
// (hosts/landscape_worker.js, built on its own and embedded in the bundle as the text LANDSCAPE_WORKER, started
// from a blob: URL), so the page's main thread stays free for the keys and the frames while a large map computes.
// Where a worker cannot start (no Worker, a Content-Security-Policy without worker-src blob:, Node), the same
// sliced computation runs in the page, giving the page back between slices.
/* global LANDSCAPE_WORKER */
import { computeSliced } from "../core/landscape.js";

const SOURCE = typeof LANDSCAPE_WORKER === "string" ? LANDSCAPE_WORKER : null;

// A new task, as soon as the page has answered what waits (a MessageChannel message: setTimeout(0) is clamped to
// 4 ms once nested, and scheduler.yield() resumes ahead of the page's own timers and kernel messages).
let channel = null;
const waiting = [];
function nextTask() {
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
  }
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}

function startWorker(config) {
  if (!SOURCE || typeof Worker === "undefined") return null;
  const url = URL.createObjectURL(new Blob([SOURCE], { type: "text/javascript" }));
  try {
    const worker = new Worker(url);
    worker.postMessage({ config });
    return { worker, url };
  } catch {
    URL.revokeObjectURL(url);
    return null;
  }
}

/**
 * @param {object} config state.config(), sent to the worker once
 * @param {{onProgress?: (done: number) => void}} [options] done: the share of the map computed so far
 * @returns {{run(optimizer, options): Promise<object | null>, cancel(), usesWorker: boolean, destroy()}} run
 *   resolves to computeSliced's result, or to null when a newer map was asked for first (or cancel() came); it
 *   rejects with the map's error
 */
export function createJobs(config, { onProgress = () => {} } = {}) {
  let started = startWorker(config);
  let id = 0;
  let pending = null; // {id, resolve, reject, optimizer, options} of the map under way

  const settle = (job, how, value) => {
    if (pending === job) pending = null;
    job[how](value);
  };
  if (started) {
    started.worker.onmessage = ({ data }) => {
      if (!pending || data.id !== pending.id) return;
      if (data.progress !== undefined) onProgress(data.progress);
      else if (data.error !== undefined) settle(pending, "reject", new Error(data.error));
      else settle(pending, "resolve", data.result);
    };
    // The worker did not start after all (its script refused): the page computes, from the map under way.
    started.worker.onerror = (event) => {
      event.preventDefault?.();
      stopWorker();
      if (pending) inPage(pending);
    };
  }

  function stopWorker() {
    if (!started) return;
    started.worker.terminate();
    URL.revokeObjectURL(started.url);
    started = null;
  }

  function inPage(job) {
    let told = performance.now();
    computeSliced(job.optimizer, job.options, config, { pause: async (done) => {
      if (performance.now() - told > 100) {
        told = performance.now();
        onProgress(done);
      }
      await nextTask();
      return pending === job;
    } }).then((result) => {
      if (result && pending === job) settle(job, "resolve", result);
    }, (error) => {
      if (pending === job) settle(job, "reject", error);
    });
  }

  return {
    run(optimizer, options) {
      if (pending) settle(pending, "resolve", null); // dropped: a newer map was asked for
      id += 1;
      return new Promise((resolve, reject) => {
        pending = { id, resolve, reject, optimizer, options };
        if (started) started.worker.postMessage({ id, optimizer, options });
        else inPage(pending);
      });
    },
    cancel() {
      if (!pending) return;
      settle(pending, "resolve", null);
      id += 1;
      started?.worker.postMessage({ id, cancel: true });
    },
    get usesWorker() { return started !== null; },
    destroy() {
      if (pending) settle(pending, "resolve", null);
      stopWorker();
    },
  };
}
