// A link's values as the lesson reads them: Python's int() and float() of the text, and the lesson's checks with
// their messages (core/i18n.js data, said in the page's language). A value refused throws a Refusal, whose reason
// becomes the link's note. Pure, no DOM, importable by Node as it is; core/link.js reads links with it.
import { message } from "./i18n.js";
import { pyG, pyRepr, pyStrRepr } from "./format.js";
import { checkWindow } from "./formula_objective.js";

export const SEED_HIGH = 2n ** 32n - 1n; // Lesson's seed range, which its message writes "[0, 2**32)"
const MAX_INT_DIGITS = 4300; // int() refuses longer decimal text (sys.int_info.default_max_str_digits)
const TRUE_WORDS = ["1", "true", "on", "yes"], FALSE_WORDS = ["0", "false", "off", "no"]; // lesson._hyper
const ASCII_SPACE = /^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g; // what int() and float() skip around an ASCII number
const INT = /^([+-]?)([0-9](?:_?[0-9])*)$/;
const DIGITS = "[0-9](?:_?[0-9])*"; // digits, one underscore at a time between two of them (PEP 515)
const FLOAT = new RegExp(`^[+-]?(?:${DIGITS}(?:\\.(?:${DIGITS})?)?|\\.${DIGITS})(?:[eE][+-]?${DIGITS})?$`);
const INF_NAN = /^([+-]?)(inf|infinity|nan)$/i;

/** A value the lesson does not take: its message ({key, params}) becomes the note's reason. */
export class Refusal extends Error {
  constructor(reason) {
    super(typeof reason === "string" ? reason : reason.key);
    this.reason = reason;
  }
}

export function refuse(key, params) {
  throw new Refusal(message(key, params));
}

/** Refuse with a reason already made: a message's data, or text. */
export function refuseWith(reason) {
  throw new Refusal(reason);
}

const isAscii = (text) => /^[\x00-\x7f]*$/.test(text);

/** Python's repr() of a float: 0.0, 20.0, 1e-05, 1e+16, nan, -inf. */
export function pyFloatRepr(x) {
  const text = pyRepr(x);
  return /^-?\d+$/.test(text) ? `${text}.0` : text;
}

function valueRepr(value) {
  if (typeof value === "boolean") return value ? "True" : "False";
  return typeof value === "string" ? pyStrRepr(value) : pyFloatRepr(value);
}

/** int(text) of a link's ASCII text as a BigInt, or null where Python's int() refuses it. */
export function readInt(text) {
  const match = isAscii(text) ? INT.exec(text.replace(ASCII_SPACE, "")) : null;
  if (!match) return null;
  const digits = match[2].replaceAll("_", "");
  if (digits.length > MAX_INT_DIGITS) return null;
  return match[1] === "-" ? -BigInt(digits) : BigInt(digits);
}

/** float(text) of a link's ASCII text, or null where Python's float() refuses it. */
export function readFloat(text) {
  const ascii = isAscii(text) ? text.replace(ASCII_SPACE, "") : null;
  if (ascii === null) return null;
  if (FLOAT.test(ascii)) return Number(ascii.replaceAll("_", "")); // correctly rounded, as Python's dtoa
  const special = INF_NAN.exec(ascii);
  if (!special) return null;
  if (special[2].toLowerCase() === "nan") return NaN;
  return special[1] === "-" ? -Infinity : Infinity;
}

// --- the lesson's checks, with its messages ---------------------------------------------------------------------

export function checkName(value, parameter, allowed) { // specs.check_name
  if (allowed.includes(value)) return value;
  return refuse("error.one_of", { parameter, allowed: allowed.map(pyStrRepr).join(", "), value: pyStrRepr(value) });
}

export function checkInt(value, parameter, low, high, bound = `[${low}, ${high}]`) { // specs.check_int, for a BigInt
  if (value >= low && value <= high) return value;
  return refuse("error.int_range", { parameter, range: bound, value: String(value) });
}

export function checkGeneral(config, key, value) { // objectives.check_general, for one finite float
  const { low, high } = config.general[key];
  if (value >= low && value <= high) return value;
  return refuse("error.float_range", { parameter: key, rule: "general", low: String(low), high: String(high),
    value: pyFloatRepr(value) });
}

export const RUN_KEYS = ["seed", "spread", "label"]; // a run's own keys beside its settings (lesson.RUN_KEYS)
const MAX_MILESTONES = 8;

// A whole number that stands for Python's int (a step count read from a link), not for a float.
export class Int {
  constructor(value) { this.value = value; }
}

export function checkValue(owner, name, spec, value) { // specs.check_value, for one value of a link
  if (Array.isArray(spec.choices)) {
    if (spec.choices.includes(value) && typeof value === typeof spec.default) return value;
    return refuse("error.one_of_rule", { parameter: name, rule: owner, allowed: spec.choices.map(valueRepr).join(", "),
      value: value instanceof Int ? String(value.value) : valueRepr(value) });
  }
  if (spec.kind === "int") { // specs._step_count
    const n = value instanceof Int ? value.value : null;
    if (n !== null && n >= BigInt(spec.low) && n <= BigInt(spec.high)) return Number(n);
    return refuse("error.int_range_of", { parameter: name, rule: owner, low: String(spec.low), high: String(spec.high),
      value: value instanceof Int ? String(value.value) : valueRepr(value) });
  }
  if (spec.kind === "ints") { // specs._milestones
    const ok = Array.isArray(value) && value.length >= 1 && value.length <= MAX_MILESTONES
      && value.every((n, i) => n >= BigInt(spec.low) && n <= BigInt(spec.high) && (i === 0 || n > value[i - 1]));
    if (ok) return value.map(Number);
    const shown_ = Array.isArray(value) ? `(${value.map(String).join(", ")}${value.length === 1 ? "," : ""})`
      : valueRepr(value);
    return refuse("error.milestones", { parameter: name, rule: owner, most: String(MAX_MILESTONES),
      low: String(spec.low), high: String(spec.high), value: shown_ });
  }
  const range = { parameter: name, rule: owner, low: pyG(spec.low), high: pyG(spec.high) };
  if (typeof value === "string") return refuse("error.float_range", { ...range, value: pyStrRepr(value) });
  if (!(value >= spec.low && value <= spec.high)) return refuse("error.float_range", { ...range, value: pyG(value) });
  return value;
}

export function parseInt_(raw, key) { // lesson._int
  const value = readInt(raw);
  return value === null ? refuse("error.not_integer", { parameter: key, value: pyStrRepr(raw) }) : value;
}

export function parseFloat_(raw, key) { // lesson._float
  const value = readFloat(raw);
  if (value === null || !Number.isFinite(value)) refuse("error.not_finite", { parameter: key, value: pyStrRepr(raw) });
  return value;
}

export function parsePair(raw, key) { // lesson._pair
  const parts = raw.split(",");
  const values = parts.length === 2 ? parts.map(readFloat) : [null];
  if (values.includes(null)) refuse("error.two_numbers", { parameter: key, pair: "x1,x2", value: pyStrRepr(raw) });
  return values;
}

export function parseWindow(raw, key) { // lesson._window: four floats within the bound, low < high on each axis
  const values = raw.length <= 200 ? raw.split(",").map(readFloat) : [];
  try {
    if (values.length === 4 && !values.includes(null)) return checkWindow(values);
  } catch {
    // refused below, in Python's words
  }
  return refuse("error.window", { value: pyStrRepr(raw) });
}

export function typed(spec, raw) { // lesson._typed: what check_value is given for the link's text
  if (spec === null) return raw;
  if (Array.isArray(spec.choices) && spec.choices.length === 2 && spec.choices[0] === true
    && spec.choices[1] === false) {
    const word = raw.toLowerCase();
    if (TRUE_WORDS.includes(word)) return true;
    if (FALSE_WORDS.includes(word)) return false;
    return raw;
  }
  if (Array.isArray(spec.choices)) return raw;
  if (spec.kind === "int") {
    const n = readInt(raw);
    return n === null ? raw : new Int(n);
  }
  if (spec.kind === "ints") {
    const parts = raw.split(",").map(readInt);
    return parts.includes(null) ? raw : parts;
  }
  const value = readFloat(raw);
  return value === null ? raw : value;
}
