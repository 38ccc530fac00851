// What a formula costs the landscape sweep, against a built-in objective: node bench/formula_cost.mjs [repeats]
//
// Each formula's map (Adam over eta x beta1, 48 x 48 cells, 100 steps from the book's start) is timed right after
// a map of Himmelblau's built-in objective, and the ratio of the two is kept; the median ratio over the repeats is
// printed with the cost formula.Formula.cost gives it, the number the landscape's budget divides by
// (trajectories/formula.py's COST_WEIGHTS were fitted to these ratios). Timing each ratio against a baseline run
// next to it keeps it meaningful on a shared, loaded machine; say the load (uptime) with the figures.
import { performance } from "node:perf_hooks";

import { parseFormula } from "../src/core/formula.js";
import { compute } from "../src/core/landscape.js";
import { CONFIG } from "../testing/golden.js";

const repeats = Number(process.argv[2] ?? 9);
const FORMULAS = ["x1^2 + x2^2", "0.1*x1^2 + 2*x2^2", "(x1^2 + x2 - 11)^2 + (x1 + x2^2 - 7)^2",
  "sin(x1) + cos(x2)*x2 + 0.05*x1^2", "exp(-x1^2 - x2^2) + 0.1*x1^2 + 0.1*x2^2",
  `${Array.from({ length: 6 }, (_, i) => `sin(${i + 1}*x1)*cos(x2/${i + 1})`).join(" + ")} + x1^2`,
  `${Array.from({ length: 12 }, (_, i) => `${i + 1}*(x1 - ${i / 4})^2`).join(" + ")} + x2^4`];
const cells = (low, high, n, log) => Float64Array.from({ length: n },
  (_, i) => (log ? 10 ** (low + (high - low) * i / (n - 1)) : low + (high - low) * i / (n - 1)));
const axes = { x: "eta", xValues: cells(-3, 1, 48, true), y: "beta1", yValues: cells(0, 1, 48, false) };

function time(objective) {
  const t0 = performance.now();
  compute("adam", { objective, steps: 100, metric: "loss", ...axes }, CONFIG);
  return performance.now() - t0;
}

for (const f of ["himmelblau", ...FORMULAS]) time(f); // compiled and warm before anything is timed
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const base = [];
for (const f of FORMULAS) {
  const ratios = [];
  for (let r = 0; r < repeats; r++) {
    const b = time("himmelblau");
    base.push(b);
    ratios.push(time(f) / b);
  }
  const formula = parseFormula(f);
  console.log(`ratio ${median(ratios).toFixed(1).padStart(5)}  cost ${String(formula.cost).padStart(3)}  `
    + `${String(formula.tape.n).padStart(3)} operations  ${f.length > 60 ? `${f.slice(0, 57)}...` : f}`);
}
console.log(`baseline (Himmelblau's built-in, 48 x 48 x 100 Adam): median ${median(base).toFixed(1)} ms over `
  + `${base.length} maps`);
