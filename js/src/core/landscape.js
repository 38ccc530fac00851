// The hyperparameter landscape in JavaScript: a port of landscape.compute, score, axis_values and _boundary, and
// what the tab decides before it computes (the budget, the key of a map, the default axes). No DOM.
//
// One optimizer over a grid of one or two of its hyperparameters, one number per cell. Every cell is stepped in
// place by the engine's kernel (its state in typed arrays); no trajectory is kept, only what the metric needs.

import { SLOT, kernelValue, makeKernel, resetKernel, resolve, stepKernel } from "./engine.js";
import { roundSignificant } from "./format.js";
import { etaLimit, getObjective } from "./objectives.js";

export const METRICS = Object.freeze(["loss", "distance", "steps"]);
export const FLOOR = 1e-16; // log10 needs a positive number: a loss or distance of exactly 0 is drawn as this
const NUMERIC_ONLY = ["schedule", "bias_correction"];
const LANDSCAPE_OPTIONS = ["x", "xValues", "y", "yValues", "metric", "tol"];

/**
 * landscape.axis_values: `resolution` cell centres from low to high, evenly spaced on the spec's scale, as
 * numpy's geomspace ("log") or linspace ("linear") computes them (10 ** y may differ from numpy's in the last bit).
 *
 * @returns {Float64Array}
 */
export function axisValues(low, high, resolution, scale = "linear") {
  if (!(Number.isInteger(resolution) && resolution >= 1)) {
    throw new Error(`The 'resolution' parameter must be a positive integer. Got ${resolution} instead.`);
  }
  if (!(Number.isFinite(low) && Number.isFinite(high) && low < high) || (scale === "log" && !(low > 0))) {
    throw new Error(`An axis must run from low to high (both positive on a log scale). Got ${low}, ${high} instead.`);
  }
  if (scale === "log") {
    const out = linspace(Math.log10(low), Math.log10(high), resolution);
    for (let i = 0; i < resolution; i++) out[i] = 10 ** out[i];
    out[0] = low; // numpy puts the ends back: 10 ** log10(x) need not be x
    out[resolution - 1] = high;
    return out;
  }
  if (scale !== "linear") {
    throw new Error(`The 'scale' parameter must be one of 'linear', 'log'. Got ${scale} instead.`);
  }
  return linspace(low, high, resolution);
}

function linspace(start, stop, num) {
  const out = new Float64Array(num);
  const div = num - 1, delta = stop - start, step = delta / div;
  for (let i = 0; i < num; i++) out[i] = step === 0 ? (i / div) * delta + start : i * step + start;
  if (num > 1) out[num - 1] = stop;
  return out;
}

/**
 * landscape.compute + score for one optimizer over one axis (a curve) or two (a map), every cell a whole run.
 *
 * @param {string} optimizer
 * @param {object} options run()'s options (objective, condition, angle, start, steps, convention, seed and the
 *   current hyperparameters, which fix every hyperparameter that is not an axis), and:
 *   x: the hyperparameter along x; xValues: its cell values (from axisValues or Python);
 *   y, yValues: the same for the y axis, or omitted for one axis;
 *   metric: "loss" (log10 final loss), "distance" (log10 distance to the nearest minimum) or "steps" (the first
 *   step whose point is within tol of a minimum, the start counting as step 0); tol (default 0.1).
 * @param {object} config state.config(): the spec table, the objectives' minima, the bound (a formula's minima are
 *   found here, from options.start and options.window, as objectives.from_formula finds them)
 * @returns {{values: Float64Array, diverged: Uint8Array, nx: number, ny: number}} row-major (ny, nx): cell (i, j)
 *   of xValues[i], yValues[j] at j * nx + i; ny is 1 for one axis. values is NaN where the run diverged and, for
 *   "steps", where it never came within tol; diverged is 1 where the run left |x| <= bound or became non-finite.
 */
export function compute(optimizer, options, config) {
  const resolved = resolve(optimizer, options, config, LANDSCAPE_OPTIONS);
  const { x, y = null, metric = "loss", tol = 0.1 } = options;
  const numeric = Object.keys(config.specs[resolved.convention][resolved.rule])
    .filter((name) => !NUMERIC_ONLY.includes(name)); // a map's axes are the rule's own hyperparameters
  for (const name of y == null ? [x] : [x, y]) {
    if (!numeric.includes(name)) {
      throw new Error(`The 'axes' parameter of the ${resolved.rule} landscape must name its numeric hyperparameters `
        + `(${numeric.join(", ")}). Got ${name} instead.`);
    }
  }
  if (x === y) {
    throw new Error(`The 'axes' parameter must be one or two different hyperparameter names. Got ${x} twice.`);
  }
  if (!METRICS.includes(metric)) {
    throw new Error(`The 'metric' parameter must be one of 'loss', 'distance', 'steps'. Got ${metric} instead.`);
  }
  if (typeof tol !== "number" || !(Number.isFinite(tol) && tol > 0)) {
    throw new Error(`The 'tol' parameter must be a positive finite float. Got ${tol} instead.`);
  }
  const xs = checkValues(x, options.xValues);
  const ys = y == null ? Float64Array.of(NaN) : checkValues(y, options.yValues);
  const k = makeKernel(resolved, config);
  const minima = getObjective(config, resolved.objective, { condition: resolved.condition, angle: resolved.angle,
    start: resolved.start, window: options.window ?? null }).minima;
  if (!minima.length) {
    throw new Error("The 'objective' parameter of the landscape must have a minimum to measure against. "
      + `Got ${resolved.objective} instead.`);
  }
  const mx = Float64Array.from(minima, (m) => m[0]), my = Float64Array.from(minima, (m) => m[1]);
  const nx = xs.length, ny = ys.length, steps = resolved.steps;
  const [x0, y0] = resolved.start;
  const sx = SLOT[x], sy = y == null ? -1 : SLOT[y];
  const kind = METRICS.indexOf(metric);
  const values = new Float64Array(nx * ny), diverged = new Uint8Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    if (sy >= 0) k.hp[sy] = ys[j];
    for (let i = 0; i < nx; i++) {
      k.hp[sx] = xs[i];
      resetKernel(k, x0, y0);
      let first = kind === 2 && nearest(mx, my, x0, y0) <= tol ? 0 : -1;
      let alive = true;
      for (let t = 1; t <= steps; t++) {
        if (!stepKernel(k, t)) {
          alive = false;
          break;
        }
        if (first < 0 && kind === 2 && nearest(mx, my, k.st[0], k.st[1]) <= tol) first = t;
      }
      const cell = j * nx + i;
      if (!alive) {
        diverged[cell] = 1;
        values[cell] = NaN;
      } else if (kind === 0) {
        values[cell] = Math.log10(Math.max(kernelValue(k, k.st[0], k.st[1]), FLOOR));
      } else if (kind === 1) {
        values[cell] = Math.log10(Math.max(nearest(mx, my, k.st[0], k.st[1]), FLOOR));
      } else {
        values[cell] = first < 0 ? NaN : first;
      }
    }
  }
  return { values, diverged, nx, ny: y == null ? 1 : ny };
}

/**
 * compute() in slices of rows (cells along a curve): whole calls of about `chunk` cell-steps until `sliceMs` has
 * passed, then `await pause(done)` (done: the share computed so far), which resolves to false to drop the map. A
 * row's cost is only known once computed (a diverged run stops early), so a slice is measured, not predicted.
 * The Landscape tab's worker runs it, and the page itself where there is no worker.
 *
 * @returns {Promise<{values, diverged, nx, ny, busy} | null>} busy: ms spent computing, without the pauses;
 *   null when a pause said to stop
 */
export async function computeSliced(optimizer, options, config, { pause, sliceMs = 12, chunk = 50_000 }) {
  const two = options.y != null;
  const xs = Float64Array.from(options.xValues), ys = two ? Float64Array.from(options.yValues) : null;
  const nx = xs.length, ny = two ? ys.length : 1;
  const count = two ? ny : nx;
  const per = Math.max(1, Math.floor(chunk / ((two ? nx : 1) * (options.steps ?? 1))));
  const values = new Float64Array(nx * ny), diverged = new Uint8Array(nx * ny);
  let busy = 0, slice = performance.now();
  for (let at = 0; at < count;) {
    const n = Math.min(per, count - at);
    const t0 = performance.now();
    const part = compute(optimizer, two ? { ...options, xValues: xs, yValues: ys.subarray(at, at + n) }
      : { ...options, xValues: xs.subarray(at, at + n) }, config);
    const t1 = performance.now();
    busy += t1 - t0;
    values.set(part.values, two ? at * nx : at);
    diverged.set(part.diverged, two ? at * nx : at);
    at += n;
    if (at < count && t1 - slice >= sliceMs) {
      if (!(await pause(at / count))) return null;
      slice = performance.now();
    }
  }
  return { values, diverged, nx, ny, busy };
}

/** A picked cell's value to 3 significant digits, inside the spec's [low, high]. */
export function roundPick(value, low, high) {
  return Math.min(Math.max(roundSignificant(value), low), high);
}

function checkValues(name, given) {
  const ok = given != null && typeof given !== "string" && given.length > 0;
  const values = ok ? Float64Array.from(given) : null;
  if (!values || !values.every(Number.isFinite)) {
    throw new Error(`The values of the '${name}' axis must be a non-empty array of finite floats. `
      + `Got ${given} instead.`);
  }
  return values;
}

// The distance from a finite point to the nearest minimum, as numpy's norm: sqrt(dx^2 + dy^2), not hypot.
function nearest(mx, my, x1, x2) {
  let best = Infinity;
  for (let m = 0; m < mx.length; m++) {
    const d1 = x1 - mx[m], d2 = x2 - my[m];
    const d = Math.sqrt(d1 * d1 + d2 * d2);
    if (d < best) best = d;
  }
  return best;
}

/**
 * landscape._boundary: the theoretical stability limit over the map's axes, from etaLimit.
 *
 * @param {string} optimizer
 * @param {number[][] | null} hessian the objective's Hessian, as Python sends it
 * @param {string} x the x axis's hyperparameter
 * @param {string | null} y the y axis's, or null for one axis
 * @param {object} current the current hyperparameters (schedule for sgd; beta for a one-axis eta curve; eta for a
 *   one-axis beta curve)
 * @param {ArrayLike<number>} xValues
 * @param {ArrayLike<number> | null} yValues
 * @returns {number[][] | number | null} two axes: one [x, y] pair per beta value along the curve
 *   eta * lambda_max = c(beta); one axis: the x value of the limit (for beta, interpolated between the two cells
 *   where it crosses the current eta); null where theory has nothing to say (sgd with a decaying schedule, rules
 *   without a limit, objectives that are not positive definite quadratics, no crossing).
 */
export function boundary(optimizer, hessian, x, y, current, xValues, yValues) {
  if (optimizer === "sgd" && current.schedule !== "constant") return null;
  if (etaLimit(optimizer, hessian) === null) return null;
  if (y != null) { // momentum and Nesterov have exactly eta and beta: the curve eta = limit(beta)
    const betas = x === "eta" ? yValues : xValues;
    return Array.from(betas, (b) => {
      const eta = etaLimit(optimizer, hessian, b);
      return x === "eta" ? [eta, b] : [b, eta];
    });
  }
  if (x === "eta") return etaLimit(optimizer, hessian, current.beta ?? 0.0);
  // One axis, beta, eta fixed: where the limit crosses the current eta (monotone in beta), between two cells.
  const gap = Array.from(xValues, (b) => etaLimit(optimizer, hessian, b) - current.eta);
  for (let k = 0; k + 1 < gap.length; k++) {
    if (Math.sign(gap[k]) !== Math.sign(gap[k + 1])) {
      return xValues[k] + (xValues[k + 1] - xValues[k]) * gap[k] / (gap[k] - gap[k + 1]);
    }
  }
  return null;
}

/**
 * landscape.fit_budget, as Python answered it for every steps of the page (config.landscape.maxResolution): the
 * resolution asked for, or the largest whose cost fits the budget. A formula's step costs `cost` built-in ones
 * (formula.Formula.cost): its answer is Python's rule, floor(sqrt(budget // (steps * cost))) cells a side
 * (budget // (steps * cost) for one axis), which js/test/formula.json checks.
 *
 * @returns {{resolution: number, lowered: boolean}}
 */
export function fitResolution(config, requested, steps, axes, cost = 1) {
  if (!(Number.isInteger(steps) && steps >= 1 && steps <= config.pageSteps)) {
    throw new Error(`The 'steps' parameter of a map must be an integer in the range [1, ${config.pageSteps}]. `
      + `Got ${steps} instead.`);
  }
  let most = config.landscape.maxResolution[String(axes)][steps - 1];
  if (cost > 1) {
    const cells = Math.floor(config.landscape.budget / (steps * cost));
    most = axes === 1 ? cells : Math.floor(Math.sqrt(cells));
  }
  return { resolution: Math.min(requested, most), lowered: most < requested };
}

/** The numeric hyperparameters of a spec table, in its order (the ones a map can put on an axis). */
export function numericNames(table) {
  return Object.keys(table).filter((name) => !("choices" in table[name]));
}

/** The default axes of an optimizer that exist under this convention, or its first numeric hyperparameter. */
export function defaultAxes(config, optimizer, convention) {
  const numeric = numericNames(config.specs[convention][optimizer]);
  const axes = (config.landscape.defaultAxes[optimizer] ?? []).filter((a) => numeric.includes(a));
  return axes.length ? axes : [numeric[0]];
}

/**
 * What the map depends on, as a string: the mapped run's settings but the mapped ones (moving those only moves the
 * marker), the objective (condition and angle only for "general"), start, window (a formula's minima depend on
 * it), steps, convention, the run's seed (when it draws noise), and the tab's own settings with the resolution
 * actually used.
 */
export function mapKey(lesson, settings) {
  const { run: index = 0, optimizer, axes, spans = {}, metric, tol, resolution } = settings;
  const run = lesson.runs?.[index];
  const hp = run?.settings ?? {};
  const others = Object.keys(hp).filter((k) => !axes.includes(k)).sort().map((k) => [k, hp[k]]);
  const general = lesson.objective === "general";
  return JSON.stringify([index, optimizer, others, lesson.objective, general ? lesson.condition : null,
    general ? lesson.angle : null, Array.from(lesson.start ?? []), lesson.window ?? null, lesson.steps, lesson.convention,
    (hp.sigma ?? 0) > 0 ? run.seed : null, axes, Object.keys(spans).sort().map((k) => [k, spans[k]]),
    metric, metric === "steps" ? tol : null, resolution]);
}
