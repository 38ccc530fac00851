// The step inspector beside the plot: the selected optimizer's update in the book's notation (or torch.optim's
// documented form) with the highlighted step's numbers, for both coordinates, from this page's engine
// (core/inspector.js). It can be folded away; on a narrow screen it shows the equations and their values only.
// Its words are the tables' inspector.* messages in the page's language (the same Python's inspector says).
import { fmt, inspectStep, linesOf } from "../core/inspector.js";
import { h } from "./dom.js";

/**
 * @param {object} config state.config(): inspector (lines, labels, digits)
 * @param {Function} t the page's words (core/i18n.js translator)
 * @param {{onSelect: (name: string) => void, onToggle: () => void}} options onSelect: the reader picked another
 *   optimizer to inspect; onToggle: the inspector was opened or folded (draw again)
 * @param {{open: boolean, chosen: boolean} | null} [kept] how a previous inspector was left (state())
 * @returns {{element, open: boolean, shown, suggest(open), render(view), state()}} render({lesson, runs, step, selected, palette, noise}):
 *   step is the highlighted step or null; noise the selected run's sigma xi pairs (or null). While folded only its
 *   one-line summary is kept up to date.
 */
export function createInspector(config, t, { onSelect, onToggle }, kept = null) {
  const inspector = config.inspector;
  const bound = fmt(config.bound, inspector.digits);
  const summary = h("summary", { class: "tj-insp-summary" });
  const choices = h("div", { class: "tj-insp-choices", role: "group", "aria-label": t("inspector.choices") });
  const form = h("div", { class: "tj-insp-form" });
  const head = h("tr", {}, h("th", { scope: "col", text: "" }), h("th", { scope: "col", text: "x₁" }),
    h("th", { scope: "col", text: "x₂" }));
  const body = h("tbody");
  const table = h("table", { class: "tj-insp-table" }, h("thead", {}, head), body);
  const note = h("p", { class: "tj-insp-note", "aria-live": "polite" });
  const details = h("details", { class: "tj-insp-details", open: kept?.open ?? true }, summary, choices, form, table,
    note);
  const element = h("section", { class: "tj-inspector", "aria-label": t("inspector.region") }, details);
  let rowsKey = null, rows = [], choicesKey = null, shown = {};
  // open as the page suggests until the reader opens or folds it
  let wanted = kept?.open ?? true, chosen = kept?.chosen ?? false;
  details.addEventListener("toggle", () => {
    if (details.open !== wanted) chosen = true;
    onToggle();
  });

  function setText(node, text) {
    if (node.textContent !== text) node.textContent = text;
  }

  // Per line: its row (the equation, then each coordinate's numbers filled in and its value) and, for a narrower
  // inspector, a row under it with the numbers filled in, one coordinate per line (the CSS picks which shows).
  function buildRows(lines) {
    rows = lines.map((line) => {
      const cells = [0, 1].map((i) => {
        const expression = h("span", { class: "tj-insp-expr" });
        const value = h("span", { class: "tj-insp-value" });
        const arith = h("div", { class: `tj-insp-arith-x${i + 1}` });
        return { td: h("td", { class: `tj-insp-x${i + 1}` }, expression, value), expression, value, arith };
      });
      const tr = h("tr", { class: `tj-insp-row tj-insp-${line.role}`, "data-name": line.name },
        h("th", { scope: "row" }, h("span", { class: "tj-insp-eq", text: line.text }),
          line.label && line.role !== "input" ? h("span", { class: "tj-insp-label", text: line.label }) : null),
        ...cells.map((c) => c.td));
      const arith = h("tr", { class: "tj-insp-arith", "aria-hidden": "true" },
        h("td", { colspan: "3" }, ...cells.map((c) => c.arith)));
      return { tr, arith, cells };
    });
    body.replaceChildren(...rows.flatMap((r) => [r.tr, r.arith]));
  }

  function buildChoices(names, palette, selected, labels = {}) {
    const key = JSON.stringify([names, names.map((n) => [palette[n], labels[n]]), selected]);
    if (key === choicesKey) return;
    choicesKey = key;
    choices.replaceChildren(...(names.length < 2 ? [] : names.map((name) => h("button", {
      type: "button", class: `tj-insp-choice tj-insp-choice-${name}`, "aria-pressed": String(name === selected),
      onclick: () => onSelect(name) }, h("span", { class: "tj-swatch", style: `background:${palette[name]}` }),
    labels[name] ?? t.term("optimizer", name)))));
  }

  return {
    element,
    get open() { return details.open; },
    /** What the table shows, for the Export button: the optimizer inspected and the step, or null. */
    get shown() { return shown; },
    /** How the reader left it, for the content in another language. */
    state() {
      return { open: details.open, chosen };
    },
    /** Open or fold it as the layout suggests, unless the reader has opened or folded it. */
    suggest(open) {
      if (chosen || details.open === open) return;
      wanted = open;
      details.open = open;
    },
    render({ lesson, runs, step, selected, palette, noise, rules = {}, labels = {} }) {
      const name = lesson.optimizers.includes(selected) ? selected : lesson.optimizers[0];
      const rule = rules[name] ?? name; // a run's key (gd-2) names its rule's lines by its optimizer
      const hp = lesson.hyperparameters[name];
      const lines = linesOf(inspector, rule, lesson.convention, hp);
      const key = JSON.stringify(lines.map((l) => l.text));
      if (key !== rowsKey) {
        buildRows(lines);
        rowsKey = key;
      }
      buildChoices(lesson.optimizers, palette, name, labels);
      element.style.setProperty("--tj-insp-color", palette[name]);
      setText(form, t(lesson.convention === "torch" ? "inspector.form_torch" : "inspector.form_d2l"));
      const run = runs[name];
      const result = step === null ? null : inspectStep(inspector, { rule, convention: lesson.convention,
        hyperparameters: hp, noise }, run, Math.min(step, run.points.length - 1));
      shown = { optimizer: name, step: result ? result.step : null };
      const title = { name: labels[name] ?? t.term("optimizer", name), convention: lesson.convention };
      if (!result) {
        setText(summary, t("inspector.idle", title));
        setText(note, step === null ? t("inspector.hint")
          : t("inspector.gone", { name: title.name, at: run.divergedAt, step }));
        for (const r of rows) {
          r.arith.hidden = true;
          for (const c of r.cells) {
            setText(c.expression, "");
            setText(c.value, "");
            c.td.removeAttribute("data-value");
          }
        }
        table.classList.add("tj-insp-empty");
        return;
      }
      table.classList.remove("tj-insp-empty");
      setText(summary, t(result.last ? "inspector.title_last" : "inspector.title", { ...title, step: result.step,
        next: result.step + 1, t: result.t }));
      setText(note, result.diverged ? t("inspector.diverged", { bound }) : "");
      if (!details.open) return; // folded: the table waits until it is opened
      rows.forEach((r, k) => {
        const line = result.last ? (k === 0 ? result.lines[0] : null) : result.lines[k];
        r.tr.hidden = !line;
        r.arith.hidden = !line || !line.expression;
        if (!line) return;
        r.cells.forEach((c, i) => {
          setText(c.expression, line.expression ? `${line.expression[i]} = ` : "");
          setText(c.value, line.result[i]);
          setText(c.arith, line.expression ? `x${i ? "₂" : "₁"}: ${line.substituted[i]}` : "");
          c.td.setAttribute("data-value", String(line.value[i]));
        });
      });
    },
  };
}
