// The step scrubber: Play and a slider over the steps 0..steps. The highlight appears once it is used (the first
// picture is the book's), and a step past the steps shown is drawn, and exported, as the last one.
import { h, iconButton, setIcon } from "./dom.js";
import { createSlider } from "./slider.js";

const PLAY_MS = 250;

const range = (high) => Array.from({ length: high + 1 }, (_, i) => i);

/**
 * @param {Function} t the page's words (core/i18n.js translator)
 * @param {number} steps the lesson's steps
 * @param {() => void} onMove the highlighted step changed: draw again
 * @param {{step: number, scrubbed: boolean} | null} [kept] where a previous scrubber was (state())
 * @returns {{element, shown(steps): number | null, show(step, steps), stop(), set(step), reset(), state()}}
 *   shown(steps): the step the plot highlights, clamped to the steps shown, or null before the scrubber is used
 */
export function createScrubber(t, steps, onMove, kept = null) {
  let step = kept?.step ?? 0, scrubbed = kept?.scrubbed ?? false, timer = null, stops = steps;
  const play = iconButton("play", t("scrub.play"), { class: "tj-play", "aria-pressed": "false",
    title: t("scrub.play_title"), onclick: () => (timer ? stop() : start()) });
  const slider = createSlider({ label: t("scrub.step"), classes: ["tj-step"], stops: range(steps), value: step,
    format: String, title: t("scrub.step_title"), onChange: (v) => {
      scrubbed = true;
      step = v;
      onMove();
    } });

  function start() {
    scrubbed = true;
    if (step >= stops) step = 0;
    setIcon(play, "pause", t("scrub.pause"));
    play.setAttribute("aria-pressed", "true");
    timer = setInterval(() => {
      if (step >= stops) {
        stop();
        return;
      }
      step += 1;
      onMove();
    }, PLAY_MS);
    onMove();
  }

  function stop() {
    clearInterval(timer);
    timer = null;
    setIcon(play, "play", t("scrub.play"));
    play.setAttribute("aria-pressed", "false");
  }

  return {
    element: h("div", { class: "tj-scrub" }, play, slider.element),
    shown(n) {
      if (!scrubbed) return null;
      step = Math.min(step, n); // the slider stays where the plot is when the steps come back up
      return step;
    },
    /** Put the slider on `shown` over 0..steps (after the lesson's steps changed, or the step moved). */
    show(shown, n) {
      stops = n;
      if (slider.value !== (shown ?? 0) || slider.control.getAttribute("aria-valuemax") !== String(n)) {
        slider.set(shown ?? 0, range(n));
      }
    },
    stop,
    /** Highlight `k` (a click on a point of a path): Play stops there. */
    set(k) {
      stop();
      scrubbed = true;
      step = k;
      onMove();
    },
    /** Back to the book's picture: no highlight. */
    reset() {
      stop();
      scrubbed = false;
      step = 0;
    },
    /** Where it is, for a scrubber that takes its place (the page in another language). */
    state() {
      return { step, scrubbed };
    },
  };
}
