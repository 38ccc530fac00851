// The name of an exported figure, as figures.file_name writes it: what the figure shows, every run of it
// ("gd_eta0.4_vs_gd_eta0.6.svg"). No DOM.
import { pyG } from "./format.js";
import { formulaSlug } from "./formula.js";
import { settingsOf } from "./lesson.js";
import { toQuery } from "./link_write.js";

const num = (value) => (Array.isArray(value) ? value.join("-") : pyG(value)); // figures._num

// zlib.crc32 (the IEEE polynomial, reflected): the digest ending a name cut at config.maxName characters.
const CRC = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

export function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * figures.file_name(lesson, format, step): each run's optimizer and settings (eps and what is at its default left
 * out), runs joined by "_vs_", then what differs from the book's setting: objective (a formula as "f-" and its
 * slug), window, start, steps, convention, the seed of noisy runs, the step.
 *
 * @param {object} config state.config()
 * @param {object} lesson a lesson in state.lesson_state's form
 * @param {string} format "svg", "png", ...
 * @param {number | null} step the highlighted step, or null
 */
export function fileName(config, lesson, format = "svg", step = null) {
  const seeds = new Set(lesson.runs.map((r) => r.seed));
  const noisy = lesson.runs.some((r) => r.settings.sigma > 0);
  const parts = lesson.runs.map((r) => {
    const own = config.specs[lesson.convention][r.optimizer];
    const table = settingsOf(config, lesson.convention, r.optimizer, r.settings.schedule ?? "constant");
    const words = [r.optimizer];
    for (const [key, value] of Object.entries(r.settings)) {
      const spec = table[key];
      if (Array.isArray(spec.choices)) {
        if (value !== spec.default) words.push(key === "schedule" ? `schedule-${value}` : `${key}-${String(value)}`);
      } else if (Object.hasOwn(own, key)) {
        if (key !== "eps" || value !== spec.default) words.push(`${key}${/\d$/.test(key) ? "-" : ""}${num(value)}`);
      } else if (JSON.stringify(value) !== JSON.stringify(spec.default)) { // a schedule's parameter, the noise
        words.push(`${key}${num(value)}`);
      }
    }
    if (seeds.size > 1 && r.settings.sigma > 0) words.push(`seed${r.seed}`);
    if (r.spread !== 1) words.push(`spread${r.spread}`);
    return words.join("_");
  });
  let name = parts.join("_vs_");
  const base = config.defaultLesson;
  if (lesson.objective === "general") name += `_general-c${num(lesson.condition)}-a${num(lesson.angle)}`;
  else if (!Object.hasOwn(config.objectives, lesson.objective)) name += `_f-${formulaSlug(lesson.objective)}`;
  else if (lesson.objective !== base.objective) name += `_${lesson.objective}`;
  if (lesson.window) name += `_window${lesson.window.map(num).join("_")}`;
  if (lesson.start[0] !== base.start[0] || lesson.start[1] !== base.start[1]) {
    name += `_from${num(lesson.start[0])}_${num(lesson.start[1])}`;
  }
  if (lesson.steps !== base.steps) name += `_steps${lesson.steps}`;
  if (lesson.convention !== base.convention) name += `_${lesson.convention}`;
  if (noisy && seeds.size === 1 && lesson.runs[0].seed !== base.runs[0].seed) name += `_seed${lesson.runs[0].seed}`;
  if (step) name += `_step${step}`;
  if (name.length > config.maxName) {
    const digest = crc32(new TextEncoder().encode(toQuery(config, lesson))).toString(16).padStart(8, "0");
    name = `${name.slice(0, config.maxName - 9)}_${digest}`;
  }
  return `${name}.${format}`;
}
