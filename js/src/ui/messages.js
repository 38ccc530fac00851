// What the page says under the plot: each run's end in the book's words (the readout), and one line per note
// (from a link, Python or a control) and per path that diverged or left the plot. Text that did not change is not
// written again: each write costs the page a layout.
import { pyG } from "../core/format.js";
import { h } from "./dom.js";

/**
 * @param {object} config state.config()
 * @returns {{readout, message, showReadout(lines), show(lesson, results, window, notes, bad)}} results: one
 *   per run, {label, run} (core/runs.js)
 */
export function createMessages(config) {
  const readout = h("div", { class: "tj-readout", "aria-label": "where each path ends, in the book's words" });
  const message = h("div", { class: "tj-message", "aria-live": "polite" });
  const bound = pyG(config.bound);
  let shownReadout = null, shownMessage = null;

  return {
    readout,
    message,
    /** [[label, ": epoch 20, x1: ..., x2: ..."]] */
    showReadout(lines) {
      const text = JSON.stringify(lines);
      if (text === shownReadout) return;
      shownReadout = text;
      readout.replaceChildren(...lines.map(([name, line]) => h("div", {}, h("b", { text: name }), line)));
    },
    /**
     * The notes (in red when `bad`), then why a path is not drawn to its end: `window` is the plot's (its ends: the
     * last step drawn of each run, in the lesson's order).
     */
    show(lesson, results, window, notes, bad = false) {
      const lines = notes.map((text) => [bad ? "tj-msg-bad" : "tj-msg-note", text]);
      results.forEach(({ label: name, run: r }, i) => {
        if (!r) return;
        if (r.divergedAt !== null) {
          lines.push(["tj-msg-bad", `${name} diverged at step ${r.divergedAt}: |x| passed ${bound}; drawn up to `
            + "where it left the plot."]);
        } else if (window && window.ends[i] < lesson.steps) {
          lines.push(["tj-msg-bad", `${name} left the plot at step ${window.ends[i]} and is still outside it after `
            + `${lesson.steps} steps: it is on its way out, so the plot does not stretch to hold it.`]);
        }
      });
      const text = JSON.stringify(lines);
      if (text === shownMessage) return;
      shownMessage = text;
      message.replaceChildren(...lines.map(([cls, line]) => h("div", { class: cls, text: line })));
    },
  };
}
