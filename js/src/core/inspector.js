// The step inspector: a rule's update in the book's notation with one step's numbers, from this page's engine.
//
// The lines are Python's (trajectories/inspector.py, sent as config.inspector): each has its text, a template of
// its right side with slots (⟨s⟩, ⟨(g)⟩ parenthesised when negative, ⟨^t⟩ a superscript) and the right side as
// data. They run in order, as the book's pseudo-code does: a name on the right is its value before the line,
// unless an earlier line assigned it. The numbers are the engine's own record of the run (core/engine.js run():
// points, state, gradients, look-ahead, effective rates); the few it does not keep (Adam's v̂ and ŝ, Adadelta's
// g′, a gradient with its noise) are evaluated from their line with the engine's operations. No DOM.
import { pyG } from "./format.js";

const SUPERSCRIPT = { 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹", "-": "⁻",
  "−": "⁻", t: "ᵗ" };
const SLOT = /⟨(\^?)(\(?)(\w+)\)?⟩/g;
const ONE_SLOT = /^⟨\^?\(?\w+\)?⟩$/;

/** inspector.fmt: `digits` significant digits, 1e−6 for 1e-06, a true minus sign, a dash for NaN. */
export function fmt(value, digits) {
  if (Number.isNaN(value)) return "—";
  if (!Number.isFinite(value)) return value < 0 ? "−∞" : "∞";
  const [mantissa, exponent] = pyG(value, digits).split("e");
  const text = exponent === undefined ? mantissa : `${mantissa}e${Number(exponent)}`;
  return text.replace(/-/g, "−");
}

/** inspector.fill: a template with one coordinate's values in its slots. */
export function fill(template, values, digits) {
  return template.replace(SLOT, (_, sup, paren, name) => {
    const v = values[name];
    const text = fmt(v, digits);
    if (sup) return [...text].map((c) => SUPERSCRIPT[c] ?? c).join("");
    return paren && v < 0 ? `(${text})` : text;
  });
}

/**
 * inspector.evaluate: a line's right side (tree data) with `env`'s values, per coordinate: a name is a number or
 * a pair. A division by exactly 0 leaves the numerator, the engine's rule for Adam's bias correction at beta = 1.
 */
export function evaluate(tree, env) {
  return [0, 1].map((i) => value(tree, env, i));
}

function value(node, env, i) {
  if (typeof node === "number") return node;
  if (typeof node === "string") {
    const v = env[node];
    if (v === undefined) throw new Error(`The inspector's line reads '${node}', which nothing gave it.`);
    return typeof v === "number" ? v : v[i];
  }
  const [op, a, b] = node;
  if (op === "grad") return env.grad[i];
  const x = value(a, env, i);
  if (op === "neg") return -x;
  if (op === "sqrt") return Math.sqrt(x);
  if (op === "exp") return Math.exp(x);
  const y = value(b, env, i);
  if (op === "+") return x + y;
  if (op === "-") return x - y;
  if (op === "*") return x * y;
  if (op === "/") return x / (y === 0 ? 1 : y);
  return x ** y;
}

const pair = (flat, i) => (flat ? [flat[2 * i], flat[2 * i + 1]] : null);

/** inspector._noisy: whether a run's gradient has noise ξ (SGD's always, as the book writes it; any rule's at σ > 0). */
const noisy = (rule, hp) => rule === "sgd" || (hp.sigma ?? 0) > 0;

/** The lines of `rule` under `convention` for these hyperparameters (the variant their choices pick). */
export function linesOf(inspector, rule, convention, hyperparameters) {
  const entry = inspector.rules[convention][rule];
  const key = entry.by.map((n) => `${n}=${String(n === "noise" ? noisy(rule, hyperparameters)
    : hyperparameters[n]).toLowerCase()}`).join(",");
  return entry.variants[key].map((i) => inspector.lines[i]); // each line is written once, by index
}

/**
 * Step `step` of a run: the update from point `step` to point `step + 1` (t = step + 1), as the app highlights
 * it; at the last point, the point alone.
 *
 * @param {object} inspector config.inspector: digits, labels, rules
 * @param {{rule, convention, hyperparameters, noise}} setting the run's resolved settings; noise: the pairs σξ
 *   the engine added per step (t = 1.. at index t - 1), for SGD and any run at σ > 0
 * @param {object} run engine.run()'s result
 * @param {number} step 0..steps
 * @returns {{step, t, x, xNext, update, gradient, effectiveLr, stateBefore, stateAfter, diverged, last,
 *   lines: {name, role, op, text, label, value: number[], expression: string[] | null, result: string[],
 *   substituted: string[]}[]} | null} null past divergence; per line and coordinate, the right side with the
 *   numbers (null where it is one value), the value as written, and the two joined by " = "
 */
export function inspectStep(inspector, setting, run, step) {
  const { rule, convention, hyperparameters: hp } = setting;
  const steps = run.points.length - 1;
  if (!(Number.isInteger(step) && step >= 0 && step <= steps)) {
    throw new Error(`The 'step' parameter must be an integer in the range [0, ${steps}]. Got ${step} instead.`);
  }
  if (run.divergedAt != null && step >= run.divergedAt) return null;
  const digits = inspector.digits;
  const lines = linesOf(inspector, rule, convention, hp);
  const t = step + 1, x = run.points[step];
  const label = (role) => inspector.labels[role] ?? "";
  const stateBefore = Object.fromEntries(Object.entries(run.state).map(([k, v]) => [k, pair(v, step)]));
  const base = { step, t, x, stateBefore };
  if (step === steps) {
    const input = lines.find((line) => line.role === "input");
    const result = x.map((v) => fmt(v, digits));
    return { ...base, xNext: null, update: null, gradient: null, effectiveLr: null, stateAfter: {}, diverged: false,
      last: true, lines: [{ name: input.name, role: input.role, op: input.op, text: input.text,
        label: label(input.role), value: x, expression: null, result, substituted: result }] };
  }
  const stateAfter = Object.fromEntries(Object.entries(run.state).map(([k, v]) => [k, pair(v, t)]));
  const gradient = pair(run.gradients, step);
  const effectiveLr = run.effectiveLr ? run.effectiveLr[step] : null;
  const xNext = run.points[t];
  const env = { t, x, grad: gradient, ...stateBefore };
  for (const [name, v] of Object.entries(hp)) if (typeof v === "number") env[name] = v;
  if (run.rates && Number.isFinite(run.rates[step])) env.eta = run.rates[step]; // a schedule: eta is eta_t here
  const withNoise = noisy(rule, hp);
  if (withNoise) env.xi = setting.noise?.[step] ?? [0, 0];
  const engine = { x: xNext, ...stateAfter };
  if (effectiveLr) engine.lr = effectiveLr;
  if (!withNoise) engine.g = gradient;
  if (run.lookahead) engine.x_look = pair(run.lookahead, step);
  const shown = lines.map((line) => {
    const computed = evaluate(line.tree, env);
    const kept = line.role === "input" ? computed : engine[line.name] ?? computed;
    // the step that diverged: the engine keeps NaN, the line shows where the rule sent the point
    const v = kept.map((k, i) => (Number.isFinite(k) ? k : computed[i]));
    const result = v.map((k) => fmt(k, digits));
    const expression = ONE_SLOT.test(line.values) ? null : [0, 1].map((i) => fill(line.values,
      Object.fromEntries(Object.entries(env).map(([k, e]) => [k, typeof e === "number" ? e : e[i]])), digits));
    if (line.role !== "input") env[line.name] = v;
    return { name: line.name, role: line.role, op: line.op, text: line.text, label: label(line.role), value: v,
      expression, result, substituted: result.map((r, i) => (expression ? `${expression[i]} = ${r}` : r)) };
  });
  const diverged = !(Number.isFinite(xNext[0]) && Number.isFinite(xNext[1]));
  return { ...base, xNext, update: [xNext[0] - x[0], xNext[1] - x[1]], gradient, effectiveLr, stateAfter, diverged,
    last: false, lines: shown };
}
