// The lesson on screen as plain data, and the changes a control makes to it. No DOM.
//
// A lesson has the fields of Python's Lesson (state.lesson_state): {runs, objective, condition, angle, start,
// steps, convention, window}; a run is {optimizer, settings, seed, spread, label}, its settings complete (every
// hyperparameter, the schedule and its parameters where the optimizer has a learning rate, sigma). The objective
// is a built-in one's name or a formula (canonical, as core/formula.js writes it); window is null (the objective's
// own) or [x1 low, x1 high, x2 low, x2 high]. The functions here return new lessons and never mutate; Python
// checks every lesson the page sends.
import { pyG } from "./format.js";

/** The settings table of a run (specs.settings): its hyperparameters, the schedule and its parameters, sigma. */
export function settingsOf(config, convention, rule, schedule = "constant") {
  const table = { ...config.specs[convention][rule] };
  if (Object.hasOwn(table, "eta")) {
    const schedules = config.schedules[convention];
    table.schedule = config.schedule[convention];
    Object.assign(table, schedules[Object.hasOwn(schedules, schedule) ? schedule : "constant"]);
  }
  table.sigma = config.sigma[rule];
  return table;
}

const defaultOf = (spec) => (Array.isArray(spec.default) ? [...spec.default] : spec.default);

/**
 * Every setting of a run of `rule` under `convention`: the given value where the table knows the name, else its
 * default (a schedule the convention does not have is the constant rate).
 */
export function resolveSettings(config, convention, rule, given = {}) {
  const schedules = config.schedules[convention];
  const schedule = Object.hasOwn(schedules, given.schedule) ? given.schedule : "constant";
  const out = {};
  for (const [name, spec] of Object.entries(settingsOf(config, convention, rule, schedule))) {
    out[name] = name === "schedule" ? schedule : Object.hasOwn(given, name) ? given[name] : defaultOf(spec);
  }
  return out;
}

/** A fresh run of `rule`: its defaults, the given seed. */
export function newRun(config, convention, rule, seed = 0) {
  return { optimizer: rule, settings: resolveSettings(config, convention, rule), seed, spread: 1, label: "" };
}

function copyRun(run) {
  return { ...run, settings: { ...run.settings } };
}

function copy(lesson) {
  return { ...lesson, start: [...lesson.start], runs: lesson.runs.map(copyRun) };
}

/** The lesson with one more run of `rule` at its defaults (the noise seeded as the first run's). */
export function withRunAdded(config, lesson, rule) {
  const next = copy(lesson);
  next.runs.push(newRun(config, lesson.convention, rule, lesson.runs[0]?.seed ?? 0));
  return next;
}

/** The lesson without run `index`. */
export function withoutRun(lesson, index) {
  const next = copy(lesson);
  next.runs.splice(index, 1);
  return next;
}

/** The lesson with a copy of run `index` after it (without its name, so the copy is labelled by what differs). */
export function withRunDuplicated(lesson, index) {
  const next = copy(lesson);
  next.runs.splice(index + 1, 0, { ...copyRun(lesson.runs[index]), label: "" });
  return next;
}

/**
 * The lesson with setting `name` of run `index` set to `value`. A new schedule starts from its parameters'
 * defaults (lesson.changed in Python); seed, spread and label are the run's own fields.
 */
export function withSetting(config, lesson, index, name, value) {
  const next = copy(lesson);
  const run = next.runs[index];
  if (["seed", "spread", "label"].includes(name)) {
    run[name] = value;
  } else if (name === "schedule") {
    const kept = { ...run.settings, schedule: value };
    for (const param of Object.keys(config.schedules[lesson.convention][run.settings.schedule] ?? {})) {
      delete kept[param];
    }
    run.settings = resolveSettings(config, lesson.convention, run.optimizer, kept);
  } else {
    run.settings[name] = value;
  }
  return next;
}

/** Every run of `optimizer` with setting `name` at `value` (what the landscape's pick does to its run). */
export function withSettings(lesson, settings) {
  return { ...copy(lesson), ...settings };
}

/**
 * The lesson under another convention: every value is kept where the new convention has the name, so a class
 * sees what moving eps outside the square root does to the same numbers; a name only the new convention has
 * (torch's lr for Adadelta) takes its default; a schedule only the other convention has becomes the constant rate.
 */
export function withConvention(config, lesson, convention) {
  const next = copy(lesson);
  next.convention = convention;
  next.runs = lesson.runs.map((run) => ({ ...copyRun(run),
    settings: resolveSettings(config, convention, run.optimizer, run.settings) }));
  return next;
}

/** Reset: every setting of every run back to the book's (the default lesson's convention), steps and start too;
 * the runs, their seeds and names, and the objective (its window too) stay. */
export function reset(config, lesson) {
  const base = config.defaultLesson;
  return { ...copy(base), objective: lesson.objective, condition: lesson.condition, angle: lesson.angle,
    window: lesson.window ?? null,
    runs: lesson.runs.map((run) => ({ ...newRun(config, base.convention, run.optimizer, run.seed),
      label: run.label })) };
}

export function sameLesson(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

// ---- labels and keys -------------------------------------------------------------------------------------------

function word(config, key, value, t) { // lesson._word; `t` says it in a reader's language
  if (key === "schedule") return t ? t(`choice.${value}`) : String(value);
  if (key === "seed") return t ? t("label.seed", { seed: String(value) }) : `seed ${value}`;
  if (key === "spread") return t ? t("label.seeds", { count: String(value) }) : `${value} seed${value === 1 ? "" : "s"}`;
  const symbol = config.symbols[key] ?? key;
  if (Array.isArray(value)) return `${key}=${value.join(",")}`;
  if (typeof value === "boolean") {
    return t ? t(value ? "label.on" : "label.off", { name: t.term("symbol", key) }) : `${symbol} ${value ? "on" : "off"}`;
  }
  return `${symbol}=${pyG(value)}`; // :g for a float; an integer step count has no more digits than :g shows
}

/** The names of `schedule`'s parameters under any convention. */
export const scheduleParams = (config, schedule) => new Set(Object.values(config.schedules)
  .flatMap((table) => Object.keys(table[schedule] ?? {})));

/**
 * Each run's label (lesson.labels): its name if a teacher gave one, else its optimizer and what differs from the
 * other unnamed runs of that optimizer ("gd η=0.4", "gd η=0.6"), identical ones numbered. With a translator `t`
 * (core/i18n.js), as lesson._made_labels(runs, lang) says them to a reader (梯度下降 余弦, 随机梯度下降 种子3).
 */
export function labels(config, lesson, t = null) {
  const runs = lesson.runs;
  let out = runs.map((run) => {
    const group = runs.filter((s) => s.optimizer === run.optimizer && !s.label);
    const words = [];
    if (group.length > 1) {
      const schedule = run.settings.schedule;
      for (const [key, value] of Object.entries(run.settings)) {
        const params = scheduleParams(config, schedule ?? "");
        const peers = group.filter((s) => !params.has(key) || s.settings.schedule === schedule);
        const differs = new Set(peers.map((s) => JSON.stringify(s.settings[key] ?? null))).size > 1;
        if (differs && (key !== "sigma" || value > 0)) words.push(word(config, key, value, t));
      }
      const noisy = group.filter((s) => (s.settings.sigma ?? 0) > 0);
      if ((run.settings.sigma ?? 0) > 0 && new Set(noisy.map((s) => s.seed)).size > 1) {
        words.push(word(config, "seed", run.seed, t));
      }
      if (run.spread > 1 && new Set(group.map((s) => s.spread)).size > 1) {
        words.push(word(config, "spread", run.spread, t));
      }
    }
    const name = t ? t.term("optimizer", run.optimizer) : run.optimizer;
    return words.length ? `${name} ${words.join(", ")}` : name;
  });
  const made = out.filter((_, i) => !runs[i].label);
  for (const label of new Set(made)) {
    if (made.filter((x) => x === label).length > 1) {
      let k = 0;
      out = out.map((x, i) => (x === label && !runs[i].label ? `${x} (${++k})` : x));
    }
  }
  return out.map((x, i) => runs[i].label || x);
}

/** Each run's id in classes and SVG ids: its optimizer, numbered when it repeats (gd-1, gd-2). */
export function keys(lesson) {
  const count = {}, seen = {};
  for (const run of lesson.runs) count[run.optimizer] = (count[run.optimizer] ?? 0) + 1;
  return lesson.runs.map((run) => {
    seen[run.optimizer] = (seen[run.optimizer] ?? 0) + 1;
    return count[run.optimizer] === 1 ? run.optimizer : `${run.optimizer}-${seen[run.optimizer]}`;
  });
}

/**
 * state.looks: how each run is drawn, in order ({color, marker}): the book's orange circle when alone; otherwise each
 * optimizer's own colour and marker (Okabe-Ito's eight), a second run of an optimizer shown already the first
 * colour and marker not yet taken. `dark`: the colours of a dark page (gd's ink, Okabe-Ito's own yellow).
 */
export function looksFor(config, optimizers, dark = false) {
  const { looks, book, bookMarker } = config.colors;
  const pick = (look) => ({ color: dark ? look.dark : look.color, marker: look.marker });
  if (optimizers.length === 1) return [{ color: book, marker: bookMarker }];
  const names = Object.keys(looks);
  const spareColors = names.filter((n) => !optimizers.includes(n)).map((n) => looks[n]);
  const spareMarkers = names.filter((n) => !optimizers.includes(n)).map((n) => looks[n].marker);
  return optimizers.map((name, i) => {
    if (optimizers.indexOf(name) === i) return pick(looks[name]);
    const color = spareColors.shift() ?? looks[name];
    return { ...pick(color), marker: spareMarkers.shift() ?? looks[name].marker };
  });
}

// ---- running -----------------------------------------------------------------------------------------------------

/** The options engine.run() takes for run `index` of the lesson. */
export function runOptions(lesson, index) {
  const run = lesson.runs[index];
  return { objective: lesson.objective, condition: lesson.condition, angle: lesson.angle, start: lesson.start,
    steps: lesson.steps, convention: lesson.convention, seed: run.seed,
    window: lesson.window ?? null, ...run.settings };
}

/** What one run depends on, as a string: the key of the run cache. */
export function runKey(lesson, index) {
  const { objective, condition, angle, start, steps, convention } = lesson;
  const run = lesson.runs[index];
  const general = objective === "general";
  const noisy = (run.settings.sigma ?? 0) > 0;
  return JSON.stringify([run.optimizer, objective, general ? condition : 0, general ? angle : 0, start, steps,
    convention, noisy ? run.seed : 0, noisy ? run.spread : 1, run.settings]);
}
