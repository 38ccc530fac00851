// The settings of each run, one column each, made from the spec tables: its label (a teacher may name it), the
// buttons that duplicate and remove it, its hyperparameters (a slider over the spec's stops for a number, a select
// for a choice, a checkbox for a switch), its learning-rate schedule and that schedule's parameters, its gradient
// noise (sigma, the seed, the number of seeds); under gd, momentum and Nesterov on a quadratic, the stability
// limit and whether eta is inside it. A compact page shows only the settings it names (core/display.js).
import { shows } from "../core/display.js";
import { pyG } from "../core/format.js";
import { settingsOf } from "../core/lesson.js";
import { LIMIT_RULES, etaLimit } from "../core/objectives.js";
import { h, iconOnlyButton } from "./dom.js";
import { createSlider } from "./slider.js";

const over = (rule) => (/^\d+$/.test(rule) ? `${rule}/λmax` : `(${rule})/λmax`); // c(β) / λmax
const SEED_HIGH = 2 ** 32 - 1;

/**
 * @param {object} config state.config()
 * @param {Function} t the page's words (core/i18n.js translator)
 * @param {object} on what the columns do: setting(index, name, value) (a setting, the seed, the spread, the
 *   label), duplicate(index), remove(index)
 * @returns {{element, sync(lesson, runs, display): string, stability(lesson, hessian)}} runs: [{key, label, color,
 *   marker}]; sync returns the key of the columns shown (it changes when the columns are built again)
 */
export function createHyper(config, t, on) {
  const element = h("div", { class: "tj-hyper" });
  // A symbol (η) stays a symbol; a name that is a word in the page's language (bias corr.) is said in it.
  const symbolOf = (key_) => (t.has(`symbol.${key_}`) ? t(`symbol.${key_}`) : config.symbols[key_] ?? key_);
  const choiceOf = (c) => (t.has(`choice.${c}`) ? t(`choice.${c}`) : String(c));
  const describe = (spec) => (spec.text ? t(spec.text) : "");
  let structure = null, controls = [], notes = [], noisy = [];
  const unfolded = new Set(); // the runs (by key) whose schedule and noise the hand unfolded

  function control(index, key, name, spec, value) {
    const symbol = symbolOf(name), description = describe(spec);
    const classes = [`tj-${name}`, `tj-${key}-${name}`];
    const set = (v) => on.setting(index, name, v);
    if (Array.isArray(spec.choices) && typeof spec.default === "boolean") {
      const box = h("input", { type: "checkbox", class: classes.join(" "), title: description,
        onchange: (e) => set(e.target.checked) });
      box.checked = value;
      return { row: h("label", { class: "tj-field" }, h("span", { class: "tj-name", text: symbol }), box,
        h("span", { class: "tj-hint", text: description })), get: () => box.checked,
        set: (v) => { box.checked = v; } };
    }
    if (Array.isArray(spec.choices)) {
      const select = h("select", { class: classes.join(" "), title: description,
        "aria-label": t("hyper.control", { name: key, key: name }), onchange: (e) => set(e.target.value) },
      ...spec.choices.map((c) => h("option", { value: c, text: choiceOf(c) })));
      select.value = value;
      return { row: h("label", { class: "tj-field" }, h("span", { class: "tj-name", text: symbol }), select),
        get: () => select.value, set: (v) => { select.value = v; } };
    }
    if (spec.kind === "ints") { // milestones: step counts typed as "15,30"
      const input = h("input", { type: "text", class: classes.join(" "), title: description,
        "aria-label": t("hyper.control", { name: key, key: name }), inputmode: "numeric" });
      input.value = value.join(",");
      input.addEventListener("change", () => {
        const steps = input.value.split(",").map((v) => Number(v.trim()));
        const ok = steps.length >= 1 && steps.length <= 8 && steps.every((n, i) => Number.isInteger(n)
          && n >= spec.low && n <= spec.high && (i === 0 || n > steps[i - 1]));
        if (ok) set(steps);
        else input.value = controls[index][name].value.join(","); // refused: back to the milestones in use
      });
      const entry = { row: h("label", { class: "tj-field" }, h("span", { class: "tj-name", text: symbol }), input),
        value, get: () => entry.value, set: (v) => { entry.value = v; input.value = v.join(","); } };
      return entry;
    }
    const slider = createSlider({ label: symbol, classes, stops: spec.stops, value,
      format: (v) => pyG(v, 4), title: `${description} (${name})`, onChange: set });
    return { row: slider.element, get: () => slider.value, set: (v) => slider.set(v) };
  }

  function column(lesson, index, look, display) {
    const run = lesson.runs[index];
    const { key, label, color } = look;
    const name = h("input", { type: "text", class: `tj-run-label tj-${key}-label`, value: run.label,
      placeholder: label, maxlength: "40", "aria-label": t("hyper.run_name", { label }),
      title: t("hyper.run_name_title") });
    name.addEventListener("change", () => {
      const text = name.value.trim();
      if (text.includes("=")) {
        name.value = run.label;
        return;
      }
      on.setting(index, "label", text);
    });
    const many = lesson.runs.length > 1, full = lesson.runs.length >= config.maxRuns;
    const head = h("div", { class: "tj-run-head" },
      h("span", { class: "tj-swatch", style: `background:${color}` }), name,
      iconOnlyButton("duplicate", { class: `tj-duplicate tj-${key}-duplicate`,
        title: t("hyper.duplicate_title", { label }), "aria-label": t("hyper.duplicate", { label }), disabled: full,
        onclick: () => on.duplicate(index) }),
      iconOnlyButton("remove", { class: `tj-remove tj-${key}-remove`, title: t("hyper.remove", { label }),
        "aria-label": t("hyper.remove", { label }), disabled: !many, onclick: () => on.remove(index) }));
    const rows = [head];
    const mine = {};
    const table = settingsOf(config, lesson.convention, run.optimizer, run.settings.schedule);
    // The schedule and the noise fold under one line while the run has neither (the book's comparisons mostly move
    // a hyperparameter): a column of sliders that short keeps every run's beside the plot on a projector.
    const plain = (run.settings.schedule ?? "constant") === "constant" && !(run.settings.sigma > 0);
    const more = h("details", { class: `tj-run-more tj-${key}-more`, open: !plain || unfolded.has(key) },
      h("summary", { class: "tj-run-part", text: t("hyper.more") }));
    more.addEventListener("toggle", () => {
      if (more.open) unfolded.add(key);
      else unfolded.delete(key);
      on.resized?.(); // the column's height changed: the layout may put the sliders in more columns
    });
    let shown = 0, folded = 0;
    for (const [name_, spec] of Object.entries(table)) {
      if (!shows(display, name_, run.optimizer)) continue; // a compact page shows only the controls it names
      shown += 1;
      const into = name_ === "schedule" || name_ === "sigma" || folded ? more : null;
      if (into) folded += 1;
      const at = into ? { push: (...nodes) => more.append(...nodes) } : rows;
      if (name_ === "schedule") at.push(h("div", { class: "tj-run-part", text: t("hyper.schedule_part") }));
      if (name_ === "sigma") at.push(h("div", { class: "tj-run-part", text: t("hyper.noise_part") }));
      const entry = control(index, key, name_, spec, run.settings[name_]);
      mine[name_] = entry;
      at.push(entry.row);
    }
    noisy[index] = [];
    if (shows(display, "sigma", run.optimizer)) {
      const noise = [];
      noisy[index] = noiseRows(lesson, index, key, label, mine, noise);
      more.append(...noise);
    }
    if (more.childNodes.length > 1) rows.push(more);
    notes[index] = h("div", { class: `tj-stability tj-${key}-stability` });
    rows.push(notes[index]);
    controls[index] = mine;
    return h("div", { class: `tj-hyper-column tj-run tj-run-${key}`, role: "group", "aria-label": t("hyper.settings", { label }),
      style: `border-top-color:${color}`, hidden: shown === 0 }, ...rows);
  }

  // The seed and the number of seeds of a run's noise, shown while it has noise (without it every seed is one path).
  function noiseRows(lesson, index, key, label, mine, rows) {
    const run = lesson.runs[index];
    const seed = h("input", { type: "number", class: `tj-seed tj-${key}-seed`, min: "0", max: String(SEED_HIGH),
      step: "1", "aria-label": t("hyper.seed_of", { label }), title: t("hyper.seed_title") });
    seed.value = String(run.seed);
    seed.addEventListener("change", () => {
      const n = Number(seed.value);
      if (seed.value !== "" && Number.isInteger(n) && n >= 0 && n <= SEED_HIGH) on.setting(index, "seed", n);
      else seed.value = String(lesson.runs[index].seed);
    });
    mine.seed = { get: () => Number(seed.value), set: (v) => { seed.value = String(v); } };
    const seedRow = h("label", { class: "tj-field" }, h("span", { class: "tj-name", text: t("hyper.seed") }), seed);
    rows.push(seedRow);
    const spread = createSlider({ label: t("hyper.seeds"), classes: ["tj-spread", `tj-${key}-spread`],
      stops: config.spread.stops, value: run.spread, format: String, title: describe(config.spread),
      onChange: (v) => on.setting(index, "spread", v) });
    mine.spread = { get: () => spread.value, set: (v) => spread.set(v) };
    rows.push(spread.element);
    return [seedRow, spread.element];
  }

  return {
    element,
    /** The columns of the lesson's runs (built again only when what they show changes: not on a slider move). */
    sync(lesson, looks, display) {
      const next = JSON.stringify([lesson.convention, lesson.runs.map((r, i) => [r.optimizer, r.settings.schedule,
        r.label, looks[i].key, looks[i].label, looks[i].color]), display.controls]);
      if (next !== structure) {
        structure = next;
        controls = [];
        notes = [];
        noisy = [];
        element.replaceChildren(...lesson.runs.map((_, i) => column(lesson, i, looks[i], display)));
        element.hidden = !element.querySelector(".tj-hyper-column:not([hidden])");
      }
      lesson.runs.forEach((run, i) => {
        for (const [name, entry] of Object.entries(controls[i])) {
          const value = name === "seed" || name === "spread" ? run[name] : run.settings[name];
          if (JSON.stringify(entry.get()) !== JSON.stringify(value)) entry.set(value);
        }
        const quiet = !(run.settings.sigma > 0);
        for (const row of noisy[i]) if (row.hidden !== quiet) row.hidden = quiet;
      });
      return structure;
    },
    /** "stable for η < 0.5 = 2/λmax (λmax = 4): η is inside" under each run with a limit here. */
    stability(lesson, hessian) {
      lesson.runs.forEach((run, i) => {
        const note = notes[i];
        if (!note) return;
        const hp = run.settings;
        const constant = (hp.schedule ?? "constant") === "constant";
        const limit = hp.eta === undefined || !constant ? null : etaLimit(run.optimizer, hessian, hp.beta ?? 0);
        let className = note.className.replace(/ tj-(inside|outside)/g, ""), text = "";
        if (limit !== null) {
          const lambda = 2 / etaLimit("gd", hessian);
          const inside = hp.eta < limit;
          className += inside ? " tj-inside" : " tj-outside";
          text = t(inside ? "hyper.stable_inside" : "hyper.stable_outside", { limit: pyG(limit, 4),
            rule: over(LIMIT_RULES[run.optimizer]), lambda: pyG(lambda, 4) });
        }
        if (note.className !== className) note.className = className;
        if (note.textContent !== text) note.textContent = text;
      });
    },
  };
}
