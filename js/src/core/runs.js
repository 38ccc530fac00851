// The runs on screen: engine.run() for each run of a lesson (runSpread for a run over many seeds), kept while
// their settings stay, so a slider moved for one run runs that one only. No DOM.
import { bookLine, run, runSpread } from "./engine.js";
import { keys, labels, runKey, runOptions } from "./lesson.js";

/**
 * @param {object} config state.config()
 * @returns {{of(lesson): object[], lines(lesson, results): string[][]}}
 */
export function createRuns(config) {
  let cache = new Map();

  return {
    /**
     * One result per run of the lesson, in order: {key, label, run, spread}. run is engine.run()'s result (a
     * spread's median run); spread is null, or runSpread()'s result (every seed, the loss's 10/50/90%).
     */
    of(lesson) {
      const used = new Map(), names = labels(config, lesson), ids = keys(lesson);
      const out = lesson.runs.map((r, i) => {
        const key = runKey(lesson, i);
        let result = cache.get(key) ?? used.get(key);
        if (!result) {
          const options = runOptions(lesson, i);
          if (r.spread > 1 && r.settings.sigma > 0) { // without noise every seed runs the same path
            const spread = runSpread(r.optimizer, options, r.spread, config);
            result = { run: spread.run, spread };
          } else {
            result = { run: run(r.optimizer, options, config), spread: null };
          }
        }
        used.set(key, result);
        return { key: ids[i], label: names[i], ...result };
      });
      cache = used;
      return out;
    },
    /**
     * [label, ": epoch 20, x1: ..., x2: ..."] per run: the readout in the book's words (Lesson.readout); `median`
     * says a spread's "median of 50 seeds (seed 0)" (in the page's language).
     */
    lines(lesson, results, median = ({ count, seed }) => `median of ${count} seeds (seed ${seed})`) {
      return results.map((r) => {
        const line = bookLine(r.run, config.bound);
        if (!r.spread) return [r.label, `: ${line}`];
        return [r.label, `: ${median({ count: r.spread.count, seed: r.run.seed })}: ${line}`];
      });
    },
  };
}
