// A lesson's link: read with the platform's URLSearchParams and the lesson's own checks, written byte for byte as
// Lesson.to_query writes it, for the page that runs without Python. Pure, no DOM, importable by Node as it is.
//
// Every fact comes from Python's config (the names, the limits, the spec table, the default lesson). A link gives
// the lesson Lesson.from_query gives, and a note for each parameter it ignores, in Python's words for the links
// people write; for exotic text (other scripts, control characters) the words may differ. js/test/links.json,
// made by js/test/make_links_golden.py, holds Python's lessons and notes for the same links.
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

/** A value the lesson does not take: its message becomes the note. */
class Refusal extends Error {}

function refuse(message) {
  throw new Refusal(message);
}

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
    return refuse(`The '${name}' parameter of ${rule} must be one of ${spec.choices.map(valueRepr).join(", ")}. `
      + `Got ${valueRepr(value)} instead.`);
  }
  const where = `The '${name}' parameter of ${rule} must be a float in the range [${pyG(spec.low)}, ${pyG(spec.high)}]`;
  if (typeof value === "string") return refuse(`${where}. Got ${pyStrRepr(value)} instead.`);
  if (!(value >= spec.low && value <= spec.high)) return refuse(`${where}. Got ${pyG(value)} instead.`);
  return value;
}

function parseInt_(raw, key) { // lesson._int
  const value = readInt(raw);
  return value === null ? refuse(`The '${key}' parameter must be an integer. Got ${pyStrRepr(raw)} instead.`) : value;
}

function parseFloat_(raw, key) { // lesson._float
  const value = readFloat(raw);
  if (value === null || !Number.isFinite(value)) {
    refuse(`The '${key}' parameter must be a finite number. Got ${pyStrRepr(raw)} instead.`);
  }
  return value;
}

function parsePair(raw, key) { // lesson._pair
  const parts = raw.split(",");
  const values = parts.length === 2 ? parts.map(readFloat) : [null];
  if (values.includes(null)) refuse(`The '${key}' parameter must be two numbers x1,x2. Got ${pyStrRepr(raw)} instead.`);
  return values;
}

function parseWindow(raw, key) { // lesson._window: four floats within the bound, low < high on each axis
  const values = raw.length <= 200 ? raw.split(",").map(readFloat) : [];
  try {
    if (values.length === 4 && !values.includes(null)) return checkWindow(values);
  } catch {
    // refused below, in Python's words
  }
  return refuse(`The '${key}' parameter must be four numbers x1_low,x1_high,x2_low,x2_high with low < high, within `
    + `[-1e+06, 1e+06]. Got ${pyStrRepr(raw)} instead.`);
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
  return `Capped steps=${steps} at ${config.pageSteps}: the page runs at most ${config.pageSteps} steps, the steps `
    + `slider's range (the command line and the Python API take up to ${config.maxSteps}).`;
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
 * config.pageSteps are capped with a note. Keys in `ignore` are dropped silently.
 *
 * @param {object} config state.config(): rules, conventions, objectives, specs, limits and the default lesson
 * @param {string} query the link's query string, with or without its "?"
 * @param {{ignore?: string[]}} [options]
 * @returns {{lesson: object, notes: string[]}} the lesson in state.lesson_state()'s plain form
 */
export function fromQuery(config, query, { ignore = [] } = {}) {
  const base = config.defaultLesson;
  if (query !== null && query !== undefined && typeof query !== "string") {
    return { lesson: fromQuery(config, "").lesson, notes: ["Ignored the link: it must be a query string such as "
      + `'optimizer=rmsprop&eta=0.4'. Got ${String(query)} instead.`] };
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
    const listed = [...new Set(pop("optimizer").split(",").map(strip).filter(Boolean).map((n) => n.toLowerCase()))];
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
  take("convention", strip, (v) => checkName(v, "convention", config.conventions));
  take("objective", (raw) => raw, (raw) => { // lesson._objective: a name, or a formula its objective can be made of
    try {
      const objective = checkObjective(config, strip(raw));
      if (!Object.hasOwn(config.objectives, objective)) formulaObjective(objective, { start: [...base.start] });
      return objective;
    } catch (error) {
      if (!(error instanceof FormulaError)) throw error;
      return refuse(error.message + (raw.includes(" ") && !raw.includes("+") ? " (in a link, '+' is written %2B)"
        : ""));
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
    return refuse(`The 'start' parameter must be a pair of finite floats (x1, x2) with |x1|, |x2| <= `
      + `${pyG(config.bound)}. Got (${pyFloatRepr(x)}, ${pyFloatRepr(y)}) instead.`);
  });
  take("window", parseWindow, (window) => { // objectives.check_window, and the formula must have values in it
    if (kw.objective !== undefined && !Object.hasOwn(config.objectives, kw.objective)) {
      try {
        formulaObjective(kw.objective, { start: kw.start ?? [...base.start], window });
      } catch (error) {
        if (!(error instanceof FormulaError)) throw error;
        refuse(error.message);
      }
    }
    return window;
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
      const spec = specsOf(config, convention, t)[name];
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
