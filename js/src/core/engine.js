// The engine in JavaScript: a port of rules.py + engine.py, both conventions, no DOM.
//
// Every fact comes from Python in `config` (state.config()): the spec table's defaults, the bound past which a
// run has diverged, the most steps, the objectives' facts (objectives.js holds their f and gradient). Arithmetic
// follows the Python expressions operation by operation, so that a run agrees with the Python engine to the last
// bit wherever both sides use correctly rounded operations (+, -, *, /, sqrt); Math.pow, Math.exp, Math.cos and
// Math.sin may differ from glibc and numpy in the last bit. js/test/golden.json, made by make_golden.py, checks it.

import { formatF, pyG } from "./format.js";
import { settingsOf } from "./lesson.js";
import { tableFor } from "./noise.js";
import { checkGeneral, checkName, checkObjective, gradient, objectiveCode, quoted, shown, value } from "./objectives.js";
import { rates } from "./schedules.js";

// The rules this port has a kernel for, each a small integer the kernel switches on.
const RULES = Object.freeze(["gd", "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam"]);

// Options of run() that are not settings of the run.
const RUN_OPTIONS = Object.freeze(["objective", "condition", "angle", "start", "steps", "convention", "seed",
  "window"]);
const SEED_HIGH = 2 ** 32 - 1;

const GD = 0, SGD = 1, MOMENTUM = 2, NESTEROV = 3, ADAGRAD = 4, RMSPROP = 5, ADADELTA = 6, ADAM = 7;
// Slots of the hyperparameter array a kernel reads; a landscape rewrites the slots of its axes per cell.
export const SLOT = Object.freeze({ eta: 0, beta: 1, gamma: 2, rho: 3, beta1: 4, beta2: 5, eps: 6,
  bias_correction: 7, sigma: 8 });

function checkSetting(rule, name, spec, v) {
  let ok, what;
  if (Array.isArray(spec.choices)) {
    ok = spec.choices.includes(v);
    what = `one of ${spec.choices.map((c) => (typeof c === "string" ? `'${c}'` : String(c))).join(", ")}`;
  } else if (spec.kind === "int") {
    ok = Number.isInteger(v) && v >= spec.low && v <= spec.high;
    what = `an integer in the range [${spec.low}, ${spec.high}]`;
  } else if (spec.kind === "ints") {
    ok = Array.isArray(v) && v.length >= 1 && v.every((n, i) => Number.isInteger(n) && n >= spec.low
      && n <= spec.high && (i === 0 || n > v[i - 1]));
    what = "increasing integers";
  } else {
    ok = typeof v === "number" && Number.isFinite(v);
    what = "a finite float";
  }
  if (!ok) throw new Error(`The '${name}' parameter of ${rule} must be ${what}. Got ${shown(v)} instead.`);
  return v;
}

/**
 * Fill defaults and check run()'s options, as specs.resolve() and engine.run() do on the Python side (the ranges
 * are Python's business: the widget state arrives validated). condition and angle are read for "general" only;
 * seed is carried along (the noise it made arrives in `noise`). `extra` names further options the caller reads
 * itself (the landscape's axes), which are then not taken for unknown hyperparameters.
 *
 * @param {string} optimizer
 * @param {object} options
 * @param {object} config state.config(): specs (the defaults), conventions, bound, maxSteps, objectives, general
 * @returns {{rule, convention, objective, condition, angle, start: number[], steps, seed, noise, hyperparameters}}
 *   hyperparameters holds every hyperparameter of the rule under the convention, given or default
 */
export function resolve(optimizer, options, config, extra = []) {
  const rule = checkName(optimizer, "optimizer", RULES.filter((r) => config.rules.includes(r)));
  const convention = checkName(options.convention ?? config.defaultLesson.convention, "convention",
    config.conventions);
  const scheduled = Object.hasOwn(config.specs[convention][rule], "eta");
  const schedule = scheduled && options.schedule !== undefined
    ? checkSetting(rule, "schedule", settingsOf(config, convention, rule).schedule, options.schedule) : "constant";
  const table = settingsOf(config, convention, rule, schedule);
  const hyperparameters = {};
  for (const [name, given] of Object.entries(options)) {
    if (given === undefined || RUN_OPTIONS.includes(name) || extra.includes(name)) continue;
    if (!Object.hasOwn(table, name)) {
      const note = rule === "adadelta" && convention === "d2l" && (name === "eta" || name === "schedule")
        ? " (the book's Adadelta has no learning rate; convention='torch' adds torch's lr)" : "";
      throw new Error(`The '${name}' parameter is not a hyperparameter of ${rule} under the ${convention} `
        + `convention${note}; it takes ${quoted(Object.keys(table))}.`);
    }
  }
  for (const [name, spec] of Object.entries(table)) {
    hyperparameters[name] = checkSetting(rule, name, spec, options[name] === undefined ? spec.default : options[name]);
  }
  if (schedule === "cosine" && !(hyperparameters.warmup < hyperparameters.period)) {
    throw new Error(`The 'warmup' parameter of ${rule}'s cosine schedule must be below its period `
      + `(${hyperparameters.period}). Got ${hyperparameters.warmup} instead.`);
  }
  const base = config.defaultLesson, bound = config.bound;
  const start = options.start ?? base.start;
  const pair = (Array.isArray(start) || ArrayBuffer.isView(start)) && start.length === 2;
  if (!(pair && typeof start[0] === "number" && Math.abs(start[0]) <= bound && typeof start[1] === "number"
      && Math.abs(start[1]) <= bound)) {
    throw new Error(`The 'start' parameter must be a pair of finite floats (x1, x2) with |x1|, |x2| <= `
      + `${pyG(bound)}. Got ${shown(start)} instead.`);
  }
  const steps = options.steps ?? base.steps;
  if (!(Number.isInteger(steps) && steps >= 1 && steps <= config.maxSteps)) {
    throw new Error(`The 'steps' parameter must be an integer in the range [1, ${config.maxSteps}]. `
      + `Got ${shown(steps)} instead.`);
  }
  const seed = options.seed ?? 0;
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= SEED_HIGH)) {
    throw new Error(`The 'seed' parameter must be an integer in the range [0, 2**32). Got ${shown(seed)} instead.`);
  }
  const objective = checkObjective(config, options.objective ?? base.objective); // a name, or a formula
  const condition = options.condition ?? base.condition, angle = options.angle ?? base.angle;
  if (objective === "general") checkGeneral(config, condition, angle);
  return { rule, convention, objective, condition, angle, start: [start[0], start[1]], steps, seed, hyperparameters };
}

/**
 * The stepping kernel behind run() and the landscape: one run's state in typed arrays, advanced in place for
 * steps 1..resolved.steps. Rewrite `hp` (by SLOT) and call resetKernel() before each run; nothing is allocated
 * per step, and what depends only on t (SGD's lr(t), Adam's 1 - beta^t) is tabled once per setting.
 */
export function makeKernel(resolved, config) {
  const { rule, convention, objective, condition, angle, steps, hyperparameters: hyper } = resolved;
  const { code, h } = objectiveCode(config, objective, condition, angle);
  const hp = new Float64Array(9);
  for (const [name, v] of Object.entries(hyper)) {
    if (Object.hasOwn(SLOT, name)) hp[SLOT[name]] = name === "bias_correction" ? Number(v) : v;
  }
  if (rule === "adadelta" && convention === "d2l") hp[SLOT.eta] = 1.0;
  const schedule = hyper.schedule ?? "constant";
  return {
    rule: RULES.indexOf(rule), torch: convention === "torch", code, steps, h, hp, bound: config.bound,
    convention, schedule, params: hyper, // the schedule's parameters are read from the settings by name
    rates: schedule === "constant" ? null : new Float64Array(steps), ratesFor: NaN, // eta_t, for the eta of ratesFor
    seed: resolved.seed, noise: null, noiseFor: NaN, // the seed's draws (when sigma > 0), for the seed of noiseFor
    corrections: rule === "adam" ? new Float64Array(2 * steps) : null, // (1 - beta1^t, 1 - beta2^t) per step
    correctedFor: Float64Array.of(NaN, NaN), // the (beta1, beta2) of the table above
    st: new Float64Array(6), // x1, x2 and two state numbers per coordinate (v, s or s, delta or v, s)
    lr: new Float64Array(2), // the factor in front of g (or v) at the last step, per coordinate
    eta: 0, // the rate of the last step: eta_t
    g: new Float64Array(2),
  };
}

/**
 * Fresh state at (x1, x2). What depends only on t is tabled here, once per setting: Adam's 1 - beta^t, the
 * schedule's eta_t (again when a landscape moved eta), the noise of k.seed (again when a spread moved the seed).
 */
export function resetKernel(k, x1, x2) {
  const c = k.corrections, b1 = k.hp[SLOT.beta1], b2 = k.hp[SLOT.beta2];
  if (c && !(k.correctedFor[0] === b1 && k.correctedFor[1] === b2)) {
    // (1 - beta^t) is 0 only for beta = 1, whose average stays 0: left uncorrected, as rules.py does
    for (let t = 1; t <= k.steps; t++) {
      const c1 = 1 - b1 ** t, c2 = 1 - b2 ** t;
      c[2 * t - 2] = c1 === 0 ? 1.0 : c1;
      c[2 * t - 1] = c2 === 0 ? 1.0 : c2;
    }
    k.correctedFor[0] = b1;
    k.correctedFor[1] = b2;
  }
  if (k.rates && k.ratesFor !== k.hp[SLOT.eta]) {
    rates(k.schedule, k.convention, k.hp[SLOT.eta], k.params, k.steps, k.rates);
    k.ratesFor = k.hp[SLOT.eta];
  }
  if (!(k.hp[SLOT.sigma] > 0)) {
    k.noise = null;
    k.noiseFor = NaN;
  } else if (k.noiseFor !== k.seed) {
    k.noise = tableFor(k.seed, k.steps);
    k.noiseFor = k.seed;
  }
  k.st.fill(0);
  k.st[0] = x1;
  k.st[1] = x2;
}

/**
 * One step t (1-based) of kernel k: the rule's update of rules.py at the gradient it reads.
 * Returns false when the new point has left |x1|, |x2| <= bound or is not finite (the run has diverged).
 */
export function stepKernel(k, t) {
  const st = k.st, hp = k.hp, g = k.g, lr = k.lr;
  let x1 = st[0], x2 = st[1], a1 = st[2], a2 = st[3], b1 = st[4], b2 = st[5];
  const eta = k.rates ? k.rates[t - 1] : hp[0];
  k.eta = eta;
  if (k.rule === NESTEROV && !k.torch) { // the d2l look-ahead point x - eta beta v
    const eb = eta * hp[1];
    gradient(k.code, k.h, x1 - eb * a1, x2 - eb * a2, g);
  } else {
    gradient(k.code, k.h, x1, x2, g);
  }
  let g1 = g[0], g2 = g[1];
  if (k.noise) { // g + sigma xi, as the Python engine adds it
    const sigma = hp[8];
    g1 = g1 + sigma * k.noise[2 * t - 2];
    g2 = g2 + sigma * k.noise[2 * t - 1];
  }
  switch (k.rule) {
    case GD:
    case SGD: // SGD is gradient descent on the noisy gradient: sigma 1 by default
      x1 = x1 - eta * g1; x2 = x2 - eta * g2;
      lr[0] = eta; lr[1] = eta;
      break;
    case MOMENTUM: {
      const beta = hp[1];
      a1 = beta * a1 + g1; a2 = beta * a2 + g2;
      x1 = x1 - eta * a1; x2 = x2 - eta * a2;
      lr[0] = eta; lr[1] = eta;
      break;
    }
    case NESTEROV: {
      const beta = hp[1];
      a1 = beta * a1 + g1; a2 = beta * a2 + g2;
      if (k.torch) {
        x1 = x1 - eta * (g1 + beta * a1); x2 = x2 - eta * (g2 + beta * a2);
      } else {
        x1 = x1 - eta * a1; x2 = x2 - eta * a2;
      }
      lr[0] = eta; lr[1] = eta;
      break;
    }
    case ADAGRAD:
    case RMSPROP: {
      const eps = hp[6];
      if (k.rule === ADAGRAD) {
        a1 = a1 + g1 * g1; a2 = a2 + g2 * g2;
      } else {
        const gamma = hp[2], keep = 1 - gamma;
        a1 = gamma * a1 + keep * (g1 * g1); a2 = gamma * a2 + keep * (g2 * g2);
      }
      const r1 = k.torch ? eta / (Math.sqrt(a1) + eps) : eta / Math.sqrt(a1 + eps);
      const r2 = k.torch ? eta / (Math.sqrt(a2) + eps) : eta / Math.sqrt(a2 + eps);
      x1 = x1 - r1 * g1; x2 = x2 - r2 * g2;
      lr[0] = r1; lr[1] = r2;
      break;
    }
    case ADADELTA: { // a: s = E[g^2], b: delta = E[(delta x)^2]; eta is 1 under d2l
      const rho = hp[3], eps = hp[6], keep = 1 - rho;
      a1 = rho * a1 + keep * (g1 * g1); a2 = rho * a2 + keep * (g2 * g2);
      const r1 = Math.sqrt(b1 + eps) / Math.sqrt(a1 + eps), r2 = Math.sqrt(b2 + eps) / Math.sqrt(a2 + eps);
      const p1 = r1 * g1, p2 = r2 * g2;
      b1 = rho * b1 + keep * (p1 * p1); b2 = rho * b2 + keep * (p2 * p2);
      if (k.torch) {
        x1 = x1 - eta * p1; x2 = x2 - eta * p2;
        lr[0] = eta * r1; lr[1] = eta * r2;
      } else {
        x1 = x1 - p1; x2 = x2 - p2;
        lr[0] = r1; lr[1] = r2;
      }
      break;
    }
    default: { // adam; a: v = E[g], b: s = E[g^2]
      const beta1 = hp[4], beta2 = hp[5], eps = hp[6];
      a1 = beta1 * a1 + (1 - beta1) * g1; a2 = beta1 * a2 + (1 - beta1) * g2;
      b1 = beta2 * b1 + (1 - beta2) * (g1 * g1); b2 = beta2 * b2 + (1 - beta2) * (g2 * g2);
      let v1 = a1, v2 = a2, s1 = b1, s2 = b2;
      if (hp[7]) {
        const c1 = k.corrections[2 * t - 2], c2 = k.corrections[2 * t - 1];
        v1 = a1 / c1; v2 = a2 / c1; s1 = b1 / c2; s2 = b2 / c2;
      }
      const r1 = eta / (Math.sqrt(s1) + eps), r2 = eta / (Math.sqrt(s2) + eps);
      x1 = x1 - r1 * v1; x2 = x2 - r2 * v2;
      lr[0] = r1; lr[1] = r2;
    }
  }
  st[0] = x1; st[1] = x2; st[2] = a1; st[3] = a2; st[4] = b1; st[5] = b2;
  return Math.abs(x1) <= k.bound && Math.abs(x2) <= k.bound;
}

/** The objective's value at (x1, x2) for kernel k (what the losses and the landscape's loss metric read). */
export function kernelValue(k, x1, x2) {
  return value(k.code, k.h, x1, x2);
}

// What the kernel keeps in st[2..5] for each rule, by the names of rules.py's state (a: st[2], st[3]; b: st[4],
// st[5]); js/test/inspector.json checks them against Python's Trajectory.state.
export const STATE_NAMES = Object.freeze({ gd: [], sgd: [], momentum: ["v"], nesterov: ["v"], adagrad: ["s"],
  rmsprop: ["s"], adadelta: ["s", "delta"], adam: ["v", "s"] });

/**
 * engine.run() for one setting: `steps` steps of `optimizer` from `start`, laid out like Python's Trajectory.
 *
 * @param {string} optimizer one of RULES
 * @param {object} options {objective, condition, angle, start, steps, convention, seed, ...settings} with Python's
 *   names (hyperparameters, schedule and its parameters, sigma); missing ones come from the spec tables' defaults
 *   and the default lesson
 * @param {object} config state.config()
 * @returns {{points: number[][], losses: number[], divergedAt: number | null, effectiveLr: number[][],
 *   rates: number[] | null, state: object, gradients: Float64Array, lookahead: Float64Array | null}}
 *   points: steps + 1 pairs [x1, x2], start first, NaN from the step of divergence on; losses: steps + 1 numbers;
 *   divergedAt: the first step whose point left |x| <= config.bound, or null; effectiveLr: `steps` pairs, entry
 *   t - 1 the factor of step t (NaN from divergedAt - 1 on); rates: eta_t of each step, null for a rule without a
 *   learning rate. What the step inspector reads, as Python's Trajectory keeps it, flat (coordinate 1 at 2i,
 *   coordinate 2 at 2i + 1): state, {name: steps + 1 pairs} after each step, zeros first, NaN from divergedAt on;
 *   gradients, the gradient of f each step read (entry t - 1 for step t, before the noise), kept for the step
 *   that diverged; lookahead, where Nesterov (d2l) read it, else null.
 */
export function run(optimizer, options, config) {
  const resolved = resolve(optimizer, options, config);
  const k = makeKernel(resolved, config);
  return trace(k, resolved);
}

function trace(k, resolved) {
  const steps = resolved.steps;
  const xs = new Float64Array(2 * (steps + 1)).fill(NaN);
  const lrs = new Float64Array(2 * steps).fill(NaN);
  const etas = new Float64Array(steps).fill(NaN);
  const names = STATE_NAMES[resolved.rule];
  const kept = names.map(() => new Float64Array(2 * (steps + 1)).fill(NaN));
  const grads = new Float64Array(2 * steps).fill(NaN);
  const look = k.rule === NESTEROV && !k.torch ? new Float64Array(2 * steps).fill(NaN) : null;
  resetKernel(k, resolved.start[0], resolved.start[1]);
  xs[0] = k.st[0];
  xs[1] = k.st[1];
  kept.forEach((a) => a.fill(0, 0, 2));
  let divergedAt = null;
  for (let t = 1; t <= steps; t++) {
    if (look) { // where the kernel reads the gradient, the same operations: x - (eta beta) v
      const eb = (k.rates ? k.rates[t - 1] : k.hp[SLOT.eta]) * k.hp[SLOT.beta]; // eta_t: its schedule's
      look[2 * t - 2] = k.st[0] - eb * k.st[2];
      look[2 * t - 1] = k.st[1] - eb * k.st[3];
    }
    const inside = stepKernel(k, t);
    grads[2 * t - 2] = k.g[0];
    grads[2 * t - 1] = k.g[1];
    if (!inside) {
      divergedAt = t; // from here on NaN: the points before are kept, the rest is not invented
      break;
    }
    xs[2 * t] = k.st[0];
    xs[2 * t + 1] = k.st[1];
    lrs[2 * t - 2] = k.lr[0];
    lrs[2 * t - 1] = k.lr[1];
    etas[t - 1] = k.eta;
    kept.forEach((a, i) => {
      a[2 * t] = k.st[2 + 2 * i];
      a[2 * t + 1] = k.st[3 + 2 * i];
    });
  }
  const points = new Array(steps + 1), losses = new Array(steps + 1), effectiveLr = new Array(steps);
  for (let t = 0; t <= steps; t++) {
    points[t] = [xs[2 * t], xs[2 * t + 1]];
    losses[t] = value(k.code, k.h, xs[2 * t], xs[2 * t + 1]);
  }
  for (let t = 0; t < steps; t++) effectiveLr[t] = [lrs[2 * t], lrs[2 * t + 1]];
  const state = Object.fromEntries(names.map((name, i) => [name, kept[i]]));
  return { points, losses, divergedAt, effectiveLr, seed: resolved.seed,
    rates: Object.hasOwn(resolved.hyperparameters, "eta") ? [...etas] : null, state, gradients: grads,
    lookahead: look };
}

/**
 * A spread: the run over `count` seeds (seed, seed + 1, ... modulo 2^32) in one sweep of one kernel, each seed's
 * draws tabled once (and kept: a slider move draws nothing). Returns every seed's points and losses (flat
 * Float64Arrays: seed i's point at step t at [2 (i (steps + 1) + t)], its loss at [i (steps + 1) + t], NaN from
 * the step of divergence on), the median run (Trajectory.median_run: by final loss, a diverged run counting as
 * infinitely bad, ties by seed order, the lower middle) as run() gives it, and the loss's 10%, 50% and 90% per
 * step (Trajectory.loss_quantiles: nearest rank, a diverged run counting as +inf).
 */
export function runSpread(optimizer, options, count, config) {
  const resolved = resolve(optimizer, options, config);
  const k = makeKernel(resolved, config);
  const steps = resolved.steps, n = steps + 1;
  const xs = new Float64Array(2 * count * n).fill(NaN), losses = new Float64Array(count * n).fill(NaN);
  const final = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    k.seed = (resolved.seed + i) % (SEED_HIGH + 1);
    resetKernel(k, resolved.start[0], resolved.start[1]);
    let at = 2 * i * n;
    xs[at] = k.st[0];
    xs[at + 1] = k.st[1];
    losses[i * n] = value(k.code, k.h, k.st[0], k.st[1]);
    let t = 1;
    for (; t <= steps && stepKernel(k, t); t++) {
      at += 2;
      xs[at] = k.st[0];
      xs[at + 1] = k.st[1];
      losses[i * n + t] = value(k.code, k.h, k.st[0], k.st[1]);
    }
    final[i] = t > steps ? losses[i * n + steps] : Infinity;
    if (Number.isNaN(final[i])) final[i] = Infinity;
  }
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => final[a] - final[b] || a - b);
  const median = order[Math.floor((count - 1) / 2)];
  const quantiles = [0.1, 0.5, 0.9].map(() => new Float64Array(n));
  const column = new Float64Array(count);
  for (let t = 0; t < n; t++) {
    for (let i = 0; i < count; i++) {
      const v = losses[i * n + t];
      column[i] = Number.isNaN(v) ? Infinity : v;
    }
    column.sort();
    quantiles[0][t] = column[Math.floor(0.1 * (count - 1) + 0.5)];
    quantiles[1][t] = column[Math.floor(0.5 * (count - 1) + 0.5)];
    quantiles[2][t] = column[Math.floor(0.9 * (count - 1) + 0.5)];
  }
  const seed = (resolved.seed + median) % (SEED_HIGH + 1);
  k.seed = seed;
  return { xs, losses, count, steps, median, quantiles, run: trace(k, { ...resolved, seed }) };
}

/**
 * Trajectory.book_line(): the line d2l's train_2d prints, `epoch 20, x1: -0.010599, x2: 0.000000`, or for a
 * diverged run `diverged at step 3: |x| passed 1e+06; last finite point at epoch 2, x1: ..., x2: ...`.
 */
export function bookLine(result, bound) {
  const { points, divergedAt } = result;
  if (divergedAt != null) {
    const [x1, x2] = points[divergedAt - 1];
    return `diverged at step ${divergedAt}: |x| passed ${pyG(bound)}; last finite point at epoch ${divergedAt - 1}, `
      + `x1: ${formatF(x1)}, x2: ${formatF(x2)}`;
  }
  const [x1, x2] = points[points.length - 1];
  return `epoch ${points.length - 1}, x1: ${formatF(x1)}, x2: ${formatF(x2)}`;
}
