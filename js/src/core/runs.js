// The runs on screen: engine.run() for each optimizer of a lesson, kept while their settings stay, so a slider
// moved for one optimizer runs that one only. No DOM.
import { bookLine, run } from "./engine.js";
import { noisePairs, runKey, runOptions } from "./lesson.js";

/**
 * @param {object} config state.config()
 * @param {(seed: number) => any} noiseOf SGD's noise for a seed (float64 pairs, as the host holds it), or null
 * @returns {{of(lesson): object, noise(seed): number[][] | null, clear(), lines(lesson, runs): string[][]}}
 */
export function createRuns(config, noiseOf) {
  let cache = new Map();
  const noises = new Map();

  function noise(seed) {
    if (!noises.has(seed)) {
      const table = noiseOf(seed);
      if (!table) return null;
      noises.set(seed, noisePairs(table));
    }
    return noises.get(seed);
  }

  return {
    /** {optimizer: run} for the lesson's optimizers. */
    of(lesson) {
      const out = {}, used = new Map();
      for (const name of lesson.optimizers) {
        const key = runKey(lesson, name);
        let result = cache.get(key);
        if (!result) {
          const table = name === "sgd" ? noise(lesson.seed) : undefined;
          if (name === "sgd" && !table) throw new Error(`SGD's noise for seed ${lesson.seed} is not in this page.`);
          result = run(name, runOptions(lesson, name, table), config);
        }
        used.set(key, result);
        out[name] = result;
      }
      cache = used;
      return out;
    },
    noise,
    /** New noise arrived: every run and table is made again. */
    clear() {
      cache.clear();
      noises.clear();
    },
    /** [optimizer, ": epoch 20, x1: ..., x2: ..."] per optimizer: the readout, in the book's words. */
    lines(lesson, runs) {
      return lesson.optimizers.map((name) => [name, `: ${bookLine(runs[name], config.bound)}`]);
    },
  };
}
