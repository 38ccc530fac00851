// The lesson on screen as plain data, and the changes a control makes to it. No DOM.
//
// A lesson has the fields of Python's Lesson (state.lesson_state): {optimizers, hyperparameters, objective,
// condition, angle, start, steps, convention, seed, window}, with every hyperparameter of every optimizer shown
// resolved. The objective is a built-in one's name or a formula (canonical, as core/formula.js writes it); window
// is null (the objective's own) or [x1 low, x1 high, x2 low, x2 high].
// The functions here return new lessons and never mutate; Python checks every lesson the page sends.

/** The spec table of `rule` under `convention`: {name: {default, low, high, scale, stops, ...} | {default, choices}}. */
export function specsOf(config, convention, rule) {
  return config.specs[convention][rule];
}

/** Every hyperparameter of `rule` under `convention`: the given value where the table knows the name, else its default. */
export function resolveValues(config, convention, rule, given = {}) {
  const table = specsOf(config, convention, rule);
  const out = {};
  for (const [name, spec] of Object.entries(table)) out[name] = name in given ? given[name] : spec.default;
  return out;
}

function copy(lesson) {
  return { ...lesson, optimizers: [...lesson.optimizers], start: [...lesson.start],
    hyperparameters: Object.fromEntries(Object.entries(lesson.hyperparameters).map(([k, v]) => [k, { ...v }])) };
}

/** The lesson with `names` shown: values kept for optimizers already shown, defaults for new ones. */
export function withOptimizers(config, lesson, names) {
  const next = copy(lesson);
  next.optimizers = [...names];
  next.hyperparameters = Object.fromEntries(names.map((n) => [n,
    resolveValues(config, lesson.convention, n, lesson.hyperparameters[n] ?? {})]));
  return next;
}

/**
 * The lesson under another convention: every value is kept where the new convention has the name, so a class
 * sees what moving eps outside the square root does to the same numbers; a name only the new convention has
 * (torch's lr for Adadelta) takes its default, as the Python app did.
 */
export function withConvention(config, lesson, convention) {
  const next = copy(lesson);
  next.convention = convention;
  next.hyperparameters = Object.fromEntries(lesson.optimizers.map((n) => [n,
    resolveValues(config, convention, n, lesson.hyperparameters[n])]));
  return next;
}

export function withHyperparameter(lesson, optimizer, name, value) {
  const next = copy(lesson);
  next.hyperparameters[optimizer][name] = value;
  return next;
}

export function withSettings(lesson, settings) {
  return { ...copy(lesson), ...settings };
}

/** Reset: every setting but the optimizers shown and the objective (its window too) back to the book's. */
export function reset(config, lesson) {
  const base = config.defaultLesson;
  const next = { ...copy(base), optimizers: [...lesson.optimizers], objective: lesson.objective,
    condition: lesson.condition, angle: lesson.angle, window: lesson.window ?? null };
  next.hyperparameters = Object.fromEntries(lesson.optimizers.map((n) => [n,
    resolveValues(config, base.convention, n)]));
  return next;
}

export function sameLesson(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The options engine.run() takes for one optimizer of the lesson. */
export function runOptions(lesson, optimizer, noise) {
  return { objective: lesson.objective, condition: lesson.condition, angle: lesson.angle, start: lesson.start,
    steps: lesson.steps, convention: lesson.convention, seed: lesson.seed, noise, window: lesson.window ?? null,
    ...lesson.hyperparameters[optimizer] };
}

/** What one optimizer's run depends on, as a string: the key of the run cache. */
export function runKey(lesson, optimizer) {
  const { objective, condition, angle, start, steps, convention, seed } = lesson;
  const general = objective === "general";
  return JSON.stringify([optimizer, objective, general ? condition : 0, general ? angle : 0, start, steps,
    convention, optimizer === "sgd" ? seed : 0, lesson.hyperparameters[optimizer]]);
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

/** SGD's noise as compute() reads it, [n1, n2] per step, from an array of pairs or a typed array of pairs. */
export function noisePairs(noise) {
  if (noise == null) return noise;
  let flat = noise;
  if (noise instanceof ArrayBuffer) flat = new Float64Array(noise);
  else if (noise instanceof DataView) flat = new Float64Array(noise.buffer, noise.byteOffset, noise.byteLength >> 3);
  if (!ArrayBuffer.isView(flat)) return noise;
  return Array.from({ length: flat.length >> 1 }, (_, t) => [flat[2 * t], flat[2 * t + 1]]);
}
