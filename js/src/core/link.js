// A lesson's link, read and written exactly as Python does: the port of trajectories/lesson.py's Lesson.from_query
// and Lesson.to_query, for the page that runs without Python. Pure, no DOM, importable by Node as it is.
//
// Python stays the reference and every fact comes from it: the names, limits and spec table from state.config(),
// the Unicode tables (which characters Python calls whitespace, decimal digits or printable, and how it
// lower-cases) from the generated block at the end of this file. js/test/links.json, made by Python, proves the
// port: the same lesson and the same notes, word for word, for thousands of hostile links.
import { pyG, pyRepr } from "./format.js";

const SEED_HIGH = 2n ** 32n - 1n; // Lesson's seed range, which its message writes "[0, 2**32)"
const MAX_INT_DIGITS = 4300; // int() refuses longer decimal text (sys.int_info.default_max_str_digits)
const TRUE_WORDS = ["1", "true", "on", "yes"], FALSE_WORDS = ["0", "false", "off", "no"]; // lesson._hyper

/** A value the lesson does not take: its message becomes the note. */
class Refusal extends Error {}

function refuse(message) {
  throw new Refusal(message);
}

// --- Python's text --------------------------------------------------------------------------------------------

let unicode = null; // the decoded tables, on first use

// [start, end) runs of code points from the generated "gap,length" pairs (hexadecimal).
function decodeSet(text) {
  const numbers = text.split(",").map((v) => parseInt(v, 16));
  const starts = new Int32Array(numbers.length / 2), ends = new Int32Array(numbers.length / 2);
  let end = 0;
  for (let i = 0; i < starts.length; i++) {
    starts[i] = end + numbers[2 * i];
    end = ends[i] = starts[i] + numbers[2 * i + 1];
  }
  return { starts, ends };
}

function decodeLower(text) {
  const numbers = text.split(",").map((v) => parseInt(v, 16));
  const n = numbers.length / 4;
  const starts = new Int32Array(n), counts = new Int32Array(n), strides = new Int32Array(n), deltas = new Int32Array(n);
  let start = 0;
  for (let i = 0; i < n; i++) {
    start = starts[i] = start + numbers[4 * i];
    counts[i] = numbers[4 * i + 1];
    strides[i] = numbers[4 * i + 2];
    deltas[i] = numbers[4 * i + 3];
  }
  return { starts, counts, strides, deltas };
}

function tables() {
  unicode ??= {
    space: decodeSet(TABLES.space), decimal: decodeSet(TABLES.decimal), unprintable: decodeSet(TABLES.unprintable),
    caseIgnorable: decodeSet(TABLES.caseIgnorable), cased: decodeSet(TABLES.cased), lower: decodeLower(TABLES.lower),
    lowerSpecial: new Map(Object.entries(TABLES.lowerSpecial).map(([k, v]) => [parseInt(k, 16), v])),
  };
  return unicode;
}

// The last index i with starts[i] <= c, or -1.
function lastAtOrBelow(starts, c) {
  let lo = 0, hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid] <= c) lo = mid + 1; else hi = mid;
  }
  return lo - 1;
}

function within(set, c) {
  const i = lastAtOrBelow(set.starts, c);
  return i >= 0 && c < set.ends[i];
}

function isSpace(c) {
  return within(tables().space, c);
}

// Py_UNICODE_TODECIMAL: the digit's value, or -1. Each run of decimal digits counts 0 to 9 (checked by Python).
function decimalValue(c) {
  const { decimal } = tables();
  const i = lastAtOrBelow(decimal.starts, c);
  return i >= 0 && c < decimal.ends[i] ? (c - decimal.starts[i]) % 10 : -1;
}

function lowerOne(c) {
  const { lower, lowerSpecial } = tables();
  const special = lowerSpecial.get(c);
  if (special !== undefined) return special;
  const i = lastAtOrBelow(lower.starts, c);
  if (i >= 0) {
    const offset = c - lower.starts[i];
    if (offset % lower.strides[i] === 0 && offset / lower.strides[i] < lower.counts[i]) {
      return String.fromCodePoint(c + lower.deltas[i]);
    }
  }
  return String.fromCodePoint(c);
}

// Python's Final_Sigma rule for the Σ at i: a cased character before it and none after, skipping case-ignorable ones.
function finalSigma(codes, i) {
  const { caseIgnorable, cased } = tables();
  let j = i - 1;
  while (j >= 0 && within(caseIgnorable, codes[j])) j--;
  let final = j >= 0 && within(cased, codes[j]);
  if (final && i + 1 < codes.length) {
    j = i + 1;
    while (j < codes.length && within(caseIgnorable, codes[j])) j++;
    final = j === codes.length || !within(cased, codes[j]);
  }
  return final;
}

/** Python's str.lower(): full Unicode lower-casing (İ becomes two characters) and the final-sigma rule. */
export function pyLower(s) {
  if (/^[\x00-\x7f]*$/.test(s)) return s.toLowerCase();
  const codes = Array.from(s, (ch) => ch.codePointAt(0));
  return codes.map((c, i) => (c === 0x3a3 ? (finalSigma(codes, i) ? "ς" : "σ") : lowerOne(c))).join("");
}

/** Python's str.strip(): its whitespace includes \x1c-\x1f and \x85 and leaves out \ufeff, unlike trim(). */
export function pyStrip(s) {
  let start = 0, end = s.length;
  while (start < end && isSpace(s.charCodeAt(start))) start++;
  while (end > start && isSpace(s.charCodeAt(end - 1))) end--;
  return s.slice(start, end);
}

function hex(c, width) {
  return c.toString(16).padStart(width, "0");
}

/** Python's repr() of a str: quotes as Python picks them, escapes for what str.isprintable() calls unprintable. */
export function pyStrRepr(s) {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (ch === quote || ch === "\\") out += `\\${ch}`;
    else if (ch === "\t") out += "\\t";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (c < 0x20 || c === 0x7f) out += `\\x${hex(c, 2)}`;
    else if (c < 0x7f || !within(tables().unprintable, c)) out += ch;
    else if (c <= 0xff) out += `\\x${hex(c, 2)}`;
    else if (c <= 0xffff) out += `\\u${hex(c, 4)}`;
    else out += `\\U${hex(c, 8)}`;
  }
  return out + quote;
}

/** Python's repr() of a float: 0.0, 20.0, 1e-05, 1e+16, nan, -inf. */
export function pyFloatRepr(x) {
  const text = pyRepr(x);
  return /^-?\d+$/.test(text) ? `${text}.0` : text;
}

function pyValueRepr(value) {
  if (typeof value === "boolean") return value ? "True" : "False";
  return typeof value === "string" ? pyStrRepr(value) : pyFloatRepr(value);
}

// What int() and float() read: other scripts' decimal digits become ASCII digits and non-ASCII whitespace a space;
// any other non-ASCII character makes the text no number (null). (CPython's
// _PyUnicode_TransformDecimalAndSpaceToASCII; ASCII passes as it is, so \x1c is not a space here.)
function asciiNumber(s) {
  if (/^[\x00-\x7f]*$/.test(s)) return s;
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (c < 0x7f) {
      out += ch;
    } else if (isSpace(c)) {
      out += " ";
    } else {
      const digit = decimalValue(c);
      if (digit < 0) return null;
      out += String(digit);
    }
  }
  return out;
}

const INT = /^[ \t\n\v\f\r]*([+-]?)([0-9](?:_?[0-9])*)[ \t\n\v\f\r]*$/;
const FLOAT = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const INF_NAN = /^([+-]?)(inf|infinity|nan)$/i;

/** Python's int(text) as a BigInt, or null where int() raises ValueError. */
export function pyInt(text) {
  const ascii = asciiNumber(text);
  const match = ascii === null ? null : INT.exec(ascii);
  if (!match) return null;
  const digits = match[2].replaceAll("_", "");
  if (digits.length > MAX_INT_DIGITS) return null;
  return match[1] === "-" ? -BigInt(digits) : BigInt(digits);
}

/** Python's float(text), or null where float() raises ValueError. */
export function pyFloat(text) {
  let ascii = asciiNumber(text);
  if (ascii === null) return null;
  if (ascii.includes("_")) { // one underscore at a time, between two digits
    if (/(?:^|[^0-9])_|_(?:$|[^0-9])/.test(ascii)) return null;
    ascii = ascii.replaceAll("_", "");
  }
  ascii = ascii.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, "");
  if (FLOAT.test(ascii)) return Number(ascii); // correctly rounded, as Python's dtoa
  const special = INF_NAN.exec(ascii);
  if (!special) return null;
  if (special[2].toLowerCase() === "nan") return NaN;
  return special[1] === "-" ? -Infinity : Infinity;
}

// --- the query string, as urllib.parse reads and writes it -----------------------------------------------------

const UTF8 = new TextDecoder("utf-8", { ignoreBOM: true }); // Python keeps a leading BOM; errors become U+FFFD

function percentDecoded(run) { // urllib.parse.unquote_to_bytes of ASCII text
  const bytes = [];
  const push = (text) => { for (let i = 0; i < text.length; i++) bytes.push(text.charCodeAt(i)); };
  const [first, ...rest] = run.split("%");
  push(first);
  for (const item of rest) {
    if (/^[0-9A-Fa-f]{2}/.test(item)) {
      bytes.push(parseInt(item.slice(0, 2), 16));
      push(item.slice(2));
    } else {
      push(`%${item}`);
    }
  }
  return UTF8.decode(Uint8Array.from(bytes));
}

// urllib.parse.unquote: each run of ASCII is percent-decoded and read as UTF-8 on its own; other characters pass.
function unquote(s) {
  return s.includes("%") ? s.replace(/[\x00-\x7f]+/g, percentDecoded) : s;
}

// parse_qsl(query, keep_blank_values=True) into a Map: keys stripped, the last value of a key wins, and the keys
// keep the order of their first appearance, as the dict of lesson._items.
function queryItems(query) {
  const items = new Map();
  for (const field of query.replace(/^\?+/, "").split("&")) {
    if (!field) continue;
    const eq = field.indexOf("=");
    const [name, value] = eq < 0 ? [field, ""] : [field.slice(0, eq), field.slice(eq + 1)];
    items.set(pyStrip(unquote(name.replaceAll("+", " "))), unquote(value.replaceAll("+", " ")));
  }
  return items;
}

const ALWAYS_SAFE = /[A-Za-z0-9_.\-~,]/; // urllib.parse's always-safe characters and urlencode(safe=",")
const UTF8_OUT = new TextEncoder();

// quote_plus(text, safe=","): UTF-8 bytes, a space as "+", upper-case escapes.
function quotePlus(text) {
  let out = "";
  for (const byte of UTF8_OUT.encode(text)) {
    const ch = String.fromCharCode(byte);
    if (byte < 0x80 && ALWAYS_SAFE.test(ch)) out += ch;
    else if (ch === " ") out += "+";
    else out += `%${hex(byte, 2).toUpperCase()}`;
  }
  return out;
}

// --- the lesson's checks, with its messages ---------------------------------------------------------------------

function checkName(value, parameter, allowed) { // specs.check_name
  if (allowed.includes(value)) return value;
  return refuse(`The '${parameter}' parameter must be one of ${allowed.map(pyStrRepr).join(", ")}. `
    + `Got ${pyStrRepr(value)} instead.`);
}

function checkInt(value, parameter, low, high, bound = `[${low}, ${high}]`) { // specs.check_int, for a BigInt
  if (value >= low && value <= high) return value;
  return refuse(`The '${parameter}' parameter must be an integer in the range ${bound}. Got ${value} instead.`);
}

function checkGeneral(config, key, value) { // objectives.check_general, for one finite float
  const { low, high } = config.general[key];
  if (value >= low && value <= high) return value;
  return refuse(`The '${key}' parameter of general must be a float in the range [${low}, ${high}]. `
    + `Got ${pyFloatRepr(value)} instead.`);
}

function checkValue(rule, name, spec, value) { // specs.check_value, for one value
  if (Array.isArray(spec.choices)) {
    if (spec.choices.includes(value) && typeof value === typeof spec.default) return value;
    return refuse(`The '${name}' parameter of ${rule} must be one of ${spec.choices.map(pyValueRepr).join(", ")}. `
      + `Got ${pyValueRepr(value)} instead.`);
  }
  const where = `The '${name}' parameter of ${rule} must be a float in the range [${pyG(spec.low)}, ${pyG(spec.high)}]`;
  if (typeof value === "string") return refuse(`${where}. Got ${pyStrRepr(value)} instead.`);
  if (!(value >= spec.low && value <= spec.high)) return refuse(`${where}. Got ${pyG(value)} instead.`);
  return value;
}

function parseInt_(raw, key) { // lesson._int
  const value = pyInt(raw);
  return value === null ? refuse(`The '${key}' parameter must be an integer. Got ${pyStrRepr(raw)} instead.`) : value;
}

function parseFloat_(raw, key) { // lesson._float
  const value = pyFloat(raw);
  if (value === null || !Number.isFinite(value)) {
    refuse(`The '${key}' parameter must be a finite number. Got ${pyStrRepr(raw)} instead.`);
  }
  return value;
}

function parsePair(raw, key) { // specs.parse_pair
  const parts = raw.split(",");
  const values = parts.length === 2 ? parts.map(pyFloat) : [null];
  if (values.includes(null)) refuse(`The '${key}' parameter must be two numbers x1,x2. Got ${pyStrRepr(raw)} instead.`);
  return values;
}

function hyperValue(spec, raw) { // lesson._hyper: what check_value is given for the link's text
  if (Array.isArray(spec.choices) && spec.choices.length === 2 && spec.choices[0] === true
    && spec.choices[1] === false) {
    const word = pyLower(raw);
    if (TRUE_WORDS.includes(word)) return true;
    if (FALSE_WORDS.includes(word)) return false;
    return raw;
  }
  if (Array.isArray(spec.choices)) return raw;
  const value = pyFloat(raw);
  return value === null ? raw : value;
}

function capped(config, steps) { // lesson._capped
  return `Capped steps=${steps} at ${config.pageSteps}: the page runs at most ${config.pageSteps} steps, the steps `
    + `slider's range (the command line and the Python API take up to ${config.maxSteps}).`;
}

// The spec table of a rule under a convention; a name that table does not hold (own keys only: "constructor").
const specsOf = (config, rule, convention) => config.specs[convention][rule];
const takes = (config, rule, convention, name) => Object.hasOwn(specsOf(config, rule, convention), name);

/**
 * Read a link as Lesson.from_query(query, ignore=ignore) does; never throws.
 *
 * Every value goes through the lesson's checks; a bad one is dropped with Python's note and the default kept;
 * steps past config.pageSteps are capped with a note. Keys in `ignore` are dropped silently.
 *
 * @param {object} config state.config(): rules, conventions, objectives, specs, limits and the default lesson
 * @param {string} query the link's query string, with or without its "?"
 * @param {{ignore?: string[]}} [options]
 * @returns {{lesson: object, notes: string[]}} the lesson in state.lesson_state()'s plain form
 */
export function fromQuery(config, query, { ignore = [] } = {}) {
  const base = config.defaultLesson;
  if (query !== null && query !== undefined && typeof query !== "string") {
    const lesson = fromQuery(config, "").lesson;
    return { lesson, notes: ["Ignored the link: it must be a query string such as 'optimizer=rmsprop&eta=0.4'. "
      + `Got ${String(query)} instead.`] };
  }
  const items = queryItems(query ?? "");
  for (const key of ignore) items.delete(key);
  const pop = (key) => {
    const value = items.get(key);
    items.delete(key);
    return value;
  };
  const notes = [];
  const kw = {}; // the settings accepted so far
  const take = (key, parse, check) => {
    if (!items.has(key)) return;
    const raw = pop(key);
    try {
      kw[key] = check(parse(raw, key));
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      notes.push(`Ignored ${key}=${pyStrRepr(raw)}: ${error.message}`);
    }
  };

  let optimizers = [...base.optimizers];
  if (items.has("optimizer")) {
    const names = pop("optimizer").split(",").filter((n) => pyStrip(n)).map((n) => pyLower(pyStrip(n)));
    const listed = [...new Set(names)];
    const known = listed.filter((n) => config.rules.includes(n));
    for (const n of listed) {
      if (!config.rules.includes(n)) {
        notes.push(`Ignored optimizer ${pyStrRepr(n)}: it must be one of ${config.rules.join(", ")}.`);
      }
    }
    const most = config.maxOptimizers;
    if (known.length > most) {
      notes.push(`Ignored optimizers beyond the first ${most}: the app shows at most ${most} at once.`);
    }
    if (known.length) optimizers = known.slice(0, most);
  }
  take("convention", pyStrip, (v) => checkName(v, "convention", config.conventions));
  take("objective", pyStrip, (v) => checkName(v, "objective", Object.keys(config.objectives)));
  if (items.has("steps")) { // capped first, so a link cannot make the page compute for long
    const asked = pyInt(items.get("steps"));
    if (asked !== null && asked > BigInt(config.pageSteps)) {
      notes.push(capped(config, asked));
      items.set("steps", String(config.pageSteps));
    }
  }
  take("steps", parseInt_, (v) => checkInt(v, "steps", 1n, BigInt(config.maxSteps)));
  take("seed", parseInt_, (v) => checkInt(v, "seed", 0n, SEED_HIGH, "[0, 2**32)"));
  take("start", parsePair, ([x, y]) => {
    if (Math.abs(x) <= config.bound && Math.abs(y) <= config.bound) return [x, y];
    return refuse(`The 'start' parameter must be a pair of finite floats (x1, x2) with |x1|, |x2| <= `
      + `${pyG(config.bound)}. Got (${pyFloatRepr(x)}, ${pyFloatRepr(y)}) instead.`);
  });
  for (const key of ["condition", "angle"]) {
    if (kw.objective === "general") take(key, parseFloat_, (v) => checkGeneral(config, key, v));
    else if (items.has(key)) notes.push(`Ignored ${key}=${pyStrRepr(pop(key))}: it only applies to objective=general.`);
  }

  const convention = kw.convention ?? base.convention;
  const given = new Map(optimizers.map((name) => [name, new Map()]));
  for (const key of [...items.keys()]) {
    const raw = pop(key);
    const dot = key.lastIndexOf(".");
    const target = dot < 0 ? "" : key.slice(0, dot), name = key.slice(dot + 1);
    const ignored = `Ignored ${key}=${pyStrRepr(raw)}`;
    if (target && !optimizers.includes(target)) {
      notes.push(`${ignored}: ${target} is not among the optimizers shown (${optimizers.join(", ")}).`);
      continue;
    }
    const targets = target ? [target] : optimizers;
    const takers = targets.filter((t) => takes(config, t, convention, name));
    if (!takers.length) {
      const other = targets.filter((t) => config.conventions.some((c) => c !== convention
        && takes(config, t, c, name)));
      notes.push(other.length
        ? `${ignored}: ${other[0]} takes ${pyStrRepr(name)} only under convention=`
          + `${convention === "d2l" ? "torch" : "d2l"}.`
        : `${ignored}: no optimizer shown takes a parameter named ${pyStrRepr(name)}.`);
      continue;
    }
    for (const t of takers) {
      const spec = specsOf(config, t, convention)[name];
      try {
        given.get(t).set(name, checkValue(t, name, spec, hyperValue(spec, raw)));
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        notes.push(`${ignored}: ${error.message}`);
        break;
      }
    }
  }

  const hyperparameters = {};
  for (const name of optimizers) {
    hyperparameters[name] = Object.fromEntries(Object.entries(specsOf(config, name, convention))
      .map(([key, spec]) => [key, given.get(name).has(key) ? given.get(name).get(key) : spec.default]));
  }
  const lesson = {
    optimizers, hyperparameters, objective: kw.objective ?? base.objective, condition: kw.condition ?? base.condition,
    angle: kw.angle ?? base.angle, start: kw.start ?? [...base.start],
    steps: kw.steps === undefined ? base.steps : Number(kw.steps), convention,
    seed: kw.seed === undefined ? base.seed : Number(kw.seed),
  };
  return { lesson, notes };
}

// lesson._fmt: the shortest exact text of a value, "20" for 20.0, "true" for True.
function fmt(value) {
  if (typeof value === "boolean") return value ? "true" : "false";
  return typeof value === "number" ? pyRepr(value) : String(value);
}

/**
 * The link of a lesson, byte for byte as Lesson.to_query() writes it: every hyperparameter spelled out (prefixed
 * by its optimizer when several are shown); convention, seed and start when not the default.
 *
 * @param {object} config state.config()
 * @param {object} lesson a lesson in state.lesson_state()'s plain form
 * @returns {string} the query string, without "?"
 */
export function toQuery(config, lesson) {
  const base = config.defaultLesson;
  const q = [["optimizer", lesson.optimizers.join(",")], ["objective", lesson.objective],
    ["steps", String(lesson.steps)]];
  if (lesson.convention !== base.convention) q.push(["convention", lesson.convention]);
  if (lesson.seed !== base.seed) q.push(["seed", String(lesson.seed)]);
  if (lesson.objective === "general") q.push(["condition", fmt(lesson.condition)], ["angle", fmt(lesson.angle)]);
  if (lesson.start[0] !== base.start[0] || lesson.start[1] !== base.start[1]) {
    q.push(["start", `${fmt(lesson.start[0])},${fmt(lesson.start[1])}`]);
  }
  const several = lesson.optimizers.length > 1;
  for (const name of lesson.optimizers) {
    const values = lesson.hyperparameters[name] ?? {};
    for (const [key, spec] of Object.entries(specsOf(config, name, lesson.convention))) {
      q.push([several ? `${name}.${key}` : key, fmt(Object.hasOwn(values, key) ? values[key] : spec.default)]);
    }
  }
  return q.map(([k, v]) => `${quotePlus(k)}=${quotePlus(v)}`).join("&");
}

// BEGIN TABLES (written by js/test/make_links_golden.py from Python's unicodedata; do not edit)
const TABLES = {
  unicode: "14.0.0",
  space: "9,5,e,5,64,1,1a,1,15df,1,97f,b,1d,2,5,1,2f,1,fa0,1",
  decimal: "30,a,626,a,86,a,c6,a,19c,a,76,a,76,a,76,a,76,a,76,a,76,a,76,a,76,a,76,a,60,a,76,a,46,a,116,a,46," +
    "a,746,a,26,a,12c,a,80,a,a6,a,6,a,b6,a,56,a,86,a,6,a,89c6,a,2a6,a,26,a,c6,a,16,a,56,a,196,a,5316," +
    "a,586,a,886,a,32c,a,80,a,3c,a,90,a,116,a,156,a,76,a,176,a,66,a,66,a,1a6,a,66,a,2f6,a,f6,a,46,a,4" +
    "cb6,a,56,a,86,a,6c74,32,940,a,1a6,a,656,a,1296,a",
  unprintable: "0,20,5f,22,c,1,2ca,2,6,4,7,1,1,1,14,1,18d,1,26,2,32,2,3,1,37,8,1b,4,6,11,16,1,c0,1,30,2,3b,2,65," +
    "e,3b,2,31,2,f,1,1c,2,1,1,b,5,1f,9,4a,1,a1,1,8,2,2,2,16,1,7,1,1,3,4,2,9,2,2,2,4,8,1,4,2,1,5,2,19," +
    "2,3,1,6,4,2,2,16,1,7,1,2,1,2,1,2,2,1,1,5,4,2,2,3,3,1,7,4,1,1,7,11,a,3,1,9,1,3,1,16,1,7,1,2,1,5,2" +
    ",a,1,3,1,3,2,1,f,4,2,c,7,7,1,3,1,8,2,2,2,16,1,7,1,2,1,5,2,9,2,2,2,3,7,3,4,2,1,5,2,12,a,2,1,6,3,3" +
    ",1,4,3,2,1,1,1,2,3,2,3,3,3,c,4,5,3,3,1,4,2,1,6,1,e,15,5,d,1,3,1,17,1,10,2,9,1,3,1,4,7,2,1,3,2,1," +
    "2,4,2,a,7,16,1,3,1,17,1,a,1,5,2,9,1,3,1,4,7,2,6,2,1,4,2,a,1,2,d,d,1,3,1,33,1,3,1,6,4,10,2,1a,1,3" +
    ",1,12,3,18,1,9,1,1,2,7,3,1,4,6,1,1,1,8,6,a,2,3,c,3a,4,1d,25,2,1,1,1,5,1,18,1,1,1,17,2,5,1,1,1,6," +
    "2,a,2,4,20,48,1,24,4,27,1,24,1,f,1,d,25,c6,1,1,5,1,2,179,1,4,2,7,1,1,1,4,2,29,1,4,2,21,1,4,2,7,1" +
    ",1,1,4,2,f,1,39,1,4,2,43,2,20,3,1a,6,56,2,6,2,280,1,1c,3,59,7,16,9,18,9,14,c,d,1,3,1,2,c,5e,2,a," +
    "6,a,6,e,1,b,6,59,7,2b,5,46,a,1f,1,c,4,c,4,1,3,2a,2,5,b,2c,4,1a,6,b,3,3e,2,41,1,1d,2,b,6,a,6,e,2," +
    "1f,31,4d,3,2f,1,74,8,3c,3,f,3,3c,7,2b,2,b,8,2b,5,216,2,6,2,26,2,6,2,8,1,1,1,1,1,1,1,1f,2,35,1,f," +
    "1,e,2,6,1,13,2,3,1,9,11,18,8,2f,11,2,2,1b,1,d,3,21,f,21,f,8c,4,297,19,b,15,714,2,20,1,15d,5,2d,1" +
    ",1,5,1,2,38,7,2,e,18,9,7,1,7,1,7,1,7,1,7,1,7,1,7,1,7,1,7e,22,1a,1,59,c,d6,1a,c,5,3f,1,56,2,67,5," +
    "2b,1,5e,1,54,c,2f,1,726d,3,37,9,15c,14,b8,8,cb,5,2,1,1,1,5,18,3b,3,a,6,38,8,46,8,c,6,74,b,1e,3,4" +
    "e,1,b,4,21,1,37,9,e,2,a,2,67,18,1c,a,6,2,6,2,6,9,7,1,7,1,3c,4,7e,2,a,6,2ba4,c,17,4,31,2104,16e,2" +
    ",6a,26,7,c,5,5,1a,1,5,1,1,1,2,1,2,1,7d,10,1bd,2,36,7,1,20,2a,6,33,1,13,1,4,4,5,1,87,4,be,3,6,2,6" +
    ",2,6,2,3,3,7,1,7,d,2,2,c,1,1a,1,13,1,2,1,f,2,e,22,7b,5,3,4,2d,3,58,1,d,3,1,2f,2e,82,1d,3,31,f,1c" +
    ",4,24,9,1e,5,2b,5,1e,1,25,4,e,2a,9e,2,a,6,24,4,24,4,28,8,34,b,c,1,f,1,7,1,2,1,b,1,f,1,7,1,2,43,1" +
    "37,9,16,a,8,18,6,1,2a,1,9,45,6,2,1,1,2c,1,2,3,1,2,17,1,48,8,9,30,13,1,2,5,21,3,1b,5,1,40,38,4,14" +
    ",2,32,1,2,5,8,1,3,1,1d,2,3,4,a,7,9,7,40,20,27,4,c,9,36,3,1d,2,1b,5,1a,7,4,c,7,50,49,37,33,d,33,7" +
    ",2e,8,a,126,1f,1,2a,1,3,2,2,4e,28,8,2a,16,1a,26,1c,14,17,9,4e,4,24,9,3e,1,5,d,19,7,a,6,35,1,12,8" +
    ",27,9,60,1,14,b,12,1,2c,41,7,1,1,1,4,1,f,1,b,6,3b,5,a,6,4,1,8,2,2,2,16,1,7,1,2,1,5,1,a,2,2,2,3,2" +
    ",1,6,1,5,7,2,7,3,5,8b,5c,1,5,1e,48,8,a,a6,36,2,26,22,45,b,a,6,d,13,3a,6,a,36,1b,2,f,4,17,b9,3c,6" +
    "4,53,c,8,2,1,2,8,1,2,1,1e,1,2,2,c,9,a,46,8,2,2e,2,b,1b,48,8,53,d,49,107,9,1,2d,1,e,a,1d,3,20,2,1" +
    "6,1,e,49,7,1,2,1,2c,3,1,1,2,1,9,8,a,6,6,1,2,1,25,1,2,1,6,7,a,136,19,b7,1,f,32,d,39b,66,6f,1,5,b," +
    "c4,a4c,63,d,42f,fd1,247,21b9,239,7,1f,1,a,4,51,1,a,6,1e,2,6,a,46,a,a,1,7,1,15,5,13,2b0,5b,65,4b," +
    "4,39,7,11,40,5,b,2,e,17f8,8,4d6,2a,9,22e7,4,1,7,1,2,1,123,2d,3,11,4,8,18c,904,6b,5,d,3,9,7,a,2,4" +
    ",1260,2e,2,17,9,74,3c,f6,a,27,2,4a,8,70,15,46,9a,14,c,57,9,19,87,55,1,47,1,2,2,1,2,2,2,4,1,c,1,1" +
    ",1,7,1,41,1,4,2,8,1,7,1,1c,1,4,1,5,1,1,3,7,1,154,2,124,2,2be,f,5,1,f,450,1f,e1,7,1,11,2,7,1,2,1," +
    "5,d5,2d,3,e,2,a,4,2,140,1f,11,3a,5,1,4e0,7,1,4,1,2,1,f,1,c5,2,10,29,4c,4,a,4,2,311,44,4c,3d,c2,4" +
    ",1,1b,1,2,1,1,2,1,1,a,1,4,1,1,1,1,6,1,4,1,1,1,1,1,1,3,1,2,1,1,2,1,1,1,1,1,1,1,1,1,1,2,1,1,2,4,1," +
    "7,1,4,1,4,1,1,1,a,1,11,5,3,1,5,1,11,34,2,10e,2c,4,64,c,f,2,f,1,f,1,25,a,ae,38,1d,d,2c,4,9,7,2,e," +
    "6,9a,3d8,5,10,3,d,3,74,c,59,7,c,4,1,f,c,4,38,8,a,6,28,8,1e,2,2,4e,154,c,e,2,5,3,5,3,7,9,1d,3,b,5" +
    ",6,a,a,6,8,8,7,9,93,1,37,25,a,406,a6e0,20,1039,7,de,2,1682,e,1d31,c1f,21e,5e2,134b,aedb5,f0,2fe1" +
    "0",
  lower: "41,1a,1,20,7f,17,1,20,18,7,1,20,28,18,2,1,32,3,2,1,7,8,2,1,11,17,2,1,2e,1,1,-79,1,3,2,1,8,1,1,d2" +
    ",1,2,2,1,4,1,1,ce,1,1,1,1,2,2,1,cd,2,1,1,1,3,1,1,4f,1,1,1,ca,1,1,1,cb,1,1,1,1,2,1,1,cd,1,1,1,cf," +
    "2,1,1,d3,1,1,1,d1,1,1,1,1,4,1,1,d3,1,1,1,d5,2,1,1,d6,1,3,2,1,6,1,1,da,1,1,1,1,2,1,1,da,3,1,1,1,2" +
    ",1,1,da,1,1,1,1,2,2,1,d9,2,2,2,1,4,1,1,db,1,1,1,1,4,1,1,1,8,1,1,2,1,1,1,1,2,1,1,2,1,1,1,1,2,1,1," +
    "2,1,9,2,1,13,9,2,1,13,1,1,2,1,2,2,1,4,1,1,-61,1,1,1,-38,1,14,2,1,28,1,1,-82,2,9,2,1,18,1,1,2a2b," +
    "1,1,1,1,2,1,1,-a3,1,1,1,2a28,3,1,1,1,2,1,1,-c3,1,1,1,45,1,1,1,47,1,5,2,1,12a,2,2,1,6,1,1,1,9,1,1" +
    ",74,7,1,1,26,2,3,1,25,4,1,1,40,2,2,1,3f,3,11,1,20,12,9,1,20,2c,1,1,8,9,c,2,1,1c,1,1,-3c,3,1,1,1," +
    "2,1,1,-7,1,1,1,1,3,3,1,-82,3,10,1,50,10,20,1,20,50,11,2,1,2a,1b,2,1,36,1,1,f,1,7,2,1,f,30,2,1,61" +
    ",26,1,30,b6f,26,1,1c60,27,1,1,1c60,6,1,1,1c60,2d3,50,1,97d0,50,6,1,8,8a0,2b,1,-bc0,2d,3,1,-bc0,1" +
    "43,4b,2,1,9e,1,1,-1dbf,2,30,2,1,68,8,1,-8,10,6,1,-8,10,8,1,-8,10,8,1,-8,10,6,1,-8,11,4,2,-8,f,8," +
    "1,-8,20,8,1,-8,10,8,1,-8,10,8,1,-8,10,2,1,-8,2,2,1,-4a,2,1,1,-9,c,4,1,-56,4,1,1,-9,c,2,1,-8,2,2," +
    "1,-64,e,2,1,-8,2,2,1,-70,2,1,1,-7,c,2,1,-80,2,2,1,-7e,2,1,1,-9,12a,1,1,-1d5d,4,1,1,-20bf,1,1,1,-" +
    "2046,7,1,1,1c,2e,10,1,10,23,1,1,1,333,1a,1,1a,74a,30,1,30,60,1,1,1,2,1,1,-29f7,1,1,1,-ee6,1,1,1," +
    "-29e7,3,3,2,1,6,1,1,-2a1c,1,1,1,-29fd,1,1,1,-2a1f,1,1,1,-2a1e,2,1,1,1,3,1,1,1,9,2,1,-2a3f,2,32,2" +
    ",1,6b,2,2,1,7,1,1,1,794e,17,2,1,40,e,2,1,a2,7,2,1,10,1f,2,1,47,2,2,1,4,1,1,-8a04,1,5,2,1,d,1,1,1" +
    ",2,1,1,-a528,3,2,2,1,6,a,2,1,14,1,1,-a544,1,1,1,-a54f,1,1,1,-a54b,1,1,1,-a541,1,1,1,-a544,2,1,1," +
    "-a512,1,1,1,-a52a,1,1,1,-a515,1,1,1,3a0,1,8,2,1,10,1,1,-30,1,1,1,-a543,1,1,1,-8a38,1,2,2,1,9,1,1" +
    ",1,6,2,2,1,1f,1,1,1,572c,1a,1,20,4df,28,1,28,b0,24,1,28,c0,b,1,27,c,f,1,27,10,7,1,27,8,2,1,27,6e" +
    "c,33,1,40,c20,20,1,20,55a0,20,1,20,7ac0,22,1,22",
  lowerSpecial: {"130": "i\u0307"},
  caseIgnorable: "27,1,6,1,b,1,23,1,1,1,47,1,4,1,1,1,4,1,2,2,1f7,c0,4,2,4,1,9,2,1,1,fb,7,cf,1,5,1,31,2d,1,1,1,2,1," +
    "2,1,1,2c,1,b,6,a,b,1,1,23,1,a,15,10,1,65,8,1,a,1,4,21,1,1,1,1e,1b,5b,b,3a,b,4,1,2,1,18,18,2b,3,2" +
    "c,1,7,2,6,8,29,3a,37,1,1,1,4,8,4,1,3,7,a,2,d,1,f,1,3a,1,4,4,8,1,14,2,1a,1,2,2,39,1,4,2,4,2,2,3,3" +
    ",1,1e,2,3,1,b,2,39,1,4,5,1,2,4,1,14,2,16,6,1,1,3a,1,2,1,1,4,8,1,7,2,b,2,1e,1,3d,1,c,1,32,1,3,1,3" +
    "7,1,1,3,5,3,1,4,7,2,b,2,1d,1,3a,1,2,1,6,1,5,2,14,2,1c,2,39,2,4,4,8,1,14,2,1d,1,48,1,7,3,1,1,5a,1" +
    ",2,7,b,9,62,1,2,9,9,1,1,6,4a,2,1b,1,1,1,1,1,37,e,1,5,1,2,5,b,1,24,9,1,66,4,1,6,1,2,2,2,19,2,4,3," +
    "10,4,d,1,2,2,6,1,f,1,5e,1,260,3,3b2,3,1d,2,1e,2,1e,2,40,2,1,7,8,1,2,b,3,1,5,1,2d,5,33,1,41,2,22," +
    "1,76,3,4,2,9,1,6,3,db,2,2,1,3a,1,1,7,1,1,1,1,2,8,6,a,2,1,27,1,8,1f,31,4,30,1,1,5,1,1,5,1,28,9,c," +
    "2,20,4,2,2,1,3,38,1,1,2,3,1,1,3,3a,8,2,2,40,6,52,3,1,d,1,7,4,1,6,1,3,2,32,3f,d,1,22,65,1bd,1,1,3" +
    ",b,3,d,3,d,3,d,2,c,5,8,2,a,1,2,1,2,5,31,5,1,a,1,1,d,1,10,d,33,21,b8b,2,71,3,7d,1,f,1,60,20,2f,1," +
    "1d5,1,24,4,3,5,5,1,5d,6,5d,3,6f16,1,4e2,6,10e,1,62,4,1,a,1,1,1c,4,50,2,e,22,4e,1,17,3,67,3,3,2,8" +
    ",1,3,1,4,1,19,2,5,1,97,2,1a,12,d,1,26,8,19,b,2e,3,30,1,2,4,2,2,11,1,15,2,42,6,2,2,2,2,c,1,8,1,23" +
    ",1,b,1,33,1,1,3,2,2,5,2,1,1,1b,1,e,2,5,2,1,1,64,5,9,3,79,1,2,1,4,1,4f30,1,93,11,23d,10,3,1,c,10," +
    "22,1,2,1,a9,1,7,1,6,1,b,1,23,1,1,1,2f,1,2d,2,43,1,15,3,201,1,e2,1,95,5,405,6,1,2a,1,9,246,3,1,2," +
    "5,4,28,3,4,1,a5,2,23d,4,183,2,99,b,31,4,7b,1,36,f,29,1,2,2,a,3,31,4,2,2,2,1,4,1,a,1,32,3,24,5,1," +
    "8,3e,1,c,2,34,9,a,4,2,1,5f,3,2,1,1,2,6,1,a0,1,3,8,15,2,39,2,3,1,25,7,3,5,c3,8,2,3,1,1,17,1,54,6," +
    "1,1,4,2,1,2,ee,4,6,2,1,2,1b,2,55,8,2,1,1,2,6a,1,1,1,2,6,1,1,65,3,2,4,1,5,103,9,1,2,100,2,1,1,4,1" +
    ",90,4,2,2,4,1,20,a,28,6,2,4,8,1,9,6,2,3,2e,d,1,2,196,7,1,6,1,1,52,16,2,7,1,2,1,2,7a,6,3,1,1,2,1," +
    "7,1,1,48,2,3,1,1,1,15b,2,153b,9,36b7,5,3b,7,9,4,40b,1,3f,11,40,2,1,2,400b,4,1,7,1,2,c9e,2,1,4,12" +
    "5c,2e,2,17,220,3,9,10,2,7,1e,4,94,3,7bb,37,4,32,8,1,e,1,16,5,1,f,550,7,1,11,2,7,1,2,1,5,105,e,17" +
    "0,1,3d,4,5e0,7,6d,8,aaf,5,c0c01,1,1e,60,80,f0",
  cased: "41,1a,6,1a,2f,1,a,1,4,1,5,17,1,1f,1,c3,1,4,4,d0,1,1b,c0,4,2,2,3,3,1,1,6,1,1,3,1,1,1,14,1,53,1,8b" +
    ",8,a6,1,26,9,29,b17,26,1,1,5,1,2,2b,2,3,2a0,56,2,6,882,9,7,2b,2,3,40,2c,3f,d,1,22,65,116,2,6,2,2" +
    "6,2,6,2,8,1,1,1,1,1,1,1,1f,2,35,1,7,1,1,3,3,1,7,3,4,2,6,4,d,5,3,1,7,105,1,4,1,2,a,1,1,3,5,6,1,1," +
    "1,1,1,1,4,1,6,4,1,2,4,5,5,4,1,11,20,3,2,331,34,716,7c,2,67,6,4,3,2,c,26,1,1,5,1,7912,2e,12,1c,86" +
    ",4e,1,17,3,4,1,3b,5,2,1,1,1,5,1b,2,3,1,335,2b,5,9,7,50,4f40,7,c,5,409,1a,6,1a,4a5,50,60,24,4,24," +
    "74,b,1,f,1,7,1,2,1,b,1,f,1,7,1,2,6c3,33,d,33,bad,40,5560,40,6580,55,1,47,1,2,2,1,2,2,2,4,1,c,1,1" +
    ",1,7,1,41,1,4,2,8,1,7,1,1c,1,4,1,5,1,1,3,7,1,154,2,19,1,19,1,1f,1,19,1,1f,1,19,1,1f,1,19,1,1f,1," +
    "19,1,8,734,a,1,14,9e1,44,7ec,1a,6,1a,6,1a",
};
// END TABLES
