// What the two figures (plot.js, panels.js) share: units, ids, and the standalone SVG file of what is on screen.

export const PT = 4 / 3; // CSS px per typographic point: matplotlib's sizes are in points
// Paths of many points are drawn in tenths of a pixel, inside a scale(1 / FINE) group: their coordinates are then
// integers, which d3-path writes several times faster than decimals, and 0.1 px is still exact on any screen.
export const FINE = 10;

let counter = 0;

/** An id prefix unique in the page, so that two widgets in one notebook never share a clipPath. */
export function uid(name) {
  counter += 1;
  return `tj-${name}-${Math.random().toString(36).slice(2, 8)}-${counter}`;
}

/** Round to 0.1 px: plenty for a screen, and the d attributes stay short. */
export function px(v) {
  return Math.round(v * 10) / 10;
}

const SHAPE_STYLE = ["fill", "fill-opacity", "stroke", "stroke-width", "stroke-opacity", "stroke-dasharray",
  "stroke-linecap", "stroke-linejoin", "opacity"];
const TEXT_STYLE = ["fill", "opacity", "font-family", "font-size", "font-weight", "font-style", "text-anchor",
  "dominant-baseline"];

/**
 * The figure as a standalone SVG file: every style the page's CSS gives it (theme variables included) resolved by
 * the browser and written inline, hidden parts left out, no external reference, so the file looks like the screen
 * and opens anywhere. The element must be in the document (a detached element has no computed style).
 */
export function standaloneSVG(svg) {
  const clone = svg.cloneNode(true);
  const from = [svg, ...svg.querySelectorAll("*")];
  const to = [clone, ...clone.querySelectorAll("*")];
  const hidden = [];
  for (let i = 0; i < from.length; i++) {
    const tag = from[i].tagName.toLowerCase();
    if (tag === "title" || tag === "tspan") continue;
    const cs = getComputedStyle(from[i]);
    if (cs.display === "none") {
      hidden.push(to[i]);
      continue;
    }
    const props = tag === "text" ? TEXT_STYLE : tag === "g" || tag === "svg" ? ["opacity"] : SHAPE_STYLE;
    const style = props.map((p) => [p, cs.getPropertyValue(p)]).filter(([, v]) => v && v !== "normal")
      .map(([p, v]) => `${p}:${v}`).join(";");
    if (style) to[i].setAttribute("style", style);
    to[i].removeAttribute("class");
  }
  for (const node of hidden) node.remove();
  const box = svg.viewBox.baseVal;
  clone.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  clone.setAttribute("version", "1.1");
  clone.setAttribute("width", String(box.width));
  clone.setAttribute("height", String(box.height));
  clone.removeAttribute("role");
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}\n`;
}
