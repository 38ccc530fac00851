// A lesson's link: read with the platform's URLSearchParams and the lesson's own checks, written byte for byte as
// Lesson.to_query writes it, for the page that runs without Python. Pure, no DOM, importable by Node as it is.
//
// Every fact comes from Python's config (the names, the limits, the spec table, the default lesson). A link gives
// the lesson Lesson.from_query gives, and a note for each parameter it ignores, as the same message of the tables
// (core/i18n.js: {key, params}, said in the page's language) for the links people write; for exotic text (other
// scripts, control characters) the values quoted may differ. js/test/links.json, made by
// js/test/make_links_golden.py, holds Python's lessons and notes for the same links.
import { LANGUAGES, message } from "./i18n.js";
import { pyG, pyRepr, pyStrRepr, pyStrip } from "./format.js";
import { checkObjective } from "./objectives.js";
import { FormulaError } from "./formula.js";
import { checkWindow, formulaObjective } from "./formula_objective.js";
import { specsOf } from "./lesson.js";

const SEED_HIGH = 2n ** 32n - 1n; // Lesson's seed range, which its message writes "[0, 2**32)"
const MAX_INT_DIGITS = 4300; // int() refuses longer decimal text (sys.int_info.default_max_str_digits)
const TRUE_WORDS = ["1", "true", "on", "yes"], FALSE_WORDS = ["0", "false", "off", "no"]; // lesson._hyper
const ASCII_SPACE = /^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g; // what int() and float() skip around an ASCII number
const INT = /^([+-]?)([0-9](?:_?[0-9])*)$/;
const DIGITS = "[0-9](?:_?[0-9])*"; // digits, one underscore at a time between two of them (PEP 515)
const FLOAT = new RegExp(`^[+-]?(?:${DIGITS}(?:\\.(?:${DIGITS})?)?|\\.${DIGITS})(?:[eE][+-]?${DIGITS})?$`);
const INF_NAN = /^([+-]?)(inf|infinity|nan)$/i;

/** A value the lesson does not take: its message ({key, params}) becomes the note's reason. */
class Refusal extends Error {
  constructor(reason) {
    super(typeof reason === "string" ? reason : reason.key);
    this.reason = reason;
  }
}

function refuse(key, params) {
  throw new Refusal(message(key, params));
}

/** Refuse with a reason already made: a message's data, or text. */
function refuseWith(reason) {
  throw new Refusal(reason);
}

const ignored = (key, raw, reason) => message("note.ignored", { key, value: pyStrRepr(raw), reason });

const strip = pyStrip;
const isAscii = (text) => /^[\x00-\x7f]*$/.test(text);

/** Python's repr() of a float: 0.0, 20.0, 1e-05, 1e+16, nan, -inf. */
function pyFloatRepr(x) {
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

function checkName(value, parameter, allowed) { // specs.check_name
  if (allowed.includes(value)) return value;
  return refuse("error.one_of", { parameter, allowed: allowed.map(pyStrRepr).join(", "), value: pyStrRepr(value) });
}

function checkInt(value, parameter, low, high, bound = `[${low}, ${high}]`) { // specs.check_int, for a BigInt
  if (value >= low && value <= high) return value;
  return refuse("error.int_range", { parameter, range: bound, value: String(value) });
}

function checkGeneral(config, key, value) { // objectives.check_general, for one finite float
  const { low, high } = config.general[key];
  if (value >= low && value <= high) return value;
  return refuse("error.float_range", { parameter: key, rule: "general", low: String(low), high: String(high),
    value: pyFloatRepr(value) });
}

function checkValue(rule, name, spec, value) { // specs.check_value, for one value
  if (Array.isArray(spec.choices)) {
    if (spec.choices.includes(value) && typeof value === typeof spec.default) return value;
    return refuse("error.one_of_rule", { parameter: name, rule, allowed: spec.choices.map(valueRepr).join(", "),
      value: valueRepr(value) });
  }
  const range = { parameter: name, rule, low: pyG(spec.low), high: pyG(spec.high) };
  if (typeof value === "string") return refuse("error.float_range", { ...range, value: pyStrRepr(value) });
  if (!(value >= spec.low && value <= spec.high)) return refuse("error.float_range", { ...range, value: pyG(value) });
  return value;
}

function parseInt_(raw, key) { // lesson._int
  const value = readInt(raw);
  return value === null ? refuse("error.not_integer", { parameter: key, value: pyStrRepr(raw) }) : value;
}

function parseFloat_(raw, key) { // lesson._float
  const value = readFloat(raw);
  if (value === null || !Number.isFinite(value)) refuse("error.not_finite", { parameter: key, value: pyStrRepr(raw) });
  return value;
}

function parsePair(raw, key) { // lesson._pair
  const parts = raw.split(",");
  const values = parts.length === 2 ? parts.map(readFloat) : [null];
  if (values.includes(null)) refuse("error.two_numbers", { parameter: key, pair: "x1,x2", value: pyStrRepr(raw) });
  return values;
}

function parseWindow(raw, key) { // lesson._window: four floats within the bound, low < high on each axis
  const values = raw.length <= 200 ? raw.split(",").map(readFloat) : [];
  try {
    if (values.length === 4 && !values.includes(null)) return checkWindow(values);
  } catch {
    // refused below, in Python's words
  }
  return refuse("error.window", { value: pyStrRepr(raw) });
}

function hyperValue(spec, raw) { // lesson._hyper: what check_value is given for the link's text
  if (Array.isArray(spec.choices) && spec.choices.length === 2 && spec.choices[0] === true
    && spec.choices[1] === false) {
    const word = raw.toLowerCase();
    if (TRUE_WORDS.includes(word)) return true;
    if (FALSE_WORDS.includes(word)) return false;
    return raw;
  }
  if (Array.isArray(spec.choices)) return raw;
  const value = readFloat(raw);
  return value === null ? raw : value;
}

function capped(config, steps) { // lesson._capped
  return message("note.capped_steps", { steps: String(steps), page: String(config.pageSteps),
    most: String(config.maxSteps) });
}

// The link's parameters by name, as lesson._items reads parse_qsl's: keys stripped, the last value of a key wins
// and keeps the place of its first appearance.
export function queryItems(query) {
  const items = new Map();
  for (const [key, value] of new URLSearchParams(query.replace(/^\?+/, ""))) items.set(strip(key), value);
  return items;
}

const takes = (config, rule, convention, name) => Object.hasOwn(specsOf(config, convention, rule), name);

/**
 * Read a link as Lesson.from_query(query, ignore=ignore) does; never throws.
 *
 * Every value goes through the lesson's checks; a bad one is dropped with a note and the default kept; steps past
 * config.pageSteps are capped with a note. Keys in `ignore` are dropped silently, and so is `lang`, the page's
 * language (linkLanguage), when it is one the page speaks.
 *
 * @param {object} config state.config(): rules, conventions, objectives, specs, limits and the default lesson
 * @param {string} query the link's query string, with or without its "?"
 * @param {{ignore?: string[]}} [options]
 * @returns {{lesson: object, notes: {key: string, params: object}[]}} the lesson in state.lesson_state()'s plain
 *   form, and the notes as messages (core/i18n.js says them in the page's language)
 */
export function fromQuery(config, query, { ignore = [] } = {}) {
  const base = config.defaultLesson;
  if (query !== null && query !== undefined && typeof query !== "string") {
    return { lesson: fromQuery(config, "").lesson, notes: [message("note.bad_link", { value: String(query) })] };
  }
  const items = queryItems(query ?? "");
  for (const key of ignore) items.delete(key);
  const pop = (key) => {
    const value = items.get(key);
    items.delete(key);
    return value;
  };
  const notes = [];
  if (items.has("lang")) { // the page's, not the lesson's: a language it does not speak is a note
    const raw = pop("lang");
    if (!LANGUAGES.includes(raw)) {
      notes.push(ignored("lang", raw, message("error.one_of", { parameter: "lang",
        allowed: LANGUAGES.map(pyStrRepr).join(", "), value: pyStrRepr(raw) })));
    }
  }
  const kw = {}; // the settings accepted so far
  const take = (key, parse, check) => {
    if (!items.has(key)) return;
    const raw = pop(key);
    try {
      kw[key] = check(parse(raw, key));
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      notes.push(ignored(key, raw, error.reason));
    }
  };

  let optimizers = [...base.optimizers];
  if (items.has("optimizer")) {
    const listed = [...new Set(pop("optimizer").split(",").map(strip).filter(Boolean).map((n) => n.toLowerCase()))];
    const known = listed.filter((n) => config.rules.includes(n));
    for (const n of listed) {
      if (!config.rules.includes(n)) {
        notes.push(message("note.ignored_optimizer", { name: pyStrRepr(n), allowed: config.rules.join(", ") }));
      }
    }
    const most = config.maxOptimizers;
    if (known.length > most) notes.push(message("note.too_many_optimizers", { count: String(most) }));
    if (known.length) optimizers = known.slice(0, most);
  }
  take("convention", strip, (v) => checkName(v, "convention", config.conventions));
  take("objective", (raw) => raw, (raw) => { // lesson._objective: a name, or a formula its objective can be made of
    try {
      const objective = checkObjective(config, strip(raw));
      if (!Object.hasOwn(config.objectives, objective)) formulaObjective(objective, { start: [...base.start] });
      return objective;
    } catch (error) {
      if (!(error instanceof FormulaError)) throw error;
      return refuseWith(raw.includes(" ") && !raw.includes("+") ? message("formula.in_link", { error: error.note })
        : error.note);
    }
  });
  if (items.has("steps")) { // capped first, so a link cannot make the page compute for long
    const asked = readInt(items.get("steps"));
    if (asked !== null && asked > BigInt(config.pageSteps)) {
      notes.push(capped(config, asked));
      items.set("steps", String(config.pageSteps));
    }
  }
  take("steps", parseInt_, (v) => checkInt(v, "steps", 1n, BigInt(config.maxSteps)));
  take("seed", parseInt_, (v) => checkInt(v, "seed", 0n, SEED_HIGH, "[0, 2**32)"));
  take("start", parsePair, ([x, y]) => {
    if (Math.abs(x) <= config.bound && Math.abs(y) <= config.bound) return [x, y];
    return refuse("error.start", { bound: pyG(config.bound), value: `(${pyFloatRepr(x)}, ${pyFloatRepr(y)})` });
  });
  take("window", parseWindow, (window) => { // objectives.check_window, and the formula must have values in it
    if (kw.objective !== undefined && !Object.hasOwn(config.objectives, kw.objective)) {
      try {
        formulaObjective(kw.objective, { start: kw.start ?? [...base.start], window });
      } catch (error) {
        if (!(error instanceof FormulaError)) throw error;
        refuseWith(error.note);
      }
    }
    return window;
  });
  for (const key of ["condition", "angle"]) {
    if (kw.objective === "general") take(key, parseFloat_, (v) => checkGeneral(config, key, v));
    else if (items.has(key)) notes.push(ignored(key, pop(key), message("reason.general_only")));
  }

  const convention = kw.convention ?? base.convention;
  const given = new Map(optimizers.map((name) => [name, new Map()]));
  for (const key of [...items.keys()]) {
    const raw = pop(key);
    const dot = key.lastIndexOf(".");
    const target = dot < 0 ? "" : key.slice(0, dot), name = key.slice(dot + 1);
    if (target && !optimizers.includes(target)) {
      notes.push(ignored(key, raw, message("reason.not_shown", { target, shown: optimizers.join(", ") })));
      continue;
    }
    const targets = target ? [target] : optimizers;
    const takers = targets.filter((t) => takes(config, t, convention, name));
    if (!takers.length) {
      const other = targets.filter((t) => config.conventions.some((c) => c !== convention
        && takes(config, t, c, name)));
      notes.push(ignored(key, raw, other.length
        ? message("reason.other_convention", { optimizer: other[0], name: pyStrRepr(name),
          convention: convention === "d2l" ? "torch" : "d2l" })
        : message("reason.no_taker", { name: pyStrRepr(name) })));
      continue;
    }
    for (const t of takers) {
      const spec = specsOf(config, convention, t)[name];
      try {
        given.get(t).set(name, checkValue(t, name, spec, hyperValue(spec, raw)));
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        notes.push(ignored(key, raw, error.reason));
        break;
      }
    }
  }

  const hyperparameters = {};
  for (const name of optimizers) {
    hyperparameters[name] = Object.fromEntries(Object.entries(specsOf(config, convention, name))
      .map(([key, spec]) => [key, given.get(name).has(key) ? given.get(name).get(key) : spec.default]));
  }
  const lesson = {
    optimizers, hyperparameters, objective: kw.objective ?? base.objective, condition: kw.condition ?? base.condition,
    angle: kw.angle ?? base.angle, start: kw.start ?? [...base.start],
    steps: kw.steps === undefined ? base.steps : Number(kw.steps), convention,
    seed: kw.seed === undefined ? base.seed : Number(kw.seed), window: kw.window ?? null,
  };
  return { lesson, notes };
}

// --- writing ----------------------------------------------------------------------------------------------------

const SAFE = /[A-Za-z0-9_.\-~,]/; // urllib.parse's always-safe characters and urlencode(safe=",")

// quote_plus(text, safe=","): UTF-8 bytes, a space as "+", upper-case escapes. (URLSearchParams would write the
// comma as %2C, and the link would not be Python's.)
export function quotePlus(text) {
  let out = "";
  for (const byte of new TextEncoder().encode(text)) {
    const ch = String.fromCharCode(byte);
    if (byte < 0x80 && SAFE.test(ch)) out += ch;
    else if (ch === " ") out += "+";
    else out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

// lesson._fmt: the shortest exact text of a value, "20" for 20.0, "true" for True.
function fmt(value) {
  if (typeof value === "boolean") return value ? "true" : "false";
  return typeof value === "number" ? pyRepr(value) : String(value);
}

/** The language a link asks the page to speak (lang=zh), or null where it names none the page speaks. */
export function linkLanguage(query) {
  const raw = typeof query === "string" ? queryItems(query).get("lang") : undefined;
  return LANGUAGES.includes(raw) ? raw : null;
}

/**
 * The link of a lesson, byte for byte as Lesson.to_query() writes it: every hyperparameter spelled out (prefixed
 * by its optimizer when several are shown); convention, seed, start and window when not the default.
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
  if (lesson.window) q.push(["window", lesson.window.map(fmt).join(",")]);
  const several = lesson.optimizers.length > 1;
  for (const name of lesson.optimizers) {
    const values = lesson.hyperparameters[name] ?? {};
    for (const [key, spec] of Object.entries(specsOf(config, lesson.convention, name))) {
      q.push([several ? `${name}.${key}` : key, fmt(Object.hasOwn(values, key) ? values[key] : spec.default)]);
    }
  }
  return q.map(([k, v]) => `${quotePlus(k)}=${quotePlus(v)}`).join("&");
}
