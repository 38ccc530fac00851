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
import { labels, resolveSettings, scheduleParams, settingsOf } from "./lesson.js";

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

const RUN_KEYS = ["seed", "spread", "label"]; // a run's own keys beside its settings (lesson.RUN_KEYS)
const MAX_MILESTONES = 8;

// A whole number that stands for Python's int (a step count read from a link), not for a float.
class Int {
  constructor(value) { this.value = value; }
}

function checkValue(owner, name, spec, value) { // specs.check_value, for one value of a link
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


function typed(spec, raw) { // lesson._typed: what check_value is given for the link's text
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

// The link's parameters, as lesson._pairs reads parse_qsl's: keys stripped, the last value of a key at the place of
// its first appearance; every run= in its place.
function queryPairs(query) {
  const pairs = [...new URLSearchParams(query.replace(/^\?+/, ""))].map(([k, v]) => [strip(k), v]);
  const last = new Map();
  for (const [k, v] of pairs) if (k !== "run") last.set(k, v);
  const kept = [];
  for (const [k, v] of pairs) {
    if (k === "run") kept.push([k, v]);
    else if (last.has(k)) {
      kept.push([k, last.get(k)]);
      last.delete(k);
    }
  }
  return kept;
}

const hasEta = (config, convention, rule) => Object.hasOwn(config.specs[convention][rule], "eta");
const otherOf = (convention) => (convention === "d2l" ? "torch" : "d2l");
const scheduleNames = (config, convention) => Object.keys(config.schedules[convention]);

// specs._unknown: why a run does not take `name`, in the engine's words (a message's data).
function unknown(config, rule, convention, schedule, name) {
  const table = config.specs[convention][rule];
  const known = Object.keys(table).map(pyStrRepr).join(", ");
  const anyParam = (c) => Object.values(config.schedules[c]).some((t) => Object.hasOwn(t, name));
  let extra = "";
  if (rule === "adadelta" && convention === "d2l" && (name === "eta" || name === "schedule" || anyParam("torch"))) {
    extra = message("error.unknown_adadelta");
  } else if (config.conventions.some(anyParam)) {
    const having = scheduleNames(config, convention).filter((s) => Object.hasOwn(config.schedules[convention][s],
      name));
    extra = having.length ? message("error.unknown_schedule", { schedules: joined(having), schedule })
      : message("error.unknown_other", { convention: otherOf(convention) });
  }
  const more = hasEta(config, convention, rule) ? message("error.unknown_more") : "";
  return message("error.unknown", { parameter: name, rule, convention, extra, known, more });
}

/** specs.joined: names joined as the tables join them ("exponential and polynomial"); `word` is "and" or "or". */
function joined(names, word = "and") {
  return names.slice(1).reduce((first, second) => message(`list.${word}`, { first, second }), names[0]);
}

/** specs.schedule_owner: a schedule's parameter's owner as the messages name it ("gd's cosine schedule"). */
const scheduleOwner = (rule, schedule) => message("owner.schedule", { rule, schedule });

// lesson._spec_of: the spec a link's text of `name` is read by (this convention first, then the other's).
function specOf(config, rule, name, convention, schedule) {
  for (const c of [convention, ...config.conventions]) {
    if (!hasEta(config, c, rule) && !Object.hasOwn(config.specs[c][rule], name) && name !== "sigma") continue;
    for (const s of [schedule, ...scheduleNames(config, c)]) {
      if (!scheduleNames(config, c).includes(s) || !(hasEta(config, c, rule) || s === "constant")) continue;
      const table = settingsOf(config, c, rule, s);
      if (Object.hasOwn(table, name)) return table[name];
    }
  }
  return null;
}

function checkLabel(label) { // lesson.check_label
  const printable = [...label].every((ch) => ch === " " || !/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Z}]/u.test(ch));
  if (label === "" || ([...label].length <= 40 && printable && !label.includes("=") && strip(label) === label
    && strip(label))) return label;
  return refuse("error.label", { most: "40", value: pyStrRepr(label) });
}

function runKey(name, raw) { // lesson._run_key
  if (name === "label") return checkLabel(raw);
  const value = parseInt_(raw, name);
  if (name === "seed") return Number(checkInt(value, "seed", 0n, SEED_HIGH, "[0, 2**32)"));
  return checkValue(message("owner.run"), name, { low: 1, high: 100, kind: "int" }, new Int(value));
}

// lesson._checked: one setting of a run read from a link, checked; the Refusal if it fails.
function checked(config, rule, convention, name, raw, schedule) {
  try {
    if (RUN_KEYS.includes(name)) return runKey(name, raw);
    const table = settingsOf(config, convention, rule, schedule);
    const spec = table[name];
    const own = Object.hasOwn(config.schedules[convention][schedule] ?? {}, name);
    return checkValue(own ? scheduleOwner(rule, schedule) : rule, name, spec,
      typed(specOf(config, rule, name, convention, schedule), raw));
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    return error;
  }
}

// lesson._parse_run: "gd:eta=0.4,schedule=cosine" as [rule, {key: raw}, [[what, why], ...]].
function parseRun(config, text) {
  const colon = text.indexOf(":");
  const rule = (colon < 0 ? strip(text) : strip(text.slice(0, colon))).toLowerCase();
  const rest = colon < 0 ? "" : text.slice(colon + 1);
  if (!config.rules.includes(rule)) {
    return [null, {}, [["", message("reason.not_optimizer", { name: pyStrRepr(rule),
      allowed: config.rules.join(", ") })]]];
  }
  const given = {}, bad = [];
  let last = null;
  for (const part of strip(rest) ? rest.split(",") : []) {
    const eq = part.indexOf("=");
    if (eq < 0) {
      if (last === null) bad.push([pyStrRepr(part), message("reason.run_key_value")]);
      else given[last] += `,${part}`;
      continue;
    }
    last = strip(part.slice(0, eq));
    const value = part.slice(eq + 1);
    if (Object.hasOwn(given, last)) {
      bad.push([`${last}=${pyStrRepr(value)}`, message("reason.set_twice", { name: last })]);
      last = null;
      continue;
    }
    given[last] = value;
  }
  return [rule, given, bad];
}

// lesson._not_taken: why no run takes a link's key.
function notTaken(config, rules, convention, name) {
  const other = otherOf(convention);
  const mine = rules.some((t) => (hasEta(config, convention, t) ? scheduleNames(config, convention) : ["constant"])
    .some((s) => Object.hasOwn(settingsOf(config, convention, t, s), name)));
  if (mine) {
    const having = scheduleNames(config, convention).filter((s) => Object.hasOwn(config.schedules[convention][s],
      name));
    return message("reason.no_schedule_takes", { schedules: joined(having, "or") });
  }
  const theirs = rules.filter((t) => Object.hasOwn(config.specs[other][t], name) || (hasEta(config, other, t)
    && (name === "schedule" || Object.values(config.schedules[other]).some((p) => Object.hasOwn(p, name)))));
  if (theirs.length) {
    return message("reason.other_convention", { optimizer: theirs[0], name: pyStrRepr(name), convention: other });
  }
  return message("reason.no_taker", { name: pyStrRepr(name) });
}

/**
 * Read a link as Lesson.from_query(query, ignore=ignore) does; never throws.
 *
 * Every value goes through the lesson's checks; a bad one is dropped with a note and the default kept; steps past
 * config.pageSteps are capped with a note. Keys in `ignore` are dropped silently, and so is `lang`, the page's
 * language (linkLanguage), when it is one the page speaks.
 *
 * @param {object} config state.config(): rules, conventions, objectives, specs, schedules, limits, default lesson
 * @param {string} query the link's query string, with or without its "?"
 * @param {{ignore?: string[]}} [options]
 * @returns {{lesson: object, notes: {key: string, params: object}[]}} the lesson in state.lesson_state()'s plain
 *   form, and the notes as messages (core/i18n.js says them in the page's language; a few run notes are still
 *   English text, as Python gives them)
 */
export function fromQuery(config, query, { ignore = [] } = {}) {
  const base = config.defaultLesson;
  if (query !== null && query !== undefined && typeof query !== "string") {
    return { lesson: fromQuery(config, "").lesson, notes: [message("note.bad_link", { value: String(query) })] };
  }
  const pairs = queryPairs(query ?? "").filter(([k]) => !ignore.includes(k));
  const items = new Map(pairs.filter(([k]) => k !== "run"));
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

  // The runs, in the order the link gives them: an optimizer= list, then each run= value.
  let listed = [];
  for (const [key, raw] of pairs) {
    if (key === "optimizer") {
      const names = [...new Set(raw.split(",").map(strip).filter(Boolean).map((n) => n.toLowerCase()))];
      for (const n of names) {
        if (!config.rules.includes(n)) {
          notes.push(message("note.ignored_optimizer", { name: pyStrRepr(n), allowed: config.rules.join(", ") }));
        }
      }
      const known = names.filter((n) => config.rules.includes(n));
      const most = config.maxOptimizers;
      if (known.length > most) notes.push(message("note.too_many_optimizers", { count: String(most) }));
      listed.push(...known.slice(0, most).map((name) => [name, {}]));
    } else if (key === "run") {
      const [rule, given, bad] = parseRun(config, raw);
      for (const [what, why] of bad) {
        notes.push(what ? message("note.ignored_in_run_text", { what, run: pyStrRepr(raw), reason: why })
          : message("note.ignored_run", { run: pyStrRepr(raw), reason: why }));
      }
      if (rule !== null) listed.push([rule, given]);
    }
  }
  items.delete("optimizer");
  if (listed.length > config.maxRuns) {
    notes.push(message("note.too_many_runs", { count: String(config.maxRuns) }));
    listed = listed.slice(0, config.maxRuns);
  }
  if (!listed.length) listed = base.runs.map((run) => [run.optimizer, {}]);
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
  const runs = linkRuns(config, listed, items, convention, kw.seed === undefined ? null : Number(kw.seed), notes);
  const lesson = {
    runs, objective: kw.objective ?? base.objective, condition: kw.condition ?? base.condition,
    angle: kw.angle ?? base.angle, start: kw.start ?? [...base.start],
    steps: kw.steps === undefined ? base.steps : Number(kw.steps), convention, window: kw.window ?? null,
  };
  return { lesson, notes };
}

// lesson._link_runs: each run's own settings over name.key keys over plain keys, each checked; a key no run
// takes, or whose value fails a run's check, is dropped with one note, in the order of the link.
function linkRuns(config, listed, items, convention, seed, notes) {
  const rules = listed.map(([rule]) => rule);
  const schedules = listed.map(([rule, own]) => {
    let chosen = "constant";
    if (hasEta(config, convention, rule)) {
      for (const raw of [items.get("schedule"), items.get(`${rule}.schedule`), own.schedule]) {
        if (scheduleNames(config, convention).includes(raw)) chosen = raw;
      }
    }
    return chosen;
  });
  const layers = listed.map(() => [{}, {}]);
  for (const [key, raw] of items) {
    const dot = key.lastIndexOf(".");
    const target = dot < 0 ? "" : key.slice(0, dot), name = key.slice(dot + 1);
    if (target && !rules.includes(target)) {
      notes.push(ignored(key, raw, message("reason.not_shown", { target, shown: rules.join(", ") })));
      continue;
    }
    const indices = rules.map((_, i) => i).filter((i) => !target || rules[i] === target);
    const takers = indices.filter((i) => RUN_KEYS.includes(name)
      || Object.hasOwn(settingsOf(config, convention, rules[i], schedules[i]), name));
    if (!takers.length) {
      notes.push(ignored(key, raw, notTaken(config, indices.map((i) => rules[i]), convention, name)));
      continue;
    }
    const values = new Map();
    let failed = false;
    for (const i of takers) {
      const value = checked(config, rules[i], convention, name, raw, schedules[i]);
      if (value instanceof Refusal) {
        notes.push(ignored(key, raw, value.reason));
        failed = true;
        break;
      }
      values.set(i, value);
    }
    if (!failed) for (const [i, value] of values) layers[i][target ? 1 : 0][name] = value;
  }
  const out = listed.map(([rule, own], i) => {
    const mine = {};
    for (const [name, raw] of Object.entries(own)) {
      const known = RUN_KEYS.includes(name) || Object.hasOwn(settingsOf(config, convention, rule, schedules[i]), name);
      const value = known ? checked(config, rule, convention, name, raw, schedules[i])
        : new Refusal(unknown(config, rule, convention, schedules[i], name));
      if (value instanceof Refusal) {
        notes.push(message("note.ignored_in_run", { key: name, value: pyStrRepr(raw), run: String(i + 1),
          optimizer: rule, reason: value.reason }));
      } else mine[name] = value;
    }
    const given = { ...layers[i][0], ...layers[i][1], ...mine };
    const run = { optimizer: rule, settings: {}, seed: seed ?? 0, spread: 1, label: "" };
    for (const key of RUN_KEYS) {
      if (Object.hasOwn(given, key)) {
        run[key] = given[key];
        delete given[key];
      }
    }
    if (given.schedule === "cosine" || (given.schedule === undefined && schedules[i] === "cosine")) {
      const full = resolveSettings(config, convention, rule, given);
      if (!(full.warmup < full.period)) {
        notes.push(message("note.ignored_run_schedule", { run: String(i + 1), optimizer: rule,
          reason: message("error.warmup", { rule: scheduleOwner(rule, "cosine"), period: String(full.period),
            value: String(full.warmup) }) }));
        for (const p of scheduleParams(config, "cosine")) delete given[p];
      }
    }
    run.settings = resolveSettings(config, convention, rule, given);
    return run;
  });
  for (;;) { // a name given to two runs (or one a run is called anyway) is kept by the first only
    const names = labels(config, { runs: out });
    const twice = out.map((_, i) => i).filter((i) => out[i].label && names.filter((n) => n === names[i]).length > 1);
    if (!twice.length) return out;
    const i = twice[twice.length - 1];
    notes.push(message("note.label_taken", { label: pyStrRepr(out[i].label), run: String(i + 1),
      optimizer: out[i].optimizer }));
    out[i] = { ...out[i], label: "" };
  }
}

// --- writing ----------------------------------------------------------------------------------------------------

const SAFE = /[A-Za-z0-9_.\-~,:=]/; // urllib.parse's always-safe characters and urlencode(safe=",:=")

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

/** lesson._visible: the settings a link spells out. */
function visible(config, run) {
  const s = run.settings;
  const out = [];
  const rule = Object.keys(config.specs.d2l[run.optimizer]).concat(Object.keys(config.specs.torch[run.optimizer]));
  for (const [key, value] of Object.entries(s)) if (rule.includes(key)) out.push([key, value]);
  const schedule = s.schedule ?? "constant";
  if (schedule !== "constant" || (run.optimizer === "sgd" && Object.hasOwn(s, "schedule"))) {
    out.push(["schedule", schedule]);
    const params = scheduleParams(config, schedule);
    for (const [key, value] of Object.entries(s)) if (params.has(key)) out.push([key, value]);
  }
  if (Object.hasOwn(s, "sigma") && s.sigma !== config.sigma[run.optimizer].default) out.push(["sigma", s.sigma]);
  return out;
}

function written(config, run, ownSeed) { // lesson._written
  const out = visible(config, run).map(([k, v]) => [k, fmt(v)]);
  if (ownSeed && run.seed !== 0) out.push(["seed", String(run.seed)]);
  if (run.spread !== 1) out.push(["spread", String(run.spread)]);
  if (run.label) out.push(["label", run.label]);
  return out;
}

/**
 * The link of a lesson, byte for byte as Lesson.to_query() writes it: one optimizer= list with name.key settings
 * when every optimizer appears once, else one run= per run; every hyperparameter spelled out; a schedule (SGD's
 * always) with its parameters, noise, seed, spread and name where not the default; convention, start and window
 * when not the default.
 *
 * @param {object} config state.config()
 * @param {object} lesson a lesson in state.lesson_state()'s plain form
 * @returns {string} the query string, without "?"
 */
export function toQuery(config, lesson) {
  const base = config.defaultLesson;
  const optimizers = lesson.runs.map((r) => r.optimizer);
  const legacy = new Set(optimizers).size === optimizers.length;
  const seeds = new Set(lesson.runs.map((r) => r.seed));
  const q = legacy ? [["optimizer", optimizers.join(",")]] : [];
  q.push(["objective", lesson.objective], ["steps", String(lesson.steps)]);
  if (lesson.convention !== base.convention) q.push(["convention", lesson.convention]);
  if (legacy && seeds.size === 1 && lesson.runs[0].seed !== 0) q.push(["seed", String(lesson.runs[0].seed)]);
  if (lesson.objective === "general") q.push(["condition", fmt(lesson.condition)], ["angle", fmt(lesson.angle)]);
  if (lesson.start[0] !== base.start[0] || lesson.start[1] !== base.start[1]) {
    q.push(["start", `${fmt(lesson.start[0])},${fmt(lesson.start[1])}`]);
  }
  if (lesson.window) q.push(["window", lesson.window.map(fmt).join(",")]);
  for (const run of lesson.runs) {
    const words = written(config, run, !legacy || seeds.size > 1);
    if (legacy) {
      for (const [k, v] of words) q.push([lesson.runs.length > 1 ? `${run.optimizer}.${k}` : k, v]);
    } else {
      q.push(["run", [run.optimizer, ...(words.length ? [words.map(([k, v]) => `${k}=${v}`).join(",")] : [])]
        .join(":")]);
    }
  }
  return q.map(([k, v]) => `${quotePlus(k)}=${quotePlus(v)}`).join("&");
}
