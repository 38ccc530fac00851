// The hyperparameters of each optimizer shown, one column each, made from the spec table: a slider over the
// spec's stops for a number (log stops for eta and eps), a select for a choice, a checkbox for a switch; under
// gd, momentum and Nesterov on a quadratic, the stability limit and whether eta is inside it.
import { shows } from "../core/display.js";
import { pyG } from "../core/format.js";
import { LIMIT_RULES, etaLimit } from "../core/objectives.js";
import { h } from "./dom.js";
import { createSlider } from "./slider.js";

const over = (rule) => (/^\d+$/.test(rule) ? `${rule}/λmax` : `(${rule})/λmax`); // c(β) / λmax

/**
 * @param {object} config state.config()
 * @param {(optimizer: string, name: string, value: any) => void} onChange a control moved
 * @returns {{element, sync(lesson, colors, display): string, stability(lesson, hessian)}} sync returns the key of
 *   the columns shown (it changes when the columns are built again)
 */
export function createHyper(config, onChange) {
  const element = h("div", { class: "tj-hyper" });
  let key = null, controls = {}, notes = {};

  function column(lesson, name, color, display) {
    const rows = [h("h3", { style: `color:${color}`, text: name })];
    for (const [key_, spec] of Object.entries(config.specs[lesson.convention][name])) {
      if (!shows(display, key_, name)) continue; // a compact page shows only the controls it names
      const value = lesson.hyperparameters[name][key_];
      const symbol = config.symbols[key_] ?? key_;
      const classes = [`tj-${key_}`, `tj-${name}-${key_}`];
      const id = `${name}/${key_}`;
      if (spec.choices && typeof spec.default === "boolean") {
        const box = h("input", { type: "checkbox", class: classes.join(" "), title: spec.description,
          onchange: (e) => onChange(name, key_, e.target.checked) });
        box.checked = value;
        controls[id] = { get: () => box.checked, set: (v) => { box.checked = v; } };
        rows.push(h("label", { class: "tj-field" }, h("span", { class: "tj-name", text: symbol }), box,
          h("span", { class: "tj-hint", text: spec.description })));
      } else if (spec.choices) {
        const select = h("select", { class: classes.join(" "), title: spec.description, "aria-label": `${name} ${key_}`,
          onchange: (e) => onChange(name, key_, e.target.value) },
        ...spec.choices.map((c) => h("option", { value: c, text: c })));
        select.value = value;
        controls[id] = { get: () => select.value, set: (v) => { select.value = v; } };
        rows.push(h("label", { class: "tj-field" }, h("span", { class: "tj-name", text: symbol }), select));
      } else {
        const slider = createSlider({ label: symbol, classes, stops: spec.stops, value, format: (v) => pyG(v, 4),
          title: `${spec.description} (${key_})`, onChange: (v) => onChange(name, key_, v) });
        controls[id] = { get: () => slider.value, set: (v) => slider.set(v) };
        rows.push(slider.element);
      }
    }
    notes[name] = h("div", { class: `tj-stability tj-${name}-stability` });
    rows.push(notes[name]);
    const shown = rows.length > 2; // its name and its stability note are not worth a column alone
    return h("div", { class: "tj-hyper-column", role: "group", "aria-label": `${name} hyperparameters`,
      hidden: !shown }, ...rows);
  }

  return {
    element,
    /** The columns of the lesson's optimizers (built again only when they, their colours, the convention or the
     * controls shown change). */
    sync(lesson, colors, display) {
      const next = JSON.stringify([lesson.optimizers, lesson.convention, colors, display.controls]);
      if (next !== key) {
        key = next;
        controls = {};
        notes = {};
        element.replaceChildren(...lesson.optimizers.map((name) => column(lesson, name, colors[name], display)));
        element.hidden = !element.querySelector(".tj-hyper-column:not([hidden])");
      }
      for (const [id, control] of Object.entries(controls)) {
        const [name, key_] = id.split("/");
        const value = lesson.hyperparameters[name][key_];
        if (control.get() !== value) control.set(value);
      }
      return key;
    },
    /** "stable for η < 0.5 = 2/λmax (λmax = 4): η is inside" under each optimizer with a limit here. */
    stability(lesson, hessian) {
      for (const name of lesson.optimizers) {
        const note = notes[name];
        if (!note) continue;
        const hp = lesson.hyperparameters[name];
        const limit = hp.eta === undefined ? null : etaLimit(name, hessian, hp.beta ?? 0);
        let className = `tj-stability tj-${name}-stability`, text = "";
        if (limit !== null) {
          const lambda = 2 / etaLimit("gd", hessian);
          const inside = hp.eta < limit;
          className += inside ? " tj-inside" : " tj-outside";
          text = `stable for η < ${pyG(limit, 4)} = ${over(LIMIT_RULES[name])} `
            + `(λmax\u00a0=\u00a0${pyG(lambda, 4)}): `
            + (inside ? "η is inside" : "η is past it: the run cannot converge");
        }
        if (note.className !== className) note.className = className;
        if (note.textContent !== text) note.textContent = text;
      }
    },
  };
}
