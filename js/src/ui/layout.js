// Where the parts of the app go on the screen it has: the plot and the sliders of every run on screen together at
// scroll 0, the plot as large as the room allows (keeping its 4:3), the panels beside it where there is room and
// under it, smaller, where there is not. Sized from the app's own element (a ResizeObserver on it, not the window:
// JupyterLab's output area and an iframe in course notes are not the viewport) and the height left below its top.

const ASPECT = 4 / 3; // the plot's width / height, the book's 560 x 420
const PANEL_ASPECT = 330 / 210; // one side panel's width / height
export const GAP = 16;
export const NARROW = 640; // below this width (a phone, a narrow notes column): one column, the plot first
const SIDE = 280; // the least width of the column beside the plot (one run's sliders), at text scale 1
const RUN = 250; // the width of a column of one run's sliders, at text scale 1
const PLOT_MIN = 320; // a plot narrower than this beside the sliders: one column instead
const HEIGHT_MIN = 360; // the least height the plot is laid out for, however little the screen shows
const TABS = 36; // the tab bar above the plot
const SCRUB = 40; // the step scrubber under it
const PANEL_MAX = 260; // a panel taller than this adds nothing

/**
 * The plan of the page for a width and a height budget.
 *
 * @param {object} room
 * @param {number} room.width the app's width in CSS px
 * @param {number} room.height the height below the app's top (at scroll 0) down to the bottom of the screen
 * @param {(width: number, columns: number) => number} room.sideHeight the height of the column beside the plot laid
 *   out `width` px wide with the runs' sliders in `columns` columns (the page measures it; 0 for nothing)
 * @param {number} room.runs how many runs have sliders
 * @param {boolean} [room.panels=true] whether the panels show
 * @param {number} [room.text=1] the text scale (presenter mode)
 * @param {boolean} [room.tabs=true] whether the tab bar is above the plot
 * @returns {{mode: "wide" | "narrow", plot: {width, height}, side: {width, columns}, panels: null | {width, height,
 *   at: "side" | "below", side: boolean}}} side.columns: the runs' slider columns; panels.side: the two panels
 *   side by side (else one above the other)
 */
export function plan({ width, height, sideHeight, runs, panels = true, text = 1, tabs = true }) {
  const room = Math.max(HEIGHT_MIN, height) - (tabs ? TABS : 0) - SCRUB * text;
  const runWidth = RUN * text, sideMin = Math.max(SIDE * text, runWidth);
  let chosen = null;
  if (width >= NARROW) {
    for (let columns = 1; columns <= Math.max(1, runs); columns++) {
      const side = Math.max(sideMin, columns * runWidth + (columns - 1) * GAP);
      const plotWidth = Math.min(width - side - GAP, room * ASPECT);
      if (plotWidth < PLOT_MIN) break;
      const tall = sideHeight(side, columns);
      chosen = { columns, side, plotWidth, tall };
      if (tall <= Math.max(HEIGHT_MIN, height)) break;
    }
  }
  if (chosen === null) { // one column: the plot fits the width, then the sliders, then the rest
    const full = Math.floor(width);
    const plot = { width: full, height: Math.round(full / ASPECT) };
    let panel = null;
    if (panels) {
      const paired = width >= 2 * 300 + GAP;
      const each = Math.min(PANEL_MAX * text, (paired ? width / 2 : width) / PANEL_ASPECT);
      panel = { width: full, height: Math.round(paired ? each : 2 * each), at: "below", side: paired };
    }
    return { mode: "narrow", plot, side: { width: full, columns: 1 }, panels: panel };
  }
  // The side takes what the plot leaves: a plot at the height's limit gives its width to the sliders and panels.
  const plotWidth = Math.floor(chosen.plotWidth);
  const sideWidth = Math.floor(width - plotWidth - GAP);
  const plot = { width: plotWidth, height: Math.round(plotWidth / ASPECT) };
  // A side wider than the runs needed: as many columns of sliders as fit, so they leave room under them.
  const columns = Math.max(chosen.columns, Math.min(runs, Math.floor((sideWidth + GAP) / (runWidth + GAP))));
  let panel = null;
  if (panels) {
    const left = Math.max(HEIGHT_MIN, height) - sideHeight(sideWidth, columns) - GAP;
    const stacked = Math.min(PANEL_MAX * text, sideWidth / PANEL_ASPECT);
    const paired = Math.min(PANEL_MAX * text, (sideWidth - GAP) / 2 / PANEL_ASPECT);
    if (left >= 2 * stacked) {
      panel = { width: sideWidth, height: Math.round(2 * stacked), at: "side", side: false };
    } else if (sideWidth >= 2 * 260 * text && left >= paired) {
      panel = { width: sideWidth, height: Math.round(paired), at: "side", side: true };
    } else { // under the plot, smaller: side by side across the plot's width
      const each = (plotWidth - GAP) / 2;
      panel = { width: plotWidth, height: Math.round(Math.min(PANEL_MAX * text, each / PANEL_ASPECT)),
        at: "below", side: true };
    }
  }
  return { mode: "wide", plot, side: { width: sideWidth, columns }, panels: panel };
}

// The element that scrolls `el` (a notebook's panel in JupyterLab), or null for the page itself.
function scrollerOf(el) {
  for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
    const overflow = getComputedStyle(node).overflowY;
    if ((overflow === "auto" || overflow === "scroll") && node.scrollHeight > node.clientHeight) return node;
  }
  return null;
}

/**
 * The height the app may fill on one screen: from its top, when everything that scrolls is at 0, to the bottom of
 * what scrolls it (the window, a notebook's panel). An app that starts below the first half of that screen (a figure
 * far down a page of notes, a cell deep in a notebook) is read once scrolled to: it gets a whole screen.
 */
export function roomBelow(el, margin) {
  const scroller = scrollerOf(el);
  const box = el.getBoundingClientRect();
  let top, height;
  if (scroller) {
    const view = scroller.getBoundingClientRect();
    top = box.top - view.top + scroller.scrollTop;
    height = scroller.clientHeight;
  } else {
    top = box.top + (window.scrollY || 0);
    height = window.innerHeight;
  }
  return top <= height / 2 ? height - Math.max(0, top) - margin : height - 2 * margin;
}

/**
 * Watch the room the app has: `onChange()` after its element changes width (a ResizeObserver on `el`: JupyterLab's
 * file browser opened, a notes column) or the window changes height, once per frame at most.
 */
export function watchRoom(el, onChange) {
  let frame = 0, lastWidth = -1;
  const later = () => {
    if (!frame) frame = requestAnimationFrame(() => { frame = 0; onChange(); });
  };
  const observer = typeof ResizeObserver === "function" ? new ResizeObserver((entries) => {
    const width = Math.round(entries[entries.length - 1].contentRect.width);
    if (width !== lastWidth) {
      lastWidth = width;
      later();
    }
  }) : null;
  observer?.observe(el);
  window.addEventListener("resize", later);
  return () => {
    observer?.disconnect();
    window.removeEventListener("resize", later);
    cancelAnimationFrame(frame);
  };
}
