// The controls column beside the figure: the optimizers run, the objective with its formula (and the general
// quadratic's condition and angle, or a field for the teacher's own f(x1, x2)), the convention, the steps, the start,
// Reset and Export. Each control calls back with what the hand did; sync(lesson) shows a lesson, writing only what
// changed.
import { pyG } from "../core/format.js";
import { mathml } from "../core/mathml.js";
import { checkObjective } from "../core/objectives.js";
import { h, iconButton } from "./dom.js";
import { createSlider } from "./slider.js";

/**
 * @param {object} config state.config()
 * @param {Function} t the page's words (core/i18n.js translator)
 * @param {object} lesson the lesson to start from
 * @param {object} on what the controls do: optimizer(name) (add a run of it, or remove its runs), objective(name),
 *   formula(text) (the field, as typed), settings({condition | angle | steps}), convention(name), start(text1,
 *   text2) (the typed fields), reset(), export(), exportGif()
 * @returns {{element, exportButton, gifButton, exportOutput, sync(lesson, colors), showStart(start),
 *   formula(objective), formulaError(message), show(shown), fit()}} gifButton: Play as a GIF, which a kernel makes
 *   (the app hides it where there is none)
 */
export function createControls(config, t, lesson, on) {
  const optimizerButtons = Object.fromEntries(config.rules.map((name) => [name, h("button", {
    type: "button", class: `tj-optimizer-${name}`, "aria-pressed": "false",
    title: t("control.run_optimizer", { name: t.term("optimizer", name), count: config.maxRuns }),
    onclick: () => on.optimizer(name),
  }, h("span", { class: "tj-swatch" }), t.term("optimizer", name))]));
  let listed = false; // an objective picked from the list takes the formula field over, whatever it holds
  const objective = h("select", { class: "tj-objective", "aria-label": t("control.objective"),
    onchange: (e) => { listed = true; on.objective(e.target.value); } },
  ...Object.keys(config.objectives).map((name) => h("option", { value: name, text: t.term("objective", name) })),
  h("option", { value: "", text: t("control.formula_option"), disabled: true }));
  const formula = h("div", { class: "tj-formula", "aria-live": "polite" });
  // The teacher's own f(x1, x2): each key redraws the picture with what was typed, when it reads as a formula;
  // until it does, the one line below says where it stops making sense, and the last good formula stays.
  const formulaInput = h("input", { type: "text", class: "tj-formula-input", spellcheck: "false",
    autocomplete: "off", "aria-label": t("control.formula"), placeholder: t("control.formula_placeholder"),
    title: t("control.formula_title"),
    oninput: (e) => on.formula(e.target.value) });
  const formulaError = h("div", { class: "tj-formula-error", role: "status" });
  const fieldReads = () => { // the objective the field's text reads as, or null
    try {
      return formulaInput.value.trim() ? checkObjective(config, formulaInput.value) : null;
    } catch {
      return null;
    }
  };
  const showError = (message) => {
    if (formulaError.textContent !== message) formulaError.textContent = message;
    formulaInput.setAttribute("aria-invalid", String(Boolean(message)));
  };
  const { condition: c, angle: a } = config.general;
  const condition = createSlider({ label: t("control.condition"), classes: ["tj-condition"], stops: c.stops,
    value: lesson.condition, format: (v) => pyG(v, 3), title: t("control.condition_title"),
    onChange: (v) => on.settings({ condition: v }) });
  const angle = createSlider({ label: t("control.angle"), classes: ["tj-angle"], stops: a.stops, value: lesson.angle,
    format: (v) => String(v), title: t("control.angle_title"), onChange: (v) => on.settings({ angle: v }) });
  const generalBox = h("div", { class: "tj-general" }, condition.element, angle.element);
  const conventionButtons = {
    d2l: h("button", { type: "button", "aria-pressed": "true", title: t("control.book_title"),
      onclick: () => on.convention("d2l") }, t("control.book")),
    torch: h("button", { type: "button", "aria-pressed": "false", title: t("control.torch_title"),
      onclick: () => on.convention("torch") }, t("control.torch")),
  };
  const steps = createSlider({ label: t("control.steps"), classes: ["tj-steps"], stops: config.stepStops,
    value: lesson.steps, format: String, title: t("control.steps_title", { most: config.pageSteps }),
    onChange: (v) => on.settings({ steps: v }) });
  const start = () => on.start(startX1.value, startX2.value);
  const startX1 = h("input", { type: "number", step: "0.1", class: "tj-start-x1", "aria-label": t("control.start_x1"),
    onchange: start });
  const startX2 = h("input", { type: "number", step: "0.1", class: "tj-start-x2", "aria-label": t("control.start_x2"),
    onchange: start });
  const reset = iconButton("reset", t("control.reset"), { class: "tj-reset", title: t("control.reset_title"),
    onclick: on.reset });
  const exportButton = iconButton("download", t("control.export"), { class: "tj-export",
    title: t("control.export_title"), onclick: on.export });
  const gifButton = iconButton("download", t("control.gif"), { class: "tj-export-gif",
    title: t("control.gif_title"), onclick: on.exportGif });
  const exportOutput = h("div", { class: "tj-export-output", "aria-live": "polite" });
  // Each row under the name a compact page gives it (trajectories.display.CONTROLS).
  const rows = {
    optimizers: h("div", { class: "tj-optimizer", role: "group", "aria-label": t("control.optimizers") },
      ...Object.values(optimizerButtons)),
    objective: h("div", { class: "tj-objective-rows" },
      h("label", { class: "tj-field" }, h("span", { class: "tj-name", text: t("control.objective") }), objective),
      h("label", { class: "tj-field tj-formula-field" }, h("span", { class: "tj-name", text: "f(x1, x2) =" }),
        formulaInput),
      formulaError, formula, generalBox),
    convention: h("div", { class: "tj-field" }, h("span", { class: "tj-name", text: t("control.convention") }),
      h("div", { class: "tj-convention", role: "group", "aria-label": t("control.convention") },
        conventionButtons.d2l, conventionButtons.torch)),
    steps: steps.element,
    start: h("div", { class: "tj-start-rows" },
      h("div", { class: "tj-field tj-start-fields" }, h("span", { class: "tj-name", text: t("control.start") }),
        h("label", {}, "x1 ", startX1), h("label", {}, "x2 ", startX2)),
      h("div", { class: "tj-hint tj-start-hint", text: t("control.start_hint") })),
    tools: h("div", { class: "tj-tools" }, reset, exportButton, gifButton),
  };
  const element = h("div", { class: "tj-controls" }, ...Object.values(rows), exportOutput);
  let shown = null, latex = null;

  // The formula's size: its natural one, or smaller until it fits the column (measured when it or the column
  // changes, never on a slider move).
  function fit() {
    const math = formula.firstElementChild;
    if (!math || !formula.isConnected) return;
    math.style.fontSize = "";
    const room = formula.clientWidth, need = math.getBoundingClientRect().width;
    if (!(room > 0 && need > room)) return;
    const size = Number.parseFloat(getComputedStyle(math).fontSize); // px: an em would be the parent's
    math.style.fontSize = `${(size * Math.max(0.6, (0.97 * room) / need)).toFixed(2)}px`;
  }

  return {
    element,
    exportButton,
    gifButton,
    exportOutput,
    sync(next, colors) {
      const optimizers = next.runs.map((r) => r.optimizer);
      const key = JSON.stringify([optimizers, next.objective, next.convention, colors]);
      if (key !== shown) { // what the buttons show changes only with these: left alone on a slider move
        shown = key;
        for (const [name, button] of Object.entries(optimizerButtons)) {
          const on_ = optimizers.includes(name);
          button.setAttribute("aria-pressed", String(on_));
          button.firstChild.style.background = on_ ? colors[name] : "transparent";
          button.style.color = on_ ? colors[name] : "";
        }
        const builtIn = Object.hasOwn(config.objectives, next.objective);
        objective.value = builtIn ? next.objective : "";
        generalBox.hidden = next.objective !== "general";
        // The field keeps what is typed there while the objective is what it reads as (or while it is being
        // typed and does not read yet); an objective from elsewhere (the list, a link, Python) takes it over.
        const reads = fieldReads();
        const typing = formulaInput.getRootNode().activeElement === formulaInput;
        if (listed || (reads === null ? !typing : reads !== next.objective)) {
          formulaInput.value = builtIn ? config.objectives[next.objective].text ?? "" : next.objective;
          showError("");
        }
        listed = false;
        for (const [name, button] of Object.entries(conventionButtons)) {
          button.setAttribute("aria-pressed", String(name === next.convention));
        }
      }
      if (condition.value !== next.condition) condition.set(next.condition);
      if (angle.value !== next.angle) angle.set(next.angle);
      if (steps.value !== next.steps) steps.set(next.steps);
      for (const [field, v] of [[startX1, next.start[0]], [startX2, next.start[1]]]) {
        if (document.activeElement !== field && field.value !== String(v)) field.value = String(v);
      }
    },
    fit,
    /** The start fields show `start`, focused or not (what was typed there was refused). */
    showStart(start) {
      startX1.value = String(start[0]);
      startX2.value = String(start[1]);
    },
    /** Show the objective's formula as MathML (a typed formula's own, or the built-in one's LaTeX read), whole: a
     * formula wider than the column (the general quadratic's) is set smaller rather than cut. */
    formula(o) {
      if (o.latex === latex) return;
      latex = o.latex;
      formula.innerHTML = o.mathml ?? mathml(o.latex);
      fit();
    },
    /** Show only the rows `shown(name)` allows (a compact page), Reset and Export under their own names. */
    show(shown) {
      for (const [name, row] of Object.entries(rows)) {
        if (name === "tools") {
          reset.hidden = !shown("reset");
          exportButton.hidden = !shown("export");
          if (!shown("export")) gifButton.hidden = true; // shown, where a kernel makes it, with Export
          row.hidden = reset.hidden && exportButton.hidden;
        } else {
          row.hidden = !shown(name);
        }
      }
      exportOutput.hidden = exportButton.hidden;
      element.hidden = Object.values(rows).every((row) => row.hidden);
      fit();
    },
    /** The one line that says why the text in the field is not (yet) a formula; "" when it is. */
    formulaError: showError,
  };
}
