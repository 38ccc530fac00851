// A formula as a flat list of operations and the interpreter that runs it with forward-mode differentiation:
// each operation carries its value and two partial derivatives (formula.compile_tape and formula.run_tape, in
// the same order, operation by operation). No DOM, no eval.

/** The functions a formula may call (formula.FUNCTIONS). */
export const FUNCTIONS = Object.freeze(["exp", "log", "sqrt", "sin", "cos", "tan", "tanh", "sinh", "cosh", "atan",
  "abs"]);

export const CALLS = { exp: Math.exp, log: Math.log, sqrt: Math.sqrt, sin: Math.sin, cos: Math.cos, tan: Math.tan,
  tanh: Math.tanh, sinh: Math.sinh, cosh: Math.cosh, atan: Math.atan, abs: Math.abs };

export function ipow(a, n) { // repeated squaring, in formula._ipow's order
  let result = null, base = a;
  while (n) {
    if (n & 1) result = result === null ? base : result * base;
    n >>= 1;
    if (n) base = base * base;
  }
  return result;
}

export function power(a, c) {
  if (Number.isInteger(c)) {
    if (c === 0) return 1;
    return c > 0 ? ipow(a, c) : 1 / ipow(a, -c);
  }
  return Math.pow(a, c);
}

const CONST = 0, X1 = 1, X2 = 2, NEG = 3, CALL = 4, IPOW = 5, POW = 6, ADD = 7, SUB = 8, MUL = 9, DIV = 10, VPOW = 11;
const OP_NAMES = ["const", "x1", "x2", "neg", "call", "ipow", "pow", "add", "sub", "mul", "div", "vpow"];
const FN = Object.fromEntries(FUNCTIONS.map((f, i) => [f, i]));

export function compileTape(tree, constants) { // formula.compile_tape
  const ops = [];
  const emit = (n) => {
    const c = constants.get(n);
    if (c !== null) ops.push({ kind: CONST, a: -1, b: -1, c, fn: -1, d1: false, d2: false });
    else if (n.kind === "var") {
      ops.push({ kind: n.name === "x1" ? X1 : X2, a: -1, b: -1, c: 0, fn: -1, d1: n.name === "x1", d2: n.name === "x2" });
    } else if (n.kind === "neg" || n.kind === "call") {
      const a = emit(n.a);
      ops.push({ kind: n.kind === "neg" ? NEG : CALL, a, b: -1, c: 0, fn: n.kind === "call" ? FN[n.name] : -1,
        d1: ops[a].d1, d2: ops[a].d2 });
    } else if (n.kind === "pow" && constants.get(n.b) !== null) {
      const a = emit(n.a), e = constants.get(n.b);
      const moves = e !== 0; // x^0 is 1: its derivatives are structurally zero
      ops.push({ kind: Number.isInteger(e) ? IPOW : POW, a, b: -1, c: e, fn: -1, d1: ops[a].d1 && moves,
        d2: ops[a].d2 && moves });
    } else {
      const a = emit(n.a), b = emit(n.b);
      const kind = { add: ADD, sub: SUB, mul: MUL, div: DIV, pow: VPOW }[n.kind];
      ops.push({ kind, a, b, c: 0, fn: -1, d1: ops[a].d1 || ops[b].d1, d2: ops[a].d2 || ops[b].d2 });
    }
    return ops.length - 1;
  };
  emit(tree);
  const n = ops.length;
  const tape = { n, kind: new Int8Array(n), a: new Int32Array(n), b: new Int32Array(n), c: new Float64Array(n),
    fn: new Int8Array(n), d1: new Uint8Array(n), d2: new Uint8Array(n) };
  ops.forEach((op, i) => {
    tape.kind[i] = op.kind; tape.a[i] = op.a; tape.b[i] = op.b; tape.c[i] = op.c; tape.fn[i] = op.fn;
    tape.d1[i] = op.d1 ? 1 : 0; tape.d2[i] = op.d2 ? 1 : 0;
  });
  return tape;
}

// formula.COST_WEIGHTS, COST_FIXED, BUILTIN_COST: what one step of a formula costs in steps of a built-in objective,
// measured on this interpreter (see formula.py).
const COST_WEIGHTS = [0, 0, 0, 3, 6, 3, 6, 3, 3, 3, 3, 8]; // by kind: const x1 x2 neg call ipow pow add sub mul div vpow
const COST_FIXED = 4, BUILTIN_COST = 4;

/** formula.Formula.cost: how many built-in objectives' steps one step of the formula costs, at least 1. */
export function tapeCost(tape) {
  let sum = COST_FIXED;
  for (let i = 0; i < tape.n; i++) sum += COST_WEIGHTS[tape.kind[i]];
  return Math.max(1, Math.ceil(sum / BUILTIN_COST));
}

/** The operations as Python's Op tuples would print them: [kind, a, b, c, name, d1, d2] (for the golden test). */
export function describeTape(tape) {
  return Array.from({ length: tape.n }, (_, i) => [OP_NAMES[tape.kind[i]], tape.a[i], tape.b[i], tape.c[i],
    tape.fn[i] >= 0 ? FUNCTIONS[tape.fn[i]] : "", Boolean(tape.d1[i]), Boolean(tape.d2[i])]);
}

function dcall(fn, a, v) { // formula._dcall: phi'(a) given v = phi(a)
  switch (FUNCTIONS[fn]) {
    case "exp": return v;
    case "log": return 1 / a;
    case "sqrt": return 0.5 / v;
    case "sin": return Math.cos(a);
    case "cos": return -Math.sin(a);
    case "tan": return 1 + v * v;
    case "tanh": return 1 - v * v;
    case "sinh": return Math.cosh(a);
    case "cosh": return Math.sinh(a);
    case "atan": return 1 / (1 + a * a);
    default: return Math.sign(a);
  }
}

/**
 * formula.run_tape for one point: value and gradient at (x1, x2) into out[0..2], derivatives that are structurally
 * zero are 0 (Python's None). r holds three registers per operation and is reused between calls.
 */
export function runTape(t, x1, x2, out, r) {
  const { v, g1, g2 } = r;
  for (let i = 0; i < t.n; i++) {
    const kind = t.kind[i], ia = t.a[i], ib = t.b[i];
    const h1 = t.d1[i], h2 = t.d2[i];
    let val = 0, d1 = 0, d2 = 0;
    switch (kind) {
      case CONST: val = t.c[i]; break;
      case X1: val = x1; d1 = 1; break;
      case X2: val = x2; d2 = 1; break;
      case NEG: val = -v[ia]; d1 = h1 ? -g1[ia] : 0; d2 = h2 ? -g2[ia] : 0; break;
      case CALL: {
        const a = v[ia];
        val = CALLS[FUNCTIONS[t.fn[i]]](a);
        const factor = h1 || h2 ? dcall(t.fn[i], a, val) : 0;
        d1 = h1 ? factor * g1[ia] : 0; d2 = h2 ? factor * g2[ia] : 0;
        break;
      }
      case IPOW: {
        const a = v[ia], c = t.c[i];
        val = power(a, c);
        if (c === 0) { d1 = 0; d2 = 0; break; }
        const factor = c === 1 ? 1 : c > 0 ? c * ipow(a, c - 1) : c / ipow(a, 1 - c);
        d1 = h1 ? factor * g1[ia] : 0; d2 = h2 ? factor * g2[ia] : 0;
        break;
      }
      case POW: {
        const a = v[ia], c = t.c[i];
        val = Math.pow(a, c);
        const factor = c * Math.pow(a, c - 1);
        d1 = h1 ? factor * g1[ia] : 0; d2 = h2 ? factor * g2[ia] : 0;
        break;
      }
      default: {
        const a = v[ia], b = v[ib];
        const pa1 = t.d1[ia], pa2 = t.d2[ia], pb1 = t.d1[ib], pb2 = t.d2[ib];
        if (kind === ADD) {
          val = a + b;
          d1 = sum(pa1, g1[ia], pb1, g1[ib]); d2 = sum(pa2, g2[ia], pb2, g2[ib]);
        } else if (kind === SUB) {
          val = a - b;
          d1 = diff(pa1, g1[ia], pb1, g1[ib]); d2 = diff(pa2, g2[ia], pb2, g2[ib]);
        } else if (kind === MUL) {
          val = a * b;
          d1 = product(pa1, g1[ia], pb1, g1[ib], a, b); d2 = product(pa2, g2[ia], pb2, g2[ib], a, b);
        } else if (kind === DIV) {
          val = a / b;
          d1 = quotient(pa1, g1[ia], pb1, g1[ib], val, b); d2 = quotient(pa2, g2[ia], pb2, g2[ib], val, b);
        } else {
          val = Math.pow(a, b);
          const logA = Math.log(a);
          d1 = vpow(pa1, g1[ia], pb1, g1[ib], a, b, val, logA); d2 = vpow(pa2, g2[ia], pb2, g2[ib], a, b, val, logA);
        }
      }
    }
    v[i] = val; g1[i] = d1; g2[i] = d2;
  }
  const last = t.n - 1;
  out[0] = v[last]; out[1] = g1[last]; out[2] = g2[last];
  return out;
}

const sum = (hp, p, hq, q) => (!hp ? (hq ? q : 0) : !hq ? p : p + q);
const diff = (hp, p, hq, q) => (!hq ? (hp ? p : 0) : !hp ? -q : p - q);

function product(hp, p, hq, q, a, b) { // _add(p * b, a * q)
  if (!hp) return hq ? a * q : 0;
  return hq ? p * b + a * q : p * b;
}

function quotient(hp, p, hq, q, v, b) { // (da - v db) / b
  if (!hq) return hp ? p / b : 0;
  if (!hp) return -(v * q) / b;
  return (p - v * q) / b;
}

function vpow(hp, p, hq, q, a, b, v, logA) { // v (db log a + b da / a)
  if (!hp && !hq) return 0;
  if (!hp) return v * (q * logA);
  if (!hq) return v * ((b * p) / a);
  return v * (q * logA + (b * p) / a);
}
