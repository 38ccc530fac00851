// Time one landscape map in Node: node bench/landscape.mjs [optimizer] [resolution] [steps] [repeats]
// The default is the target case, a 96 x 96 map of 100-step RMSProp runs (eta x gamma, the app's axes); the
// optimizer may be rmsprop, momentum, nesterov or adam (eta against their second default axis).
import { performance } from "node:perf_hooks";

import { axisValues, compute } from "../src/core/landscape.js";

const [optimizer = "rmsprop", n = "96", steps = "100", repeats = "15"] = process.argv.slice(2);
const resolution = Number(n);
const options = {
  objective: "quadratic", steps: Number(steps), metric: "loss",
  x: "eta", xValues: axisValues(1e-5, 100, resolution, "log"),
  y: { rmsprop: "gamma", momentum: "beta", nesterov: "beta", adam: "beta1" }[optimizer],
  yValues: axisValues(0, 1, resolution, "linear"),
};
const times = [];
let first = NaN;
let diverged = 0;
for (let i = 0; i < Number(repeats); i++) {
  const t0 = performance.now();
  const map = compute(optimizer, options);
  times.push(performance.now() - t0);
  first = Number.isNaN(first) ? times[0] : first;
  diverged = map.diverged.reduce((a, b) => a + b, 0);
}
times.sort((a, b) => a - b);
const ms = (v) => `${v.toFixed(1)} ms`;
console.log(`${optimizer} ${resolution}x${resolution}, ${steps} steps: median ${ms(times[times.length >> 1])}, `
  + `min ${ms(times[0])}, max ${ms(times[times.length - 1])} over ${repeats} runs (the first ${ms(first)}); `
  + `${diverged} diverged cells`);
