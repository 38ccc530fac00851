// The objectives' code in JavaScript: f and its gradient, the general quadratic's Hessian and formula, and the
// stability limit, a port of objectives.py and rules.eta_limit. Their facts (window, minima, saddles, levels, the
// Hessians of the fixed quadratics, the formulas, the ranges of condition and angle) are Python's and arrive in
// `config.objectives` and `config.general` (state.config()). No DOM.

import { decompose, pyG, pyStrRepr, pyStrip } from "./format.js";
import { FormulaError, parseFormula } from "./formula.js";
import { formulaObjective } from "./formula_objective.js";
import { unit } from "./view.js";

// The objectives this port has f and a gradient for, each a small integer the kernels switch on; a teacher's
// formula is FORMULA, its evaluator in place of the general quadratic's coefficients.
export const CODES = Object.freeze({ quadratic: 0, bowl: 1, rotated: 2, general: 3, rosenbrock: 4, himmelblau: 5,
  saddle: 6 });
const [QUADRATIC, BOWL, ROTATED, GENERAL, ROSENBROCK, HIMMELBLAU] = [0, 1, 2, 3, 4, 5];
const FORMULA = 7;
// Names that are formulas (objectives.check_objective): one variable or constant alone.
const FORMULA_WORDS = ["x", "y", "x1", "x2", "x_1", "x_2", "pi", "e"];
const IDENTIFIER = /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u; // Python's str.isidentifier()

const builtIns = (config) => Object.keys(config.objectives).filter((n) => n in CODES);

/**
 * objectives.check_objective: a built-in objective's name as it is, a formula in its canonical form; anything else
 * throws a FormulaError with Python's message (which names there are, or where the formula stops making sense).
 */
export function checkObjective(config, objective) {
  const names = builtIns(config);
  if (typeof objective === "string" && names.includes(objective)) return objective;
  if (typeof objective === "string") {
    const word = pyStrip(objective);
    if (IDENTIFIER.test(word) && !FORMULA_WORDS.includes(word.toLowerCase())) {
      throw new FormulaError("formula.objective", { allowed: names.map(pyStrRepr).join(", "),
        value: pyStrRepr(objective.slice(0, 40)) });
    }
  }
  return parseFormula(objective).text;
}

export const quoted = (names) => names.map((n) => `'${n}'`).join(", ");
export const shown = (value) => (typeof value === "string" ? `'${value}'` : String(value));

/** specs.check_name: `value` if it is one of `allowed`, else one sentence. */
export function checkName(value, parameter, allowed) {
  if (typeof value === "string" && allowed.includes(value)) return value;
  throw new Error(`The '${parameter}' parameter must be one of ${quoted(allowed)}. Got ${shown(value)} instead.`);
}

/** objectives.check_general, with the ranges Python sends. */
export function checkGeneral(config, condition, angle) {
  for (const [name, value] of [["condition", condition], ["angle", angle]]) {
    const { low, high } = config.general[name];
    if (typeof value !== "number" || !(value >= low && value <= high)) {
      throw new Error(`The '${name}' parameter of general must be a float in the range [${low}, ${high}]. `
        + `Got ${shown(value)} instead.`);
    }
  }
}

// Exact a*b + c rounded once, as the fused multiply-add of the BLAS kernel behind numpy's matmul: JavaScript has
// no Math.fma, so the sum is formed exactly on BigInt mantissas. Used a few times per objective, never per step.
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

/**
 * objectives.general()'s Hessian: H = R diag(0.2, 0.2 condition) R^T with R the rotation by angle degrees,
 * multiplied as numpy does it, (R @ D) @ R.T, each entry a two-term dot product with one fused multiply-add.
 */
export function generalHessian(condition, angle) {
  const l1 = 0.2, l2 = 0.2 * condition;
  const r = angle * (Math.PI / 180); // math.radians
  const c = Math.cos(r), s = Math.sin(r);
  const a00 = c * l1, a01 = -s * l2, a10 = s * l1, a11 = c * l2;
  return [[fma(a01, -s, a00 * c), fma(a01, c, a00 * s)], [fma(a11, -s, a10 * c), fma(a11, c, a10 * s)]];
}

/** objectives.general(condition, angle).latex: the formula with .4g coefficients, the cross term if |h12| > 1e-12. */
export function generalLatex(condition, angle) {
  const [[h11, h12], [, h22]] = generalHessian(condition, angle);
  const cross = Math.abs(h12) > 1e-12 ? `${h12 < 0 ? "-" : "+"} ${pyG(Math.abs(2 * h12), 4)}\\,x_1 x_2 ` : "";
  return `f = ${pyG(h11 / 2, 4)}\\,x_1^2 ${cross}+ ${pyG(h22 / 2, 4)}\\,x_2^2`;
}

// Each f and gradient follows objectives.py expression by expression (x ** 2 is x * x). h holds the general
// quadratic's h11, h12 (the upper triangle) and h22, or a formula's evaluator (core/formula.js).
export function value(code, h, x1, x2) {
  switch (code) {
    case QUADRATIC: return 0.1 * (x1 * x1) + 2 * (x2 * x2);
    case BOWL: return x1 * x1 + 2 * (x2 * x2);
    case ROTATED: {
      const a = x1 + x2, b = x1 - x2;
      return 0.1 * (a * a) + 2 * (b * b);
    }
    case GENERAL: return 0.5 * (h[0] * (x1 * x1) + 2 * h[1] * x1 * x2 + h[2] * (x2 * x2));
    case FORMULA: return h.f(x1, x2);
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

export function gradient(code, h, x1, x2, g) {
  switch (code) {
    case QUADRATIC: g[0] = 0.2 * x1; g[1] = 4 * x2; return;
    case BOWL: g[0] = 2 * x1; g[1] = 4 * x2; return;
    case ROTATED: {
      const a = 0.2 * (x1 + x2), b = 4 * (x1 - x2);
      g[0] = a + b; g[1] = a - b; return;
    }
    case GENERAL: g[0] = h[0] * x1 + h[1] * x2; g[1] = h[1] * x1 + h[2] * x2; return;
    case FORMULA: h.gradInto(x1, x2, g); return;
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
 * What the kernels need of an objective: its code, its Hessian (Python's; computed here for "general", whose
 * condition and angle move with sliders; null for a formula, whose kernels need none) and what f and the gradient
 * read: the general quadratic's coefficients or a formula's evaluator.
 */
export function objectiveCode(config, name, condition, angle) {
  if (!builtIns(config).includes(name)) return { code: FORMULA, hessian: null, h: parseFormula(name) };
  const code = CODES[name];
  let hessian = config.objectives[name].hessian;
  if (code === GENERAL) {
    checkGeneral(config, condition, angle);
    hessian = generalHessian(condition, angle);
  }
  const h = code === GENERAL ? Float64Array.of(hessian[0][0], hessian[0][1], hessian[1][1]) : new Float64Array(3);
  return { code, hessian, h };
}

/**
 * An objective by name or formula, as objectives.get_objective gives it (and Lesson.objective_function: the
 * lesson's window, if set, replaces the objective's): Python's facts (config.objectives) and this port's f and
 * gradient for a built-in one; for a formula, what core/formula_objective.js finds, as objectives.from_formula.
 *
 * @param {object} config state.config()
 * @param {string} name a built-in objective's name or a formula
 * @param {{condition?: number, angle?: number, start?: number[], window?: number[] | null}} [params] condition and
 *   angle for "general" (default: config.general's), start and window for a formula's facts
 * @returns {{name, f: (x1, x2) => number, grad: (x1, x2) => [number, number], hessian: number[][] | null,
 *   minima: number[][], saddles: number[][], xlim: number[], ylim: number[], levels: "auto" | "log",
 *   latex: string, mathml?: string}}
 */
export function getObjective(config, name, params = {}) {
  const window = params.window ?? null;
  if (!builtIns(config).includes(name)) {
    const o = formulaObjective(checkObjective(config, name), { start: params.start ?? config.defaultLesson.start,
      window });
    return Object.freeze({ ...o, mathml: o.formula.mathml,
      viewUnit: [unit(o.xlim[0], o.xlim[1], config.view), unit(o.ylim[0], o.ylim[1], config.view)] });
  }
  const condition = params.condition ?? config.general.condition.default;
  const angle = params.angle ?? config.general.angle.default;
  const { code, hessian, h } = objectiveCode(config, name, condition, angle);
  const facts = config.objectives[name];
  const g = new Float64Array(2);
  return Object.freeze({
    name, hessian, minima: facts.minima, saddles: facts.saddles,
    xlim: window ? [window[0], window[1]] : facts.xlim, ylim: window ? [window[2], window[3]] : facts.ylim,
    viewUnit: window ? [unit(window[0], window[1], config.view), unit(window[2], window[3], config.view)]
      : facts.viewUnit,
    levels: facts.levels, latex: code === GENERAL ? generalLatex(condition, angle) : facts.latex,
    f: (x1, x2) => value(code, h, x1, x2),
    grad: (x1, x2) => { gradient(code, h, x1, x2, g); return [g[0], g[1]]; },
  });
}

// The stability limits' right-hand sides c(beta) in eta * lambda_max < c(beta), as rules.eta_limit computes them.
export const LIMIT_RULES = Object.freeze({ gd: "2", sgd: "2", momentum: "2 + 2β", nesterov: "(2 + 2β)/(1 + 2β)" });

/**
 * rules.eta_limit: the largest stable eta of gd, sgd (in expectation), momentum or nesterov on a convex quadratic.
 *
 * @param {string} rule
 * @param {number[][] | null} hessian the objective's constant Hessian as a 2x2 array (null: not a quadratic)
 * @param {number} [beta=0] the momentum, in [0, 1]
 * @returns {number | null} null for other rules and for Hessians that are missing or not positive definite
 */
export function etaLimit(rule, hessian, beta = 0) {
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
