// What the page says under the plot: each run's end in the book's words (the readout), and one line per note
// (from a link, Python or a control) and per path that diverged or left the plot. Text that did not change is not
// written again: each write costs the page a layout.
import { pyG } from "../core/format.js";
import { h } from "./dom.js";

/**
 * @param {object} config state.config()
 * @param {Function} t the page's words (core/i18n.js translator)
 * @returns {{readout, message, showReadout(lines), show(lesson, results, window, notes, bad)}} results: one
 *   per run, {label, run} (core/runs.js)
 */
export function createMessages(config, t) {
  const readout = h("div", { class: "tj-readout", "aria-label": t("readout.aria") });
  const message = h("div", { class: "tj-message", "aria-live": "polite" });
  const bound = pyG(config.bound);
  let shownReadout = null, shownMessage = null;

  return {
    readout,
    message,
    /** [[the run's label, ": epoch 20, x1: ..., x2: ..."]]: the line as the book prints it, in any language */
    showReadout(lines) {
      const text = JSON.stringify(lines);
      if (text === shownReadout) return;
      shownReadout = text;
      readout.replaceChildren(...lines.map(([name, line]) => h("div", {}, h("b", { text: name }), line)));
    },
    /**
     * The notes, already said in the page's language (in red when `bad`), then why a path is not drawn to its end:
     * `window` is the plot's (its ends: the last step drawn of each run, in the lesson's order); `names` are the
     * runs' labels as the reader reads them (Lesson.said_labels).
     */
    show(lesson, results, window, notes, names, bad = false) {
      const lines = notes.map((text) => [bad ? "tj-msg-bad" : "tj-msg-note", text]);
      results.forEach(({ run: r }, i) => {
        if (!r) return;
        const said = names[i];
        if (r.divergedAt !== null) {
          lines.push(["tj-msg-bad", t("message.diverged", { name: said, step: r.divergedAt, bound })]);
        } else if (window && window.ends[i] < lesson.steps) {
          lines.push(["tj-msg-bad", t("message.left", { name: said, step: window.ends[i], steps: lesson.steps })]);
        }
      });
      const text = JSON.stringify(lines);
      if (text === shownMessage) return;
      shownMessage = text;
      message.replaceChildren(...lines.map(([cls, line]) => h("div", { class: cls, text: line })));
    },
  };
}
