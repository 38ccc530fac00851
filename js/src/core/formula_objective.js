// The objective of a formula, as objectives.from_formula makes it: minima and saddles found numerically (Newton's
// method from the grid's local minima, flat minima and valleys handled as Python handles them), the window around
// the start and those points, the contour levels and a quadratic's Hessian. No DOM.
import { pyG } from "./format.js";
import { FormulaError, parseFormula } from "./formula.js";

export const SEARCH = 6.0, SEARCH_CELLS = 60, NEWTON_STEPS = 100, MAX_LANDMARKS = 8, LOG_LEVELS_RATIO = 10.0;
const RING = 16;

function linspace(a, b, n) { // numpy's: i * step + start, the last point exactly b
  const step = (b - a) / (n - 1);
  const out = Array.from({ length: n }, (_, i) => i * step + a);
  out[n - 1] = b;
  return out;
}

function grid(box) { // (x1, x2) of the search grid, row by row (x2 outer), as np.meshgrid lays them out
  const xs = linspace(box[0], box[1], SEARCH_CELLS + 1), ys = linspace(box[2], box[3], SEARCH_CELLS + 1);
  const n = xs.length, g1 = new Float64Array(n * n), g2 = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { g1[i * n + j] = xs[j]; g2[i * n + j] = ys[i]; }
  return { g1, g2, n };
}

function localMinima(w, n) { // objectives._local_minima: flat indices, lowest first, ties by index
  const value = (i, j) => (i < 0 || j < 0 || i >= n || j >= n || !Number.isFinite(w[i * n + j]) ? Infinity
    : w[i * n + j]);
  const out = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const x = value(i, j);
      if (!Number.isFinite(x)) continue;
      let ok = true;
      for (let di = -1; di <= 1 && ok; di++) for (let dj = -1; dj <= 1; dj++) {
        if ((di || dj) && !(x <= value(i + di, j + dj))) { ok = false; break; }
      }
      if (ok) out.push(i * n + j);
    }
  }
  return out.sort((a, b) => (w[a] - w[b]) || (a - b));
}

const step = (p) => 1e-4 * Math.max(Math.abs(p[0]), Math.abs(p[1])) + 1e-12;

function hessianFd(formula, p, h) { // objectives._hessian_fd for one point: [h11, h12, h22]
  const cols = [];
  for (const j of [0, 1]) {
    const up = [p[0] + (j === 0 ? h : 0), p[1] + (j === 1 ? h : 0)];
    const down = [p[0] - (j === 0 ? h : 0), p[1] - (j === 1 ? h : 0)];
    const gu = formula.grad(up[0], up[1]), gd = formula.grad(down[0], down[1]);
    cols.push([(gu[0] - gd[0]) / (2 * h), (gu[1] - gd[1]) / (2 * h)]);
  }
  return [cols[0][0], 0.5 * (cols[1][0] + cols[0][1]), cols[1][1]];
}

function eigen([a, b, d]) { // objectives._eigen: l1, l2 and the unit eigenvector (c, s) of l1
  const theta = 0.5 * Math.atan2(2 * b, a - d);
  const c = Math.cos(theta), s = Math.sin(theta);
  return [a * c * c + 2 * b * c * s + d * s * s, a * s * s - 2 * b * c * s + d * c * c, c, s];
}

function newton(formula, points, reach) { // objectives._newton, all points together, stopping as numpy does
  const p = points.map((q) => [q[0], q[1]]);
  for (let it = 0; it < NEWTON_STEPS; it++) {
    let moving = false;
    for (const q of p) {
      const g = formula.grad(q[0], q[1]);
      const [l1, l2, c, s] = eigen(hessianFd(formula, q, step(q)));
      const top = Math.max(Math.abs(l1), Math.abs(l2));
      const u1 = c * g[0] + s * g[1], u2 = -s * g[0] + c * g[1];
      const k1 = Math.abs(l1) > 1e-9 * top ? u1 / l1 : 0, k2 = Math.abs(l2) > 1e-9 * top ? u2 / l2 : 0;
      let s1 = c * k1 - s * k2, s2 = s * k1 + c * k2;
      const size = Math.sqrt(s1 * s1 + s2 * s2);
      if (size > 1.0) { s1 /= size; s2 /= size; }
      q[0] -= s1; q[1] -= s2;
      if (!(Number.isFinite(q[0]) && Number.isFinite(q[1]) && Math.abs(q[0]) <= reach && Math.abs(q[1]) <= reach)) {
        q[0] = NaN; q[1] = NaN;
      }
      if (Math.abs(s1) > 1e-15 * (1 + Math.abs(q[0])) || Math.abs(s2) > 1e-15 * (1 + Math.abs(q[1]))) moving = true;
    }
    if (!moving) break;
  }
  return p;
}

function classify(formula, p, r) { // objectives._classify for one point
  const f0 = formula.f(p[0], p[1]);
  const d = Array.from({ length: RING }, (_, k) => {
    const angle = (k + 0.5) * ((2 * Math.PI) / RING);
    return formula.f(p[0] + r * Math.cos(angle), p[1] + r * Math.sin(angle)) - f0;
  });
  if (d.every((x) => x > 0)) return "min";
  if (d.every((x) => Number.isFinite(x) && x !== 0)) {
    let changes = 0;
    for (let k = 0; k < RING; k++) if (Math.sign(d[k]) !== Math.sign(d[(k + RING - 1) % RING])) changes += 1;
    if (changes >= 4) return "saddle";
  }
  return "";
}

function distinct(points, size) {
  const kept = [];
  for (const p of points) {
    if (kept.every((q) => Math.max(Math.abs(p[0] - q[0]), Math.abs(p[1] - q[1])) > 1e-6 * size)) kept.push(p);
  }
  return kept;
}

function refine(formula, p, r, tol, curvature) { // objectives._refine: [p, "point" | "valley" | "slope"]
  const [l1, l2, c, s] = eigen(hessianFd(formula, p, step(p)));
  let shape = "point";
  const scale = Math.max(Math.abs(l1), Math.abs(l2), curvature);
  for (const [lam, v] of [[l1, [c, s]], [l2, [-s, c]]]) {
    if (Math.abs(lam) > 1e-6 * scale) continue;
    const q = p;
    const slope = (t) => {
      const g = formula.grad(q[0] + t * v[0], q[1] + t * v[1]);
      return g[0] * v[0] + g[1] * v[1];
    };
    let lo = -r, hi = r;
    const sLo = slope(lo), sHi = slope(hi);
    if (Math.abs(sLo) <= 1e-4 * tol && Math.abs(sHi) <= 1e-4 * tol) {
      shape = "valley";
    } else if (sLo < 0 && sHi > 0) {
      for (let k = 0; k < 200; k++) {
        const mid = 0.5 * (lo + hi);
        if (mid === lo || mid === hi) break;
        const sm = slope(mid);
        if (sm === 0) { lo = mid; hi = mid; break; }
        if (sm < 0) lo = mid; else hi = mid;
      }
      const t = 0.5 * (lo + hi);
      p = [q[0] + t * v[0], q[1] + t * v[1]];
    } else {
      return [p, "slope"];
    }
  }
  return [p, shape];
}

const fixed = (x, digits) => Number(x.toFixed(digits)) + 0;

function tidy(formula, points) { // objectives._tidy
  const values = points.map((p) => formula.f(p[0], p[1]));
  const order = points.map((_, i) => i).sort((i, j) => (values[i] - values[j]) || (points[i][0] - points[j][0])
    || (points[i][1] - points[j][1]) || (i - j)).slice(0, MAX_LANDMARKS);
  return order.map((i) => [fixed(points[i][0], 10), fixed(points[i][1], 10)])
    .sort((a, b) => (a[0] - b[0]) || (a[1] - b[1]));
}

function median(values) {
  const v = Float64Array.from(values).sort();
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

function landmarks(formula, box, start) { // objectives._landmarks
  const { g1, g2, n } = grid(box);
  const z = new Float64Array(n * n), slope = new Float64Array(n * n), out = new Float64Array(3);
  let anyFinite = false;
  for (let i = 0; i < n * n; i++) {
    formula.valueAndGrad(g1[i], g2[i], out);
    z[i] = out[0];
    slope[i] = out[1] * out[1] + out[2] * out[2];
    if (Number.isFinite(out[0])) anyFinite = true;
  }
  if (!anyFinite) {
    throw new FormulaError("formula.no_value", { formula: formula.text, x1_low: pyG(box[0]), x1_high: pyG(box[1]),
      x2_low: pyG(box[2]), x2_high: pyG(box[3]) });
  }
  if (!formula.variables.length) return [[], []];
  const size = Math.max(box[1] - box[0], box[3] - box[2]);
  const reach = Math.max(Math.max(...box.map(Math.abs)) + size, 2 * Math.max(Math.abs(start[0]), Math.abs(start[1])));
  const lows = localMinima(z, n).slice(0, 16);
  const seeds = [...new Set([...lows, ...localMinima(slope, n).slice(0, 16)])];
  const points = [...seeds.map((i) => [g1[i], g2[i]]), [start[0], start[1]]];
  const found = newton(formula, points, reach);
  const steep = [];
  for (const x of slope) if (Number.isFinite(x)) steep.push(Math.sqrt(x));
  const typical = steep.length ? median(steep) : 1.0;
  const tol = typical > 0 ? 1e-8 * typical : 1e-300;
  const still = found.map((p) => {
    if (!(Number.isFinite(p[0]) && Number.isFinite(p[1]))) return false;
    const g = formula.grad(p[0], p[1]);
    return Math.abs(g[0]) <= tol && Math.abs(g[1]) <= tol;
  });
  const stationary = distinct(found.slice(0, -1).filter((_, i) => still[i]), size);
  const kinks = seeds.map((seed, i) => [seed, i]).filter(([seed, i]) => lows.includes(seed) && !still[i])
    .map(([, i]) => points[i])
    .filter((p) => classify(formula, p, 1e-3 * size) === "min" && classify(formula, p, 1e-6 * size) === "min");
  const kind = stationary.map((p) => classify(formula, p, 1e-3 * size));
  const minima = [], valleys = [];
  stationary.forEach((p, i) => {
    if (kind[i] !== "min") return;
    const [q, shape] = refine(formula, p, 1e-2 * size, tol, typical / size);
    if (shape !== "slope") (shape === "valley" ? valleys : minima).push(q);
  });
  if (valleys.length) {
    const last = found[found.length - 1];
    const onStart = still[still.length - 1] && classify(formula, last, 1e-3 * size) === "min";
    const [q, shape] = onStart ? refine(formula, last, 1e-2 * size, tol, typical / size) : [null, ""];
    minima.push(shape === "valley" ? q : valleys[0]);
  }
  const saddles = stationary.filter((_, i) => kind[i] === "saddle");
  return [tidy(formula, distinct([...minima, ...kinks], size)), tidy(formula, saddles)];
}

function windowOf(points) { // objectives._window
  const p = points.map(([x, y]) => [fixed(x, 9), fixed(y, 9)]);
  const lo = [Math.min(...p.map((q) => q[0])), Math.min(...p.map((q) => q[1]))];
  const hi = [Math.max(...p.map((q) => q[0])), Math.max(...p.map((q) => q[1]))];
  const pad = Math.max(1.0, 0.15 * Math.max(hi[0] - lo[0], hi[1] - lo[1]));
  return [0, 1].map((i) => [Math.floor((lo[i] - pad) * 2) / 2, Math.ceil((hi[i] + pad) * 2) / 2]);
}

function levelsOf(formula, window) { // objectives._levels
  if (formula.quadratic) return "auto";
  const { g1, g2, n } = grid(window);
  const finite = [];
  for (let i = 0; i < n * n; i++) {
    const z = formula.f(g1[i], g2[i]);
    if (Number.isFinite(z)) finite.push(z);
  }
  if (!finite.length || Math.min(...finite) < 0) return "auto";
  const med = median(finite);
  return med > 0 && Math.max(...finite) > LOG_LEVELS_RATIO * med ? "log" : "auto";
}

function constantHessian(formula) { // objectives._constant_hessian
  const p1 = formula.grad(1, 0), p2 = formula.grad(0, 1), m1 = formula.grad(-1, 0), m2 = formula.grad(0, -1);
  const h11 = (p1[0] - m1[0]) / 2, h21 = (p1[1] - m1[1]) / 2, h22 = (p2[1] - m2[1]) / 2;
  return [[h11, h21], [h21, h22]];
}

/** objectives.check_window: four numbers (x1 low, x1 high, x2 low, x2 high) within +-1e6, low < high; or null. */
export function checkWindow(window) {
  if (window == null) return null;
  const ok = Array.isArray(window) && window.length === 4 && window.every((v) => typeof v === "number")
    && -1e6 <= window[0] && window[0] < window[1] && window[1] <= 1e6
    && -1e6 <= window[2] && window[2] < window[3] && window[3] <= 1e6;
  if (!ok) {
    throw new Error("The 'window' parameter must be four numbers x1_low,x1_high,x2_low,x2_high with low < high, "
      + `within [-1e+06, 1e+06]. Got ${JSON.stringify(window)} instead.`);
  }
  return [window[0], window[1], window[2], window[3]];
}

const OBJECTIVE_CACHE = new Map();

/**
 * objectives.from_formula: the objective of a formula, with the window, minima, saddles, levels and (for a
 * quadratic) the Hessian that Python finds, the same way.
 *
 * @param {string} text the formula
 * @param {{start?: number[], window?: number[] | null}} [options]
 * @returns {{name, f, grad, latex, xlim, ylim, minima, saddles, hessian, levels, formula}}
 */
export function formulaObjective(text, { start = [-5.0, -2.0], window = null } = {}) {
  const formula = parseFormula(text);
  const win = checkWindow(window);
  const key = JSON.stringify([formula.text, start, win]);
  const cached = OBJECTIVE_CACHE.get(key);
  if (cached) return cached;
  const box = win ?? [-SEARCH, SEARCH, -SEARCH, SEARCH];
  const [minima, saddles] = landmarks(formula, box, start);
  const hessian = formula.quadratic ? constantHessian(formula) : null;
  const [xlim, ylim] = win ? [[win[0], win[1]], [win[2], win[3]]]
    : windowOf([[0, 0], [start[0], start[1]], ...minima, ...saddles]);
  const objective = Object.freeze({
    name: formula.text, f: formula.f, grad: formula.grad, latex: `f = ${formula.latex}`, xlim, ylim, minima,
    saddles, hessian, levels: levelsOf(formula, [...xlim, ...ylim]), formula,
  });
  OBJECTIVE_CACHE.set(key, objective);
  if (OBJECTIVE_CACHE.size > 64) OBJECTIVE_CACHE.delete(OBJECTIVE_CACHE.keys().next().value);
  return objective;
}
