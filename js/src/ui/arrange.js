// The app's main area laid out by ui/layout.js's plan: the figure (its tabs, the plot) and beside it, or under it
// on a narrow screen, the column of controls and run sliders; the panels beside the plot where there is room, under
// it where there is not. Done when the room changes (the app's element resized, the window's height), never on a key
// press: a key then redraws inside boxes of fixed size (CSS containment), and the rest of the page is not laid out.
import { h } from "./dom.js";
import { plan, roomBelow, watchRoom } from "./layout.js";

const PRESENTER = Object.freeze({ text: 1.35, line: 1.5 }); // presenter mode: text and lines on a projector
const BOTTOM = 12; // px kept free under the app's first screen

/**
 * @param {object} parts
 * @param {HTMLElement} parts.figure the tab bar and the tab panels (the plot's box and the step scrubber in the
 *   first)
 * @param {HTMLElement} parts.side the controls and the runs' sliders
 * @param {HTMLElement} parts.plotBox the plot's box; parts.plot its figure (resize)
 * @param {HTMLElement} parts.panelsBox the panels' box; parts.panels their figure (resize)
 * @param {HTMLElement} parts.hyper the runs' sliders (their columns: --tj-run-columns)
 * @param {() => {display: object, runs: number, tabs: boolean}} parts.state what is shown now
 * @param {() => void} parts.onLayout called after a new layout (the figures must be drawn again)
 * @returns {{element: HTMLElement, relayout(): void, destroy(): void}}
 */
export function createArrangement({ figure, side, plotBox, plot, panelsBox, panels, hyper, state, onLayout }) {
  const below = h("div", { class: "tj-below" });
  // The figure and what is under it stay on screen while the side column scrolls past (a run's open schedule and
  // noise, the inspector): the column holding them sticks to the top of the page in the wide layout.
  const left = h("div", { class: "tj-left" }, figure, below);
  const element = h("div", { class: "tj-main", "data-layout": "wide" }, left, side);
  let last = "";

  function relayout() {
    if (!element.isConnected) return;
    const { display, runs, tabs } = state();
    const scale = display.presenter ? PRESENTER : { text: 1, line: 1 };
    const width = element.clientWidth;
    if (!(width > 0)) return; // not laid out yet (a hidden output, a closed tab)
    const height = roomBelow(element, BOTTOM);
    below.append(panelsBox); // measured without the panels
    // How far down the side the runs' sliders reach (what must be on screen with the plot), laid out that wide.
    const sideHeight = (w, columns) => {
      side.style.width = `${w}px`;
      hyper.style.setProperty("--tj-run-columns", String(columns));
      return hyper.getBoundingClientRect().bottom - side.getBoundingClientRect().top;
    };
    const p = plan({ width, height, sideHeight, runs, panels: display.panels, text: scale.text, tabs });
    element.dataset.layout = p.mode;
    side.style.width = p.mode === "wide" ? `${p.side.width}px` : "";
    hyper.style.setProperty("--tj-run-columns", String(p.side.columns));
    element.style.setProperty("--tj-plot-width", `${p.plot.width}px`);
    plotBox.style.width = `${p.plot.width}px`;
    plotBox.style.height = `${p.plot.height}px`;
    plot.resize({ width: p.plot.width, height: p.plot.height, ...scale });
    panelsBox.hidden = !p.panels;
    if (p.panels) {
      panelsBox.style.width = `${p.panels.width}px`;
      panelsBox.style.height = `${p.panels.height}px`;
      panels.resize({ width: p.panels.width, height: p.panels.height, side: p.panels.side, ...scale });
      (p.panels.at === "side" ? side : below).append(panelsBox);
    }
    element.dataset.laidOut = "true"; // for a reader of the page: the sizes are the screen's now
    const key = JSON.stringify(p) + JSON.stringify(scale);
    if (key !== last) {
      last = key;
      onLayout();
    }
  }

  const stop = watchRoom(element, relayout);
  return { element, relayout, destroy: stop };
}
