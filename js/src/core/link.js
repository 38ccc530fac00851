// A lesson's link read with the platform's URLSearchParams and the lesson's own checks (core/link_values.js), for
// the page that runs without Python (core/link_write.js writes one). Pure, no DOM, importable by Node as it is.
//
// Every fact comes from Python's config (the names, the limits, the spec table, the default lesson). A link gives
// the lesson Lesson.from_query gives, and a note for each parameter it ignores, as the same message of the tables
// (core/i18n.js: {key, params}, said in the page's language) for the links people write; for exotic text (other
// scripts, control characters) the values quoted may differ. js/test/links.json, made by
// js/test/make_links_golden.py, holds Python's lessons and notes for the same links.
import { LANGUAGES, message } from "./i18n.js";
import { pyG, pyStrRepr, pyStrip } from "./format.js";
import { checkObjective } from "./objectives.js";
import { FormulaError } from "./formula.js";
import { formulaObjective } from "./formula_objective.js";
import { labels, resolveSettings, scheduleParams, settingsOf } from "./lesson.js";
import {
  checkGeneral, checkInt, checkName, checkValue, Int, parseFloat_, parseInt_, parsePair, parseWindow, pyFloatRepr,
  readInt, Refusal, refuse, refuseWith, RUN_KEYS, SEED_HIGH, typed,
} from "./link_values.js";

const ignored = (key, raw, reason) => message("note.ignored", { key, value: pyStrRepr(raw), reason });
const strip = pyStrip;

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
    try {
      checkName(raw, "lang", LANGUAGES);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      notes.push(ignored("lang", raw, error.reason));
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

/** The language a link asks the page to speak (lang=zh), or null where it names none the page speaks. */
export function linkLanguage(query) {
  const raw = typeof query === "string" ? queryItems(query).get("lang") : undefined;
  return LANGUAGES.includes(raw) ? raw : null;
}
