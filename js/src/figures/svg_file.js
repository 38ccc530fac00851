// The one SVG file of every figure the page exports (the trajectories with their panels, the landscape map): the
// figures as drawn on screen, placed as on screen, each a nested <svg> of one root, with every style the page's
// CSS gives them (theme variables included) resolved by the browser and written inline, hidden parts left out and
// nothing referenced outside the file. No XML declaration (UTF-8 is XML's default): the file parses as XML and
// opens anywhere.

const SVG_NS = "http://www.w3.org/2000/svg";
// What an element inherits: written where it differs from its parent's, so the file stays small.
const INHERITED = ["fill", "fill-opacity", "stroke", "stroke-width", "stroke-opacity", "stroke-dasharray",
  "stroke-linecap", "stroke-linejoin", "font-family", "font-size", "font-weight", "font-style", "text-anchor",
  "dominant-baseline", "visibility"];

// The computed style of `from` written on its copy `to`, recursively; elements not displayed are removed.
function inlineStyles(from, to, parent) {
  const style = getComputedStyle(from);
  to.removeAttribute("class");
  if (style.display === "none") {
    to.remove();
    return;
  }
  const own = [], mine = {};
  for (const name of INHERITED) {
    const value = style.getPropertyValue(name);
    mine[name] = value;
    if (value && value !== "normal" && !value.startsWith("url(") && value !== parent?.[name]) {
      own.push(`${name}:${value}`);
    }
  }
  if (style.opacity !== "1") own.push(`opacity:${style.opacity}`);
  if (own.length) to.setAttribute("style", own.join(";"));
  else to.removeAttribute("style");
  const children = Array.from(from.children), copies = Array.from(to.children);
  for (let k = 0; k < children.length; k++) {
    if (children[k].tagName.toLowerCase() !== "title") inlineStyles(children[k], copies[k], mine);
  }
}

/**
 * Where each of `svgs` sits, as on screen: offsets and sizes in the units of the first one's viewBox, so the file
 * has the screen's layout (panels beside the plot on a wide page, under it on a phone). Figures that are not laid
 * out (a hidden tab) are put side by side at their own sizes.
 *
 * @param {SVGSVGElement[]} svgs
 * @returns {{svg: SVGSVGElement, x: number, y: number, width: number, height: number}[]}
 */
export function asOnScreen(svgs) {
  const boxes = svgs.map((s) => s.getBoundingClientRect());
  const view = (s) => s.viewBox.baseVal;
  if (boxes.some((b) => !(b.width > 0 && b.height > 0))) {
    let x = 0;
    return svgs.map((svg) => {
      const { width, height } = view(svg);
      const part = { svg, x, y: 0, width, height };
      x += width;
      return part;
    });
  }
  const k = boxes[0].width / view(svgs[0]).width; // CSS px per unit of the file
  const left = Math.min(...boxes.map((b) => b.left)), top = Math.min(...boxes.map((b) => b.top));
  const r = (v) => Math.round(v * 10) / 10;
  return svgs.map((svg, i) => ({ svg, x: r((boxes[i].left - left) / k), y: r((boxes[i].top - top) / k),
    width: r(boxes[i].width / k), height: r(boxes[i].height / k) }));
}

/** The colour behind `element` on the page: the first ancestor's background that is not transparent, or white. */
export function backgroundOf(element) {
  for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
    const color = getComputedStyle(node).backgroundColor;
    if (color && color !== "transparent" && !/rgba\([^)]*,\s*0\)$/.test(color)) return color;
  }
  return "#ffffff";
}

// [x0, y0, x1, y1] of a part in the file's units: its box, and past it the text that shows there on screen (a
// title wider than a panel). Only text: the paths beyond the box are clipped.
function drawn(part) {
  const box = [part.x, part.y, part.x + part.width, part.y + part.height];
  const frame = part.svg.getBoundingClientRect();
  if (getComputedStyle(part.svg).overflow !== "visible" || !(frame.width > 0)) return box;
  const k = part.width / frame.width;
  for (const text of part.svg.querySelectorAll("text")) {
    const r = text.getBoundingClientRect();
    if (!(r.width > 0)) continue;
    box[0] = Math.min(box[0], part.x + (r.left - frame.left) * k);
    box[1] = Math.min(box[1], part.y + (r.top - frame.top) * k);
    box[2] = Math.max(box[2], part.x + (r.right - frame.left) * k);
    box[3] = Math.max(box[3], part.y + (r.bottom - frame.top) * k);
  }
  return box;
}

/**
 * The SVG file of figures drawn on screen. The elements must be in the document (a detached element has no
 * computed style).
 *
 * @param {{svg: SVGSVGElement, x: number, y: number, width: number, height: number,
 *   edit?: (copy: SVGSVGElement) => void}[]} parts each figure and where it goes (asOnScreen gives them); `edit`
 *   changes the copy before it is written (drops interactive parts, adds an image)
 * @param {{title?: string, background?: string}} [options] the file's <title>; its background colour
 * @returns {string}
 */
export function svgFile(parts, { title = "", background = "#ffffff" } = {}) {
  // What a figure draws past its own box (a title wider than a panel shows on screen) is in the file too.
  const boxes = parts.map(drawn);
  const [x0, y0] = [Math.min(0, ...boxes.map((b) => b[0])), Math.min(0, ...boxes.map((b) => b[1]))];
  const width = Math.ceil(Math.max(...boxes.map((b) => b[2])) - x0);
  const height = Math.ceil(Math.max(...boxes.map((b) => b[3])) - y0);
  const root = document.createElementNS(SVG_NS, "svg");
  for (const [k, v] of Object.entries({ version: "1.1", width, height, viewBox: `${x0} ${y0} ${width} ${height}` })) {
    root.setAttribute(k, String(v));
  }
  if (title) root.append(Object.assign(document.createElementNS(SVG_NS, "title"), { textContent: title }));
  const bg = document.createElementNS(SVG_NS, "rect");
  for (const [k, v] of Object.entries({ x: x0, y: y0, width, height, fill: background })) {
    bg.setAttribute(k, String(v));
  }
  root.append(bg);
  for (const part of parts) {
    const copy = part.svg.cloneNode(true);
    inlineStyles(part.svg, copy, null);
    for (const name of ["role", "tabindex", "aria-label", "aria-roledescription", "aria-describedby", "data-xlim",
      "data-ylim", "data-area"]) {
      copy.removeAttribute(name);
    }
    for (const [k, v] of Object.entries({ x: part.x, y: part.y, width: part.width, height: part.height })) {
      copy.setAttribute(k, String(v));
    }
    if (getComputedStyle(part.svg).overflow === "visible") copy.setAttribute("overflow", "visible");
    part.edit?.(copy);
    root.append(copy);
  }
  return `${new XMLSerializer().serializeToString(root)}\n`;
}
