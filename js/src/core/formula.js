// A teacher's own objective f(x1, x2): the port of trajectories/formula.py. The text is read by a recursive-descent
// parser with Python's limits and Python's one-line messages (the same messages of the tables, core/i18n.js); the tree is written out by
// formula_text.js and run by formula_tape.js; formula_objective.js finds its minima, window and levels. No DOM, no
// eval.
//
// Every operation follows Python's in the same order, so the two engines agree to the last bit wherever only
// + - * / and sqrt are used (an integer power is repeated multiplication on both sides); Math.exp, Math.log,
// Math.sin, Math.pow, ... may differ from numpy in the last bit. js/test/formula.json (made by
// js/test/make_formula_golden.py) checks both, and the limits and names below against Python's.
import { message } from "./i18n.js";
import { canonical, latex, mathml } from "./formula_text.js";
import { CALLS, FUNCTIONS, compileTape, power, runTape, tapeCost } from "./formula_tape.js";

export { FUNCTIONS } from "./formula_tape.js";
export { numberText } from "./formula_text.js";

export const LIMITS = Object.freeze({ maxLength: 500, maxDepth: 32, maxNodes: 200, maxNumbers: 50, maxExponent: 100,
  messageEcho: 80 });
const ALIASES = Object.freeze({ ln: "log", arctan: "atan", x: "x1", y: "x2", x_1: "x1", x_2: "x2" });
const CONSTANTS = Object.freeze({ pi: Math.PI, e: Math.E });
const UNICODE = Object.freeze({ "\u2212": "-", "\u00d7": "*", "\u00b7": "*", "\u22c5": "*" });
const SUPERSCRIPTS = Object.freeze({ "\u00b2": 2, "\u00b3": 3 });
const SPACE = " \t\n\r\u00a0";
const PREFIX = /^[ \t\n\r\u00a0]*f[ \t\n\r\u00a0]*(?:\([ \t\n\r\u00a0]*(?:x1?|x_1)[ \t\n\r\u00a0]*,[ \t\n\r\u00a0]*(?:x2|y|x_2)[ \t\n\r\u00a0]*\))?[ \t\n\r\u00a0]*=/i;
const DIGIT = /^[0-9]$/, NAME_START = /^[A-Za-z_]$/, NAME_CHAR = /^[A-Za-z0-9_\u2080-\u2089]$/;

/**
 * A formula that cannot be read, in one line: `f = x1^2 + * x2: expected ... at position 8`. Its `note` is the
 * message of the tables ({key, params}, formula.FormulaError's), which the page says in its language (t.note);
 * its `message` is the key.
 */
export class FormulaError extends Error {
  constructor(key, params = {}) {
    super(key);
    this.name = "FormulaError";
    this.note = message(key, params);
  }
}

const isAccepted = (c) => c in UNICODE || c in SUPERSCRIPTS || (c >= "\u2080" && c <= "\u2089") || c === "\u03c0";

/** formula.echo: the text on one line, at most 80 characters, printable ASCII and the characters read, else '?'. */
export function echo(chars) {
  const shown = chars.map((c) => (SPACE.includes(c) ? " " : (c >= " " && c <= "~") || isAccepted(c) ? c : "?"));
  const n = LIMITS.messageEcho;
  return shown.length <= n ? shown.join("") : `${shown.slice(0, n - 3).join("")}...`;
}

function fail(chars, what, pos, hint = null) {
  const where = pos == null ? "" : pos > chars.length ? message("formula.at_end")
    : message("formula.at", { pos: String(pos) });
  return new FormulaError("formula.error", { formula: echo(chars), what, where,
    hint: hint ? message("formula.hint", { hint }) : "" });
}

function describe(c) {
  const code = c.codePointAt(0);
  if (c > " " && c <= "~") return `'${c}'`;
  const text = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  return code < 128 ? text : message("formula.not_ascii", { code: text });
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
      if (!Number.isFinite(value)) throw fail(s, message("formula.too_large", { number: text.slice(0, 20) }), i + 1);
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
    throw fail(s, message("formula.unexpected", { character: describe(c) }), i + 1);
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

  error(what, tok = null, hint = null) {
    return fail(this.chars, what, (tok ?? this.tok).pos, hint);
  }

  make(kind, pos, fields) {
    this.nodes += 1;
    if (this.nodes > LIMITS.maxNodes) {
      throw this.error(message("formula.too_many_nodes", { most: String(LIMITS.maxNodes) }));
    }
    return node(kind, pos, fields);
  }

  deeper(depth) {
    if (depth >= LIMITS.maxDepth) {
      throw this.error(message("formula.too_deep", { most: String(LIMITS.maxDepth) }));
    }
    return depth + 1;
  }

  isOp(ops) {
    return this.tok.kind === "op" && ops.includes(this.tok.text);
  }

  parse() {
    const tree = this.expr(0);
    if (this.tok.kind !== "end") {
      throw this.error(message(this.isOp(")") ? "formula.unmatched" : "formula.expected_end"));
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
      if (this.numbers > LIMITS.maxNumbers) {
        throw this.error(message("formula.too_many_numbers", { most: String(LIMITS.maxNumbers) }));
      }
      this.advance();
      return this.make("num", tok.pos, { value: tok.value });
    }
    if (tok.kind === "name") {
      const name = ALIASES[tok.text] ?? tok.text;
      this.advance();
      if (name === "x1" || name === "x2") return this.make("var", tok.pos, { name });
      if (Object.hasOwn(CONSTANTS, name)) return this.make("const", tok.pos, { name, value: CONSTANTS[name] });
      if (FUNCTIONS.includes(name)) {
        if (!this.isOp("(")) throw this.error(message("formula.expected_call", { name }));
        this.advance();
        const arg = this.expr(this.deeper(depth));
        this.close();
        return this.make("call", tok.pos, { a: arg, name });
      }
      const shown = tok.text.length <= 20 ? tok.text : `${tok.text.slice(0, 17)}...`;
      throw this.error(message("formula.unknown_name", { name: shown }), tok,
        message("formula.names", { functions: FUNCTIONS.join(", ") }));
    }
    if (this.isOp("(")) {
      this.advance();
      const inner = this.expr(this.deeper(depth));
      this.close();
      return inner;
    }
    throw this.error(message("formula.expected_operand"));
  }

  close() {
    if (!this.isOp(")")) throw this.error(message("formula.expected_close"));
    this.advance();
  }
}

// ---- analysis of the tree -----------------------------------------------------------------------------------------

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
      {
        throw fail(chars, message("formula.exponent", { exponent: canonical(n.b).slice(0, 20), most: String(m) }), n.b.pos);
      }
    }
  }
  const c = constants.get(n);
  if (c !== null && !Number.isFinite(c)) {
    let shown = canonical(n);
    if (shown.length > 30) shown = `${shown.slice(0, 27)}...`;
    throw fail(chars, message("formula.not_finite", { part: shown }), n.pos);
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
 * @returns {{text: string, latex: string, mathml: string, variables: string[], degree: number, quadratic: boolean,
 *   tape: object, cost: number, f: (x1: number, x2: number) => number, grad: (x1: number, x2: number) => number[],
 *   gradInto: (x1: number, x2: number, g: Float64Array) => void,
 *   valueAndGrad: (x1: number, x2: number, out?: Float64Array) => Float64Array}}
 */
export function parseFormula(text) {
  if (typeof text !== "string") {
    throw new FormulaError("formula.not_text", { type: text === null ? "NoneType" : typeof text });
  }
  const cached = CACHE.get(text);
  if (cached) return cached;
  if (text.length > 4 * LIMITS.maxLength) {
    const n = codePoints(text);
    if (n > 4 * LIMITS.maxLength) {
      throw new FormulaError("formula.error", { formula: echo(Array.from(text.slice(0, 2 * (LIMITS.messageEcho + 1)))
        .slice(0, LIMITS.messageEcho + 1)), what: message("formula.too_long", { count: String(n),
        most: String(LIMITS.maxLength) }), where: "", hint: "" });
    }
  }
  const chars = strip(text);
  if (chars.length > LIMITS.maxLength) {
    throw new FormulaError("formula.error", { formula: echo(chars), what: message("formula.too_long",
      { count: String(chars.length), most: String(LIMITS.maxLength) }), where: "", hint: "" });
  }
  if (!chars.length) throw fail(chars, message("formula.expected_operand"), 1);
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
    text: canonical(tree), latex: latex(tree), mathml: mathml(tree), variables: ["x1", "x2"].filter((v) => vars.has(v)),
    degree: deg, quadratic: deg <= 2, tape, cost: tapeCost(tape),
    valueAndGrad: (x1, x2, out = new Float64Array(3)) => runTape(tape, x1, x2, out, registers),
    /** The gradient into g[0], g[1] (the engine's kernels call this every step). */
    gradInto: (x1, x2, g) => {
      runTape(tape, x1, x2, scratch, registers);
      g[0] = scratch[1];
      g[1] = scratch[2];
    },
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
