// A teacher's own objective f(x1, x2): the port of trajectories/formula.py (the grammar, its messages, the
// canonical text, LaTeX, the flat list of operations and its forward-mode gradient) and of the formula part of
// objectives.py (minima, saddles, window, levels, a quadratic's Hessian). No DOM, no eval: the text is read by a
// recursive-descent parser and run by a small interpreter.
//
// Every operation follows Python's in the same order, so the two engines agree to the last bit wherever only
// + - * / and sqrt are used (an integer power is repeated multiplication on both sides); Math.exp, Math.log,
// Math.sin, Math.pow, ... may differ from numpy in the last bit. js/test/formula.json (made by
// js/test/make_formula_golden.py) checks both, and the limits and names below against Python's.

export const LIMITS = Object.freeze({ maxLength: 500, maxDepth: 32, maxNodes: 200, maxNumbers: 50, maxExponent: 100,
  messageEcho: 80 });
export const FUNCTIONS = Object.freeze(["exp", "log", "sqrt", "sin", "cos", "tan", "tanh", "sinh", "cosh", "atan",
  "abs"]);
const ALIASES = Object.freeze({ ln: "log", arctan: "atan", x: "x1", y: "x2", x_1: "x1", x_2: "x2" });
const CONSTANTS = Object.freeze({ pi: Math.PI, e: Math.E });
const UNICODE = Object.freeze({ "\u2212": "-", "\u00d7": "*", "\u00b7": "*", "\u22c5": "*" });
const SUPERSCRIPTS = Object.freeze({ "\u00b2": 2, "\u00b3": 3 });
const SPACE = " \t\n\r\u00a0";
const PREFIX = /^[ \t\n\r\u00a0]*f[ \t\n\r\u00a0]*(?:\([ \t\n\r\u00a0]*(?:x1?|x_1)[ \t\n\r\u00a0]*,[ \t\n\r\u00a0]*(?:x2|y|x_2)[ \t\n\r\u00a0]*\))?[ \t\n\r\u00a0]*=/i;
const OPERAND = "a number, x1, x2, a function or '('";
const DIGIT = /^[0-9]$/, NAME_START = /^[A-Za-z_]$/, NAME_CHAR = /^[A-Za-z0-9_\u2080-\u2089]$/;

/** A formula that cannot be read, in one line: `f = x1^2 + * x2: expected ... at position 8`. */
export class FormulaError extends Error {
  constructor(message) {
    super(message);
    this.name = "FormulaError";
  }
}

const isAccepted = (c) => c in UNICODE || c in SUPERSCRIPTS || (c >= "\u2080" && c <= "\u2089") || c === "\u03c0";

/** formula.echo: the text on one line, at most 80 characters, printable ASCII and the characters read, else '?'. */
export function echo(chars) {
  const shown = chars.map((c) => (SPACE.includes(c) ? " " : (c >= " " && c <= "~") || isAccepted(c) ? c : "?"));
  const n = LIMITS.messageEcho;
  return shown.length <= n ? shown.join("") : `${shown.slice(0, n - 3).join("")}...`;
}

function fail(chars, what, pos, hint = "") {
  const where = pos == null ? "" : pos > chars.length ? " at the end" : ` at position ${pos}`;
  return new FormulaError(`f = ${echo(chars)}: ${what}${where}${hint ? `; ${hint}` : ""}`);
}

function describe(c) {
  const code = c.codePointAt(0);
  if (c > " " && c <= "~") return `'${c}'`;
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")}${code < 128 ? "" : " (not ASCII)"}`;
}

// ---- reading ----------------------------------------------------------------------------------------------------

class Lexer {
  constructor(chars) {
    this.chars = chars;
    this.i = 0;
  }

  next() {
    const s = this.chars, n = s.length;
    while (this.i < n && SPACE.includes(s[this.i])) this.i += 1;
    if (this.i >= n) return { kind: "end", text: "", pos: n + 1, value: 0 };
    const i = this.i, c = s[i];
    if (DIGIT.test(c) || (c === "." && i + 1 < n && DIGIT.test(s[i + 1]))) {
      let j = i;
      while (j < n && DIGIT.test(s[j])) j += 1;
      if (j < n && s[j] === ".") {
        j += 1;
        while (j < n && DIGIT.test(s[j])) j += 1;
      }
      if (j < n && (s[j] === "e" || s[j] === "E")) {
        let k = j + 1;
        if (k < n && (s[k] === "+" || s[k] === "-")) k += 1;
        if (k < n && DIGIT.test(s[k])) {
          while (k < n && DIGIT.test(s[k])) k += 1;
          j = k;
        }
      }
      this.i = j;
      const text = s.slice(i, j).join("");
      const value = Number(text);
      if (!Number.isFinite(value)) throw fail(s, `the number ${text.slice(0, 20)} is too large`, i + 1);
      return { kind: "num", text, pos: i + 1, value };
    }
    if (NAME_START.test(c)) {
      let j = i + 1;
      while (j < n && NAME_CHAR.test(s[j])) j += 1;
      this.i = j;
      const word = s.slice(i, j).map((ch) => (ch >= "\u2080" && ch <= "\u2089"
        ? String(ch.codePointAt(0) - 0x2080) : ch)).join("").toLowerCase();
      return { kind: "name", text: word, pos: i + 1, value: 0 };
    }
    if (c === "\u03c0") {
      this.i += 1;
      return { kind: "name", text: "pi", pos: i + 1, value: 0 };
    }
    if (c in SUPERSCRIPTS) {
      this.i += 1;
      return { kind: "sup", text: c, pos: i + 1, value: SUPERSCRIPTS[c] };
    }
    if (c === "*" && s[i + 1] === "*") {
      this.i += 2;
      return { kind: "op", text: "^", pos: i + 1, value: 0 };
    }
    const op = UNICODE[c] ?? c;
    if ("+-*/^()".includes(op) && op.length === 1) {
      this.i += 1;
      return { kind: "op", text: op, pos: i + 1, value: 0 };
    }
    throw fail(s, `unexpected character ${describe(c)}`, i + 1);
  }
}

const node = (kind, pos, fields = {}) => ({ kind, pos, a: null, b: null, value: 0, name: "", ...fields });

class Parser {
  constructor(chars) {
    this.chars = chars;
    this.lexer = new Lexer(chars);
    this.tok = this.lexer.next();
    this.nodes = 0;
    this.numbers = 0;
  }

  advance() {
    const tok = this.tok;
    this.tok = this.lexer.next();
    return tok;
  }

  error(what, tok = null, hint = "") {
    return fail(this.chars, what, (tok ?? this.tok).pos, hint);
  }

  make(kind, pos, fields) {
    this.nodes += 1;
    if (this.nodes > LIMITS.maxNodes) {
      throw this.error(`the formula has more than ${LIMITS.maxNodes} numbers, names and operations`);
    }
    return node(kind, pos, fields);
  }

  deeper(depth) {
    if (depth >= LIMITS.maxDepth) throw this.error(`the formula is nested more than ${LIMITS.maxDepth} levels deep`);
    return depth + 1;
  }

  isOp(ops) {
    return this.tok.kind === "op" && ops.includes(this.tok.text);
  }

  parse() {
    const tree = this.expr(0);
    if (this.tok.kind !== "end") {
      throw this.error(this.isOp(")") ? "unmatched ')'" : "expected an operator or the end");
    }
    return tree;
  }

  expr(depth) {
    let left = this.term(depth);
    while (this.isOp("+-")) {
      const op = this.advance().text;
      left = this.make(op === "+" ? "add" : "sub", left.pos, { a: left, b: this.term(depth) });
    }
    return left;
  }

  term(depth) {
    let left = this.unary(depth);
    for (;;) {
      if (this.isOp("*/")) {
        const op = this.advance().text;
        left = this.make(op === "*" ? "mul" : "div", left.pos, { a: left, b: this.unary(depth) });
      } else if (this.tok.kind === "name" || this.isOp("(")) { // 2x1, 2 pi x1, 3(x1 + 1): an implicit product
        left = this.make("mul", left.pos, { a: left, b: this.unary(depth) });
      } else {
        return left;
      }
    }
  }

  unary(depth) {
    if (this.isOp("+-")) {
      const tok = this.advance();
      const operand = this.unary(this.deeper(depth));
      return tok.text === "-" ? this.make("neg", tok.pos, { a: operand }) : operand;
    }
    return this.power(depth);
  }

  power(depth) {
    const base = this.atom(depth);
    if (this.tok.kind === "sup") {
      const tok = this.advance();
      return this.make("pow", base.pos, { a: base, b: this.make("num", tok.pos, { value: tok.value }) });
    }
    if (this.isOp("^")) {
      this.advance();
      return this.make("pow", base.pos, { a: base, b: this.unary(this.deeper(depth)) });
    }
    return base;
  }

  atom(depth) {
    const tok = this.tok;
    if (tok.kind === "num") {
      this.numbers += 1;
      if (this.numbers > LIMITS.maxNumbers) throw this.error(`the formula has more than ${LIMITS.maxNumbers} numbers`);
      this.advance();
      return this.make("num", tok.pos, { value: tok.value });
    }
    if (tok.kind === "name") {
      const name = ALIASES[tok.text] ?? tok.text;
      this.advance();
      if (name === "x1" || name === "x2") return this.make("var", tok.pos, { name });
      if (Object.hasOwn(CONSTANTS, name)) return this.make("const", tok.pos, { name, value: CONSTANTS[name] });
      if (FUNCTIONS.includes(name)) {
        if (!this.isOp("(")) throw this.error(`expected '(' after ${name}`);
        this.advance();
        const arg = this.expr(this.deeper(depth));
        this.close();
        return this.make("call", tok.pos, { a: arg, name });
      }
      const shown = tok.text.length <= 20 ? tok.text : `${tok.text.slice(0, 17)}...`;
      throw this.error(`unknown name '${shown}'`, tok,
        `the names are x1, x2, pi, e and the functions ${FUNCTIONS.join(", ")}`);
    }
    if (this.isOp("(")) {
      this.advance();
      const inner = this.expr(this.deeper(depth));
      this.close();
      return inner;
    }
    throw this.error(`expected ${OPERAND}`);
  }

  close() {
    if (!this.isOp(")")) throw this.error("expected an operator or ')'");
    this.advance();
  }
}

// ---- printing ---------------------------------------------------------------------------------------------------

/** formula.number_text: the shortest text that reads back as x, in Python's repr layout (0.1, 2, 1e-6, 1.5e20). */
export function numberText(x) {
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const [mantissa, e] = x.toExponential().split("e");
  const exp = Number(e);
  const sign = mantissa.startsWith("-") ? "-" : "";
  const digits = mantissa.replace("-", "").replace(".", "");
  if (exp < -4 || exp >= 16) return `${sign}${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ""}e${exp}`;
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  const whole = digits.slice(0, exp + 1).padEnd(exp + 1, "0"), frac = digits.slice(exp + 1);
  return `${sign}${whole}${frac ? `.${frac}` : ""}`;
}

const PREC = { add: 1, sub: 1, mul: 2, div: 2, neg: 3, pow: 4 };
const prec = (n) => PREC[n.kind] ?? 5;

/** formula.canonical: the tree in the one form kept in lessons and links, `0.1*x1^2 + 2*x2^2`. */
export function canonical(n) {
  const k = n.kind;
  if (k === "num") return numberText(n.value);
  if (k === "var" || k === "const") return n.name;
  if (k === "call") return `${n.name}(${canonical(n.a)})`;
  if (k === "neg") return `-${wrap(n.a, prec(n.a) <= 3)}`;
  if (k === "pow") return `${wrap(n.a, prec(n.a) < 5)}^${wrap(n.b, prec(n.b) < 4)}`;
  const left = wrap(n.a, prec(n.a) < PREC[k]);
  const right = wrap(n.b, prec(n.b) <= PREC[k] || n.b.kind === "neg");
  if (k === "add" || k === "sub") return `${left} ${k === "add" ? "+" : "-"} ${right}`;
  return `${left}${k === "mul" ? "*" : "/"}${right}`;
}

function wrap(n, paren) {
  const text = canonical(n);
  return paren ? `(${text})` : text;
}

const LATEX_CALLS = { exp: "\\exp", log: "\\log", sin: "\\sin", cos: "\\cos", tan: "\\tan", tanh: "\\tanh",
  sinh: "\\sinh", cosh: "\\cosh", atan: "\\arctan" };

function latexNumber(x) {
  const text = numberText(x);
  const [mantissa, exponent] = text.split("e");
  if (exponent === undefined) return text;
  return mantissa === "1" ? `10^{${exponent}}` : `${mantissa} \\times 10^{${exponent}}`;
}

/** formula.latex: the tree as LaTeX, `0.1\,x_1^2 + 2\,x_2^2`. */
export function latex(n) {
  const k = n.kind;
  if (k === "num") return latexNumber(n.value);
  if (k === "var") return `x_${n.name[1]}`;
  if (k === "const") return n.name === "pi" ? "\\pi" : "e";
  if (k === "call") {
    if (n.name === "sqrt") return `\\sqrt{${latex(n.a)}}`;
    if (n.name === "abs") return `\\left|${latex(n.a)}\\right|`;
    return `${LATEX_CALLS[n.name]}(${latex(n.a)})`;
  }
  if (k === "neg") return `-${lwrap(n.a, ["add", "sub", "neg"].includes(n.a.kind))}`;
  if (k === "div") return `\\frac{${latex(n.a)}}{${latex(n.b)}}`;
  if (k === "pow") {
    const base = n.a;
    const plain = base.kind === "var" || base.kind === "const" || (base.kind === "num"
      && !numberText(base.value).includes("e")) || (base.kind === "call" && base.name === "abs");
    const exponent = latex(n.b);
    return `${lwrap(base, !plain)}^${exponent.length === 1 ? exponent : `{${exponent}}`}`;
  }
  if (k === "add" || k === "sub") {
    return `${latex(n.a)} ${k === "add" ? "+" : "-"} ${lwrap(n.b, ["add", "sub", "neg"].includes(n.b.kind))}`;
  }
  const left = lwrap(n.a, n.a.kind === "add" || n.a.kind === "sub");
  const right = lwrap(n.b, ["add", "sub", "neg"].includes(n.b.kind));
  let joint = " ";
  if (DIGIT.test(right[0]) || n.b.kind === "neg") joint = " \\cdot ";
  else if (leftmost(n.a).kind === "num" && (n.a.kind === "num" || n.a.kind === "pow")) joint = "\\,";
  return left + joint + right;
}

function lwrap(n, paren) {
  const text = latex(n);
  return paren ? `(${text})` : text;
}

function leftmost(n) {
  while (["add", "sub", "mul", "div", "pow"].includes(n.kind)) n = n.a;
  return n;
}

// ---- analysis of the tree -----------------------------------------------------------------------------------------

const CALLS = { exp: Math.exp, log: Math.log, sqrt: Math.sqrt, sin: Math.sin, cos: Math.cos, tan: Math.tan,
  tanh: Math.tanh, sinh: Math.sinh, cosh: Math.cosh, atan: Math.atan, abs: Math.abs };

function ipow(a, n) { // repeated squaring, in formula._ipow's order
  let result = null, base = a;
  while (n) {
    if (n & 1) result = result === null ? base : result * base;
    n >>= 1;
    if (n) base = base * base;
  }
  return result;
}

function power(a, c) {
  if (Number.isInteger(c)) {
    if (c === 0) return 1;
    return c > 0 ? ipow(a, c) : 1 / ipow(a, -c);
  }
  return Math.pow(a, c);
}

function fold(tree) { // formula.fold: the value of every subtree without variables, else null
  const out = new Map();
  const visit = (n) => {
    const a = n.a ? visit(n.a) : null, b = n.b ? visit(n.b) : null;
    let value;
    const k = n.kind;
    if (k === "num" || k === "const") value = n.value;
    else if (k === "var" || a === null || (n.b && b === null)) value = null;
    else if (k === "neg") value = -a;
    else if (k === "call") value = CALLS[n.name](a);
    else if (k === "add") value = a + b;
    else if (k === "sub") value = a - b;
    else if (k === "mul") value = a * b;
    else if (k === "div") value = a / b;
    else value = Number.isFinite(b) && Math.abs(b) <= LIMITS.maxExponent ? power(a, b) : NaN;
    out.set(n, value);
    return value;
  };
  visit(tree);
  return out;
}

function check(chars, n, constants) {
  for (const child of [n.a, n.b]) if (child) check(chars, child, constants);
  if (n.kind === "pow") {
    const c = constants.get(n.b);
    if (c !== null && Number.isFinite(c) && !(Math.abs(c) <= LIMITS.maxExponent)) {
      const m = LIMITS.maxExponent;
      throw fail(chars, `the exponent ${canonical(n.b).slice(0, 20)} is outside [-${m}, ${m}]`, n.b.pos);
    }
  }
  const c = constants.get(n);
  if (c !== null && !Number.isFinite(c)) {
    let shown = canonical(n);
    if (shown.length > 30) shown = `${shown.slice(0, 27)}...`;
    throw fail(chars, `the value of ${shown} is not finite`, n.pos);
  }
}

function degree(n, constants) { // formula.degree
  const k = n.kind;
  if (k === "num" || k === "const") return 0;
  if (k === "var") return 1;
  if (k === "neg") return degree(n.a, constants);
  if (k === "add" || k === "sub") return Math.max(degree(n.a, constants), degree(n.b, constants));
  if (k === "mul") return degree(n.a, constants) + degree(n.b, constants);
  if (k === "div") return degree(n.b, constants) === 0 ? degree(n.a, constants) : Infinity;
  if (k === "pow") {
    const base = degree(n.a, constants), c = constants.get(n.b);
    if (c === null) return Infinity;
    if (base === 0) return 0;
    return c >= 0 && Number.isInteger(c) ? base * c : Infinity;
  }
  return degree(n.a, constants) === 0 ? 0 : Infinity;
}

function variables(n, out = new Set()) {
  if (n.kind === "var") out.add(n.name);
  if (n.a) variables(n.a, out);
  if (n.b) variables(n.b, out);
  return out;
}

// ---- the flat list of operations ------------------------------------------------------------------------------

const CONST = 0, X1 = 1, X2 = 2, NEG = 3, CALL = 4, IPOW = 5, POW = 6, ADD = 7, SUB = 8, MUL = 9, DIV = 10, VPOW = 11;
const OP_NAMES = ["const", "x1", "x2", "neg", "call", "ipow", "pow", "add", "sub", "mul", "div", "vpow"];
const FN = Object.fromEntries(FUNCTIONS.map((f, i) => [f, i]));

function compileTape(tree, constants) { // formula.compile_tape
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
function runTape(t, x1, x2, out, r) {
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

// ---- the public face ----------------------------------------------------------------------------------------------

function strip(text) { // formula.strip: a leading "f =" and the spaces at either end
  const m = PREFIX.exec(text);
  const chars = Array.from(m ? text.slice(m[0].length) : text);
  let i = 0, j = chars.length;
  while (i < j && SPACE.includes(chars[i])) i += 1;
  while (j > i && SPACE.includes(chars[j - 1])) j -= 1;
  return chars.slice(i, j);
}

function codePoints(text) {
  let n = 0;
  for (const _ of text) n += 1; // eslint-disable-line no-unused-vars
  return n;
}

const CACHE = new Map(); // text -> Formula, the 256 last read
const CACHE_SIZE = 256;

/**
 * Read a formula (`"0.1*x1^2 + 2*x2^2"`), as formula.parse does; a bad one throws a FormulaError whose message is
 * Python's, word for word.
 *
 * @param {string} text
 * @returns {{text: string, latex: string, variables: string[], degree: number, quadratic: boolean, tape: object,
 *   f: (x1: number, x2: number) => number, grad: (x1: number, x2: number) => number[],
 *   valueAndGrad: (x1: number, x2: number, out?: Float64Array) => Float64Array}}
 */
export function parseFormula(text) {
  if (typeof text !== "string") {
    throw new FormulaError("The 'objective' parameter must be a name or a formula in x1 and x2 (a string). "
      + `Got ${text === null ? "NoneType" : typeof text} instead.`);
  }
  const cached = CACHE.get(text);
  if (cached) return cached;
  if (text.length > 4 * LIMITS.maxLength) {
    const n = codePoints(text);
    if (n > 4 * LIMITS.maxLength) {
      throw new FormulaError(`f = ${echo(Array.from(text.slice(0, 2 * (LIMITS.messageEcho + 1))).slice(0,
        LIMITS.messageEcho + 1))}: the formula has ${n} characters; at most ${LIMITS.maxLength}`);
    }
  }
  const chars = strip(text);
  if (chars.length > LIMITS.maxLength) {
    throw new FormulaError(`f = ${echo(chars)}: the formula has ${chars.length} characters; at most ${LIMITS.maxLength}`);
  }
  if (!chars.length) throw fail(chars, `expected ${OPERAND}`, 1);
  const tree = new Parser(chars).parse();
  const constants = fold(tree);
  check(chars, tree, constants);
  const formula = makeFormula(tree, constants);
  CACHE.set(text, formula);
  if (CACHE.size > CACHE_SIZE) CACHE.delete(CACHE.keys().next().value);
  return formula;
}

function makeFormula(tree, constants) {
  const tape = compileTape(tree, constants);
  const registers = { v: new Float64Array(tape.n), g1: new Float64Array(tape.n), g2: new Float64Array(tape.n) };
  const scratch = new Float64Array(3);
  const vars = variables(tree);
  const deg = degree(tree, constants);
  return Object.freeze({
    text: canonical(tree), latex: latex(tree), variables: ["x1", "x2"].filter((v) => vars.has(v)), degree: deg,
    quadratic: deg <= 2, tape,
    valueAndGrad: (x1, x2, out = new Float64Array(3)) => runTape(tape, x1, x2, out, registers),
    f: (x1, x2) => runTape(tape, x1, x2, scratch, registers)[0],
    grad: (x1, x2) => {
      runTape(tape, x1, x2, scratch, registers);
      return [scratch[1], scratch[2]];
    },
  });
}

/** formula.slug: a short, safe piece of a file name, a readable prefix and the FNV-1a hash of the canonical text. */
export function formulaSlug(text) {
  const canon = parseFormula(text).text;
  let readable = canon.replaceAll(" ", "").replace(/[^A-Za-z0-9.+-]+/g, "_").replace(/^[_.]+|[_.]+$/g, "");
  readable = readable.slice(0, 24).replace(/[_.]+$/, "");
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(canon)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return `${readable}-${h.toString(16).padStart(8, "0")}`;
}

// ---- the objective of a formula: objectives.from_formula ---------------------------------------------------------

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
    throw new FormulaError(`f = ${formula.text}: the formula has no finite value for x1 in [${pyG(box[0])}, `
      + `${pyG(box[1])}] and x2 in [${pyG(box[2])}, ${pyG(box[3])}]`);
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

function pyG(x) { // Python's f"{x:g}" for the window's ends in a message
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const exp = Math.floor(Math.log10(Math.abs(x)));
  if (exp < -4 || exp >= 6) {
    const [m, e] = x.toExponential(5).split("e");
    const mant = m.includes(".") ? m.replace(/0+$/, "").replace(/\.$/, "") : m;
    const n = Number(e);
    return `${mant}e${n < 0 ? "-" : "+"}${String(Math.abs(n)).padStart(2, "0")}`;
  }
  const text = x.toPrecision(6);
  return text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
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
