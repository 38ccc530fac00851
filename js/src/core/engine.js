// The engine in JavaScript: a port of rules.py + objectives.py + engine.py, both conventions, no DOM.
//
// The spec table (ranges, scales, defaults) lives in Python and arrives as widget state; the only copy of the
// defaults here is DEFAULTS, which the tests check against the Python table through js/test/golden.json.
// Arithmetic follows the Python expressions operation by operation, so that a run agrees with the Python
// engine to the last bit wherever both sides use correctly rounded operations (+, -, *, /, sqrt); Math.pow,
// Math.exp, Math.cos and Math.sin may differ from glibc and numpy in the last bit.

export const RULES = Object.freeze(["gd", "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam"]);
export const CONVENTIONS = Object.freeze(["d2l", "torch"]);
export const SCHEDULES = Object.freeze(["constant", "exponential", "polynomial"]);
export const OBJECTIVES = Object.freeze(["quadratic", "bowl", "rotated", "general", "rosenbrock", "himmelblau",
  "saddle"]);
export const BOUND = 1e6; // a run whose |x1| or |x2| passes this has diverged
const BOUND_TEXT = BOUND.toExponential().replace(/e([+-])(\d)$/, "e$10$2"); // Python's f"{BOUND:g}": 1e+06
export const MAX_STEPS = 100000;

function frozen(table) {
  for (const value of Object.values(table)) {
    if (value && typeof value === "object") frozen(value);
  }
  return Object.freeze(table);
}

// The defaults of trajectories.specs.SPECS, keyed [convention][rule][name]; a test compares them with Python's.
export const DEFAULTS = frozen({
  d2l: {
    gd: { eta: 0.4 },
    sgd: { eta: 0.1, schedule: "constant" },
    momentum: { eta: 0.6, beta: 0.5 },
    nesterov: { eta: 0.3, beta: 0.5 },
    adagrad: { eta: 0.4, eps: 1e-6 },
    rmsprop: { eta: 0.4, gamma: 0.9, eps: 1e-6 },
    adadelta: { rho: 0.9, eps: 1e-5 },
    adam: { eta: 0.4, beta1: 0.9, beta2: 0.999, eps: 1e-6, bias_correction: true },
  },
  torch: {
    gd: { eta: 0.4 },
    sgd: { eta: 0.1, schedule: "constant" },
    momentum: { eta: 0.6, beta: 0.5 },
    nesterov: { eta: 0.3, beta: 0.5 },
    adagrad: { eta: 0.01, eps: 1e-10 },
    rmsprop: { eta: 0.01, gamma: 0.99, eps: 1e-8 },
    adadelta: { eta: 1.0, rho: 0.9, eps: 1e-6 },
    adam: { eta: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, bias_correction: true },
  },
});

// Options of run() that are not hyperparameters.
export const RUN_OPTIONS = Object.freeze(["objective", "condition", "angle", "start", "steps", "convention", "seed",
  "noise"]);

const quoted = (names) => names.map((n) => `'${n}'`).join(", ");
const shown = (value) => (typeof value === "string" ? `'${value}'` : String(value));

function checkName(value, parameter, allowed) {
  if (typeof value === "string" && allowed.includes(value)) return value;
  throw new Error(`The '${parameter}' parameter must be one of ${quoted(allowed)}. Got ${shown(value)} instead.`);
}

// --- objectives -------------------------------------------------------------------------------------------------

const QUADRATIC = 0, BOWL = 1, ROTATED = 2, GENERAL = 3, ROSENBROCK = 4, HIMMELBLAU = 5, SADDLE = 6;

// Exact a*b + c rounded once, as the fused multiply-add of the BLAS kernel behind numpy's matmul: JavaScript has
// no Math.fma, so the sum is formed exactly on BigInt mantissas. Used a few times per objective, never per step.
function decompose(x) { // finite x === m * 2 ** e with BigInt m
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0), lo = view.getUint32(4);
  let e = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (e === 0) e = 1; else m |= 1n << 52n;
  return [hi >>> 31 ? -m : m, e - 1075];
}

function fma(a, b, c) {
  const [ma, ea] = decompose(a), [mb, eb] = decompose(b), [mc, ec] = decompose(c);
  const ep = ea + eb, e = Math.min(ep, ec);
  let m = ma * mb * (1n << BigInt(ep - e)) + mc * (1n << BigInt(ec - e));
  if (m === 0n) return a * b + c; // the sign of an exact zero, as IEEE gives it
  const negative = m < 0n;
  if (negative) m = -m;
  let shift = m.toString(2).length - 53;
  if (shift > 0) {
    const q = m >> BigInt(shift), r = m - (q << BigInt(shift)), half = 1n << BigInt(shift - 1);
    m = r > half || (r === half && (q & 1n)) ? q + 1n : q;
  } else {
    shift = 0;
  }
  const value = Number(m) * 2 ** (e + shift); // exact: m has at most 54 bits and the Hessians are normal numbers
  return negative ? -value : value;
}

function checkGeneral(condition, angle) {
  if (typeof condition !== "number" || !(condition >= 1 && condition <= 1000)) {
    throw new Error("The 'condition' parameter of general must be a float in the range [1, 1000]. "
      + `Got ${shown(condition)} instead.`);
  }
  if (typeof angle !== "number" || !(angle >= -180 && angle <= 180)) {
    throw new Error("The 'angle' parameter of general must be a float in the range [-180, 180]. "
      + `Got ${shown(angle)} instead.`);
  }
}

// objectives.general(): H = R diag(0.2, 0.2 condition) R^T with R the rotation by angle degrees, multiplied as
// numpy does it, (R @ D) @ R.T, each entry a two-term dot product accumulated with one fused multiply-add.
function generalHessian(condition, angle) {
  checkGeneral(condition, angle);
  const l1 = 0.2, l2 = 0.2 * condition;
  const r = angle * (Math.PI / 180); // math.radians
  const c = Math.cos(r), s = Math.sin(r);
  const a00 = c * l1, a01 = -s * l2, a10 = s * l1, a11 = c * l2;
  return [[fma(a01, -s, a00 * c), fma(a01, c, a00 * s)], [fma(a11, -s, a10 * c), fma(a11, c, a10 * s)]];
}

const BOOK_VIEW = [[-5.5, 1.0], [-3.0, 1.0]]; // d2l's show_trace_2d grid: arange(-5.5, 1, .1) x arange(-3, 1, .1)

function objectiveInfo(name, condition, angle) {
  switch (checkName(name, "objective", OBJECTIVES)) {
    case "quadratic":
      return { code: QUADRATIC, xlim: BOOK_VIEW[0], ylim: BOOK_VIEW[1], minima: [[0, 0]],
        hessian: [[0.2, 0], [0, 4]], levels: "auto", saddles: [] };
    case "bowl":
      return { code: BOWL, xlim: BOOK_VIEW[0], ylim: BOOK_VIEW[1], minima: [[0, 0]],
        hessian: [[2, 0], [0, 4]], levels: "auto", saddles: [] };
    case "rotated":
      return { code: ROTATED, xlim: [-5.5, 1.5], ylim: [-3.0, 1.5], minima: [[0, 0]],
        hessian: [[4.2, -3.8], [-3.8, 4.2]], levels: "auto", saddles: [] };
    case "general":
      return { code: GENERAL, xlim: [-5.5, 5.5], ylim: [-3.5, 3.5], minima: [[0, 0]],
        hessian: generalHessian(condition, angle), levels: "auto", saddles: [] };
    case "rosenbrock":
      return { code: ROSENBROCK, xlim: [-5.5, 2.0], ylim: [-3.0, 3.0], minima: [[1, 1]], hessian: null,
        levels: "log", saddles: [] };
    case "himmelblau":
      return { code: HIMMELBLAU, xlim: [-6.0, 6.0], ylim: [-6.0, 6.0],
        minima: [[3.0, 2.0], [-2.805118, 3.131312], [-3.779310, -3.283186], [3.584428, -1.848126]],
        hessian: null, levels: "log", saddles: [] };
    default: // saddle
      return { code: SADDLE, xlim: [-5.5, 5.5], ylim: [-3.5, 3.5], minima: [], hessian: [[2, 0], [0, -2]],
        levels: "auto", saddles: [[0, 0]] };
  }
}

// Each f and gradient follows objectives.py expression by expression (x ** 2 is x * x).
function value(code, h, x1, x2) {
  switch (code) {
    case QUADRATIC: return 0.1 * (x1 * x1) + 2 * (x2 * x2);
    case BOWL: return x1 * x1 + 2 * (x2 * x2);
    case ROTATED: {
      const a = x1 + x2, b = x1 - x2;
      return 0.1 * (a * a) + 2 * (b * b);
    }
    case GENERAL: return 0.5 * (h[0] * (x1 * x1) + 2 * h[1] * x1 * x2 + h[2] * (x2 * x2));
    case ROSENBROCK: {
      const a = 1 - x1, b = x2 - x1 * x1;
      return a * a + 100 * (b * b);
    }
    case HIMMELBLAU: {
      const a = x1 * x1 + x2 - 11, b = x1 + x2 * x2 - 7;
      return a * a + b * b;
    }
    default: return x1 * x1 - x2 * x2;
  }
}

function gradient(code, h, x1, x2, g) {
  switch (code) {
    case QUADRATIC: g[0] = 0.2 * x1; g[1] = 4 * x2; return;
    case BOWL: g[0] = 2 * x1; g[1] = 4 * x2; return;
    case ROTATED: {
      const a = 0.2 * (x1 + x2), b = 4 * (x1 - x2);
      g[0] = a + b; g[1] = a - b; return;
    }
    case GENERAL: g[0] = h[0] * x1 + h[1] * x2; g[1] = h[1] * x1 + h[2] * x2; return;
    case ROSENBROCK: {
      const r = x2 - x1 * x1;
      g[0] = -2 * (1 - x1) - 400 * x1 * r; g[1] = 200 * r; return;
    }
    case HIMMELBLAU: {
      const a = x1 * x1 + x2 - 11, b = x1 + x2 * x2 - 7;
      g[0] = 4 * x1 * a + 2 * b; g[1] = 2 * a + 4 * x2 * b; return;
    }
    default: g[0] = 2 * x1; g[1] = -2 * x2;
  }
}

/**
 * An objective by name: its data and its functions, as objectives.OBJECTIVES / objectives.general() hold them.
 *
 * @param {string} name one of OBJECTIVES
 * @param {{condition?: number, angle?: number}} [params] for "general" only (defaults 20 and 0)
 * @returns {{name, f: (x1, x2) => number, grad: (x1, x2) => [number, number], hessian: number[][] | null,
 *   minima: number[][], saddles: number[][], xlim: number[], ylim: number[], levels: "auto" | "log"}}
 */
export function getObjective(name, { condition = 20, angle = 0 } = {}) {
  const info = objectiveInfo(name, condition, angle);
  const h = coefficients(info);
  const g = new Float64Array(2);
  return frozen({
    name, hessian: info.hessian, minima: info.minima, saddles: info.saddles, xlim: info.xlim, ylim: info.ylim,
    levels: info.levels,
    f: (x1, x2) => value(info.code, h, x1, x2),
    grad: (x1, x2) => { gradient(info.code, h, x1, x2, g); return [g[0], g[1]]; },
  });
}

/** f(x1, x2) of the named objective (the contour generator's function). */
export function objectiveF(name, params) {
  return getObjective(name, params).f;
}

/** (x1, x2) => [g1, g2] of the named objective. */
export function objectiveGrad(name, params) {
  return getObjective(name, params).grad;
}

// general()'s f and gradient read h11, h12 (the upper triangle) and h22.
function coefficients(info) {
  const h = info.hessian;
  return info.code === GENERAL ? Float64Array.of(h[0][0], h[0][1], h[1][1]) : new Float64Array(3);
}

/**
 * rules.eta_limit: the largest stable eta of gd, sgd (in expectation), momentum or nesterov on a convex quadratic.
 *
 * @param {string} rule
 * @param {number[][] | null} hessian the objective's constant Hessian as a 2x2 array (null: not a quadratic)
 * @param {number} [beta=0] the momentum, in [0, 1]
 * @returns {number | null} null for other rules and for Hessians that are missing or not positive definite
 */
export function etaLimit(rule, hessian, beta = 0) {
  checkName(rule, "optimizer", RULES);
  if (typeof beta !== "number" || !(beta >= 0 && beta <= 1)) {
    throw new Error(`The 'beta' parameter of ${rule} must be a float in the range [0, 1]. Got ${shown(beta)} instead.`);
  }
  if (hessian == null) return null;
  const [lmin, lmax] = eigenvalues(hessian);
  if (lmin <= 0) return null;
  if (rule === "gd" || rule === "sgd") return 2 / lmax;
  if (rule === "momentum") return (2 + 2 * beta) / lmax;
  if (rule === "nesterov") return (2 + 2 * beta) / ((1 + 2 * beta) * lmax);
  return null;
}

// Eigenvalues of a symmetric 2x2 from its lower triangle (as numpy's eigvalsh reads it), ascending. A diagonal
// matrix gives its diagonal exactly; otherwise the smaller one comes from the determinant, without cancellation.
function eigenvalues(h) {
  const a = h[0][0], b = h[1][0], d = h[1][1];
  if (b === 0) return a <= d ? [a, d] : [d, a];
  const mean = 0.5 * (a + d), radius = Math.hypot(0.5 * (a - d), b);
  if (mean >= 0) {
    const high = mean + radius;
    return [(a * d - b * b) / high, high];
  }
  const low = mean - radius;
  return [low, (a * d - b * b) / low];
}

// --- the rules --------------------------------------------------------------------------------------------------

const GD = 0, SGD = 1, MOMENTUM = 2, NESTEROV = 3, ADAGRAD = 4, RMSPROP = 5, ADADELTA = 6, ADAM = 7;
// Slots of the hyperparameter array a kernel reads; a landscape rewrites the slots of its axes per cell.
export const SLOT = Object.freeze({ eta: 0, beta: 1, gamma: 2, rho: 3, beta1: 4, beta2: 5, eps: 6,
  bias_correction: 7, schedule: 8 });

/** rules.sgd_lr: the book's lr(t); its clock starts at 1 and advances before each use, so step t reads t + 1. */
export function sgdLr(schedule, t) {
  if (schedule === "exponential") return Math.exp(-0.1 * (t + 1));
  if (schedule === "polynomial") return (1 + 0.1 * (t + 1)) ** -0.5;
  return 1.0;
}

/**
 * Fill defaults and check run()'s options, as specs.resolve() and engine.run() do on the Python side (the ranges
 * are Python's business: the widget state arrives validated). condition and angle are read for "general" only;
 * seed is carried along (the noise it made arrives in `noise`). `extra` names further options the caller reads
 * itself (the landscape's axes), which are then not taken for unknown hyperparameters.
 *
 * @returns {{rule, convention, objective, condition, angle, start: number[], steps, seed, noise, hyperparameters}}
 *   hyperparameters holds every hyperparameter of the rule under the convention, given or default
 */
export function resolve(optimizer, options = {}, defaults = DEFAULTS, extra = []) {
  const rule = checkName(optimizer, "optimizer", RULES);
  const convention = checkName(options.convention ?? "d2l", "convention", CONVENTIONS);
  const table = defaults?.[convention]?.[rule];
  if (!table || typeof table !== "object") {
    throw new Error(`The 'defaults' parameter has no entry for ${rule} under the ${convention} convention.`);
  }
  const hyperparameters = {};
  for (const [name, given] of Object.entries(options)) {
    if (given === undefined || RUN_OPTIONS.includes(name) || extra.includes(name)) continue;
    if (!(name in table)) {
      const note = rule === "adadelta" && name === "eta" && convention === "d2l"
        ? " (the book's Adadelta has no learning rate; convention='torch' adds torch's lr)" : "";
      throw new Error(`The '${name}' parameter is not a hyperparameter of ${rule} under the ${convention} `
        + `convention${note}; it takes ${quoted(Object.keys(table))}.`);
    }
  }
  for (const [name, fallback] of Object.entries(table)) {
    const v = options[name] === undefined ? fallback : options[name];
    const ok = name === "schedule" ? SCHEDULES.includes(v)
      : name === "bias_correction" ? typeof v === "boolean" : typeof v === "number" && Number.isFinite(v);
    if (!ok) {
      const what = name === "schedule" ? `one of ${quoted(SCHEDULES)}`
        : name === "bias_correction" ? "one of true, false" : "a finite float";
      throw new Error(`The '${name}' parameter of ${rule} must be ${what}. Got ${shown(v)} instead.`);
    }
    hyperparameters[name] = v;
  }
  const start = options.start ?? [-5.0, -2.0];
  const pair = (Array.isArray(start) || ArrayBuffer.isView(start)) && start.length === 2;
  if (!(pair && typeof start[0] === "number" && Math.abs(start[0]) <= BOUND && typeof start[1] === "number"
      && Math.abs(start[1]) <= BOUND)) {
    throw new Error(`The 'start' parameter must be a pair of finite floats (x1, x2) with |x1|, |x2| <= ${BOUND_TEXT}. `
      + `Got ${shown(start)} instead.`);
  }
  const steps = options.steps ?? 20;
  if (!(Number.isInteger(steps) && steps >= 1 && steps <= MAX_STEPS)) {
    throw new Error(`The 'steps' parameter must be an integer in the range [1, ${MAX_STEPS}]. `
      + `Got ${shown(steps)} instead.`);
  }
  const objective = checkName(options.objective ?? "quadratic", "objective", OBJECTIVES);
  const condition = options.condition ?? 20, angle = options.angle ?? 0;
  if (objective === "general") checkGeneral(condition, angle);
  return { rule, convention, objective, condition, angle, start: [start[0], start[1]], steps,
    seed: options.seed ?? null, noise: options.noise, hyperparameters };
}

/**
 * The stepping kernel behind run() and the landscape: one run's state in typed arrays, advanced in place for
 * steps 1..resolved.steps. Rewrite `hp` (by SLOT) and call resetKernel() before each run; nothing is allocated
 * per step, and what depends only on t (SGD's lr(t), Adam's 1 - beta^t) is tabled once per setting.
 */
export function makeKernel(resolved) {
  const { rule, convention, objective, condition, angle, steps, hyperparameters: hyper } = resolved;
  const info = objectiveInfo(objective, condition, angle);
  const hp = new Float64Array(9);
  for (const [name, v] of Object.entries(hyper)) {
    hp[SLOT[name]] = name === "schedule" ? SCHEDULES.indexOf(v) : name === "bias_correction" ? Number(v) : v;
  }
  if (rule === "adadelta" && convention === "d2l") hp[SLOT.eta] = 1.0;
  let noise = null;
  if (rule === "sgd") {
    const given = resolved.noise;
    if (!given || given.length < steps) {
      throw new Error(`The 'noise' option of sgd must hold ${steps} pairs [n1, n2], one per step (numpy's `
        + `default_rng((seed, t)).standard_normal(2) for t = 1..${steps}, sent by Python). `
        + `Got ${given ? given.length : "none"} instead.`);
    }
    noise = new Float64Array(2 * steps);
    for (let t = 0; t < steps; t++) {
      noise[2 * t] = given[t][0];
      noise[2 * t + 1] = given[t][1];
      if (!(Number.isFinite(noise[2 * t]) && Number.isFinite(noise[2 * t + 1]))) {
        throw new Error(`The 'noise' option of sgd must hold pairs of finite floats. Got [${given[t]}] at step `
          + `${t + 1}.`);
      }
    }
  }
  return {
    rule: RULES.indexOf(rule), torch: convention === "torch", code: info.code, info, steps,
    h: coefficients(info), hp, noise,
    schedule: rule === "sgd" ? Float64Array.from({ length: steps }, (_, i) => sgdLr(hyper.schedule, i + 1)) : null,
    corrections: rule === "adam" ? new Float64Array(2 * steps) : null, // (1 - beta1^t, 1 - beta2^t) per step
    correctedFor: Float64Array.of(NaN, NaN), // the (beta1, beta2) of the table above
    st: new Float64Array(6), // x1, x2 and two state numbers per coordinate (v, s or s, delta or v, s)
    lr: new Float64Array(2), // the factor in front of g at the last step, per coordinate
    g: new Float64Array(2),
  };
}

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
  k.st.fill(0);
  k.st[0] = x1;
  k.st[1] = x2;
}

/**
 * One step t (1-based) of kernel k: the rule's update of rules.py at the gradient it reads.
 * Returns false when the new point has left |x1|, |x2| <= BOUND or is not finite (the run has diverged).
 */
export function stepKernel(k, t) {
  const st = k.st, hp = k.hp, g = k.g, lr = k.lr;
  let x1 = st[0], x2 = st[1], a1 = st[2], a2 = st[3], b1 = st[4], b2 = st[5];
  const eta = hp[0];
  if (k.rule === NESTEROV && !k.torch) { // the d2l look-ahead point x - eta beta v
    const eb = eta * hp[1];
    gradient(k.code, k.h, x1 - eb * a1, x2 - eb * a2, g);
  } else {
    gradient(k.code, k.h, x1, x2, g);
  }
  const g1 = g[0], g2 = g[1];
  switch (k.rule) {
    case GD:
      x1 = x1 - eta * g1; x2 = x2 - eta * g2;
      lr[0] = eta; lr[1] = eta;
      break;
    case SGD: {
      const etaT = eta * k.schedule[t - 1];
      x1 = x1 - etaT * (g1 + k.noise[2 * t - 2]); x2 = x2 - etaT * (g2 + k.noise[2 * t - 1]);
      lr[0] = etaT; lr[1] = etaT;
      break;
    }
    case MOMENTUM: {
      const beta = hp[1];
      a1 = beta * a1 + g1; a2 = beta * a2 + g2;
      x1 = x1 - eta * a1; x2 = x2 - eta * a2;
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
  return Math.abs(x1) <= BOUND && Math.abs(x2) <= BOUND;
}

/** The objective's value at (x1, x2) for kernel k (what the losses and the landscape's loss metric read). */
export function kernelValue(k, x1, x2) {
  return value(k.code, k.h, x1, x2);
}

/**
 * engine.run() for one setting: `steps` steps of `optimizer` from `start`, laid out like Python's Trajectory.
 *
 * @param {string} optimizer one of RULES
 * @param {object} options {objective, condition, angle, start, steps, convention, seed, noise, ...hyperparameters}
 *   with Python's names; missing hyperparameters come from defaults[convention][optimizer]
 * @param {object} [defaults=DEFAULTS]
 * @returns {{points: number[][], losses: number[], divergedAt: number | null, effectiveLr: number[][] | null}}
 *   points: steps + 1 pairs [x1, x2], start first, NaN from the step of divergence on; losses: steps + 1 numbers;
 *   divergedAt: the first step whose point left |x| <= BOUND, or null; effectiveLr: null for momentum and
 *   nesterov, else `steps` pairs, entry t - 1 being the rate of step t (NaN from divergedAt - 1 on).
 */
export function run(optimizer, options = {}, defaults = DEFAULTS) {
  const resolved = resolve(optimizer, options, defaults);
  const k = makeKernel(resolved);
  const steps = resolved.steps;
  const xs = new Float64Array(2 * (steps + 1)).fill(NaN);
  const lrs = new Float64Array(2 * steps).fill(NaN);
  resetKernel(k, resolved.start[0], resolved.start[1]);
  xs[0] = k.st[0];
  xs[1] = k.st[1];
  let divergedAt = null;
  for (let t = 1; t <= steps; t++) {
    if (!stepKernel(k, t)) {
      divergedAt = t; // from here on NaN: the points before are kept, the rest is not invented
      break;
    }
    xs[2 * t] = k.st[0];
    xs[2 * t + 1] = k.st[1];
    lrs[2 * t - 2] = k.lr[0];
    lrs[2 * t - 1] = k.lr[1];
  }
  const points = new Array(steps + 1), losses = new Array(steps + 1);
  for (let t = 0; t <= steps; t++) {
    points[t] = [xs[2 * t], xs[2 * t + 1]];
    losses[t] = value(k.code, k.h, xs[2 * t], xs[2 * t + 1]);
  }
  let effectiveLr = null;
  if (k.rule !== MOMENTUM && k.rule !== NESTEROV) {
    effectiveLr = new Array(steps);
    for (let t = 0; t < steps; t++) effectiveLr[t] = [lrs[2 * t], lrs[2 * t + 1]];
  }
  return { points, losses, divergedAt, effectiveLr };
}

// --- the book's line --------------------------------------------------------------------------------------------

/**
 * Python's format(x, "f"): fixed, 6 decimals, the exact binary value rounded half to even, the sign kept on
 * values that round to zero (-1e-9 -> "-0.000000") and on -0. toFixed() would round ties away from zero.
 */
export function formatF(x) {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  if (x === 0) return `${sign}0.000000`;
  const [m, e] = decompose(Math.abs(x));
  let q;
  if (e >= 0) {
    q = (m << BigInt(e)) * 1000000n;
  } else {
    const num = m * 1000000n, den = 1n << BigInt(-e);
    q = num / den;
    const twice = 2n * (num - q * den);
    if (twice > den || (twice === den && (q & 1n))) q += 1n;
  }
  const digits = q.toString().padStart(7, "0");
  return `${sign}${digits.slice(0, -6)}.${digits.slice(-6)}`;
}

/**
 * Trajectory.book_line(): the line d2l's train_2d prints, `epoch 20, x1: -0.010599, x2: 0.000000`, or for a
 * diverged run `diverged at step 3: |x| passed 1e+06; last finite point at epoch 2, x1: ..., x2: ...`.
 */
export function bookLine(result) {
  const { points, divergedAt } = result;
  if (divergedAt != null) {
    const [x1, x2] = points[divergedAt - 1];
    return `diverged at step ${divergedAt}: |x| passed ${BOUND_TEXT}; last finite point at epoch ${divergedAt - 1}, `
      + `x1: ${formatF(x1)}, x2: ${formatF(x2)}`;
  }
  const [x1, x2] = points[points.length - 1];
  return `epoch ${points.length - 1}, x1: ${formatF(x1)}, x2: ${formatF(x2)}`;
}
