// A lesson's link written byte for byte as Lesson.to_query writes it (core/link.js reads one). Pure, no DOM,
// importable by Node as it is.
import { pyRepr } from "./format.js";
import { scheduleParams } from "./lesson.js";

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
