// The landscape map's geometry and scales, pure: where a value sits, the ticks of an axis, the colour's range, the
// cell under a point, the curve's height between cells, viridis as bytes. A port of landscape_view.py's helpers.
import { scaleLinear, scaleLog } from "d3-scale";
import { interpolateViridis } from "d3-scale-chromatic";

import { pyG } from "../core/format.js";

export const DIVERGED = "#d62728"; // no colour of viridis is red: a diverged cell cannot be read as a value
export const NOT_REACHED = "#c8c8c8";
export const SIZE = Object.freeze({ width: 620, height: 480 }); // the map's drawing in CSS px (its viewBox)
export const MARGIN = Object.freeze({ top: 30, right: 84, bottom: 82, left: 64 });
export const MARGIN_1D = Object.freeze({ ...MARGIN, right: 20 });
const SUPERSCRIPT = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };

/** Where an axis value sits on the drawing: log10 on a log axis (landscape_view.position). */
export function position(value, scale) {
  return scale === "log" ? Math.log10(value) : value;
}

/** The cell under a point at fractions (fx, fy) of the plot (fy from the top), or null outside it. */
export function cellAt(fx, fy, nx, ny) {
  if (!(fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1)) return null;
  return [Math.min(nx - 1, Math.floor(fx * nx)), Math.min(ny - 1, Math.floor((1 - fy) * ny))];
}

function tenTo(k) {
  return `10${String(k).split("").map((c) => SUPERSCRIPT[c]).join("")}`;
}

/**
 * Ticks of an axis placed by position: on a log axis the powers of ten (labelled 10^k) when two or more fall
 * inside, else 1-2-5 values; on a linear axis d3's ticks.
 *
 * @returns {{value: number, label: string}[]} value is the position
 */
export function axisTicks(lo, hi, scale, count = 7) {
  if (scale !== "log") {
    const s = scaleLinear().domain([lo, hi]);
    const f = s.tickFormat(count);
    return s.ticks(count).map((v) => ({ value: v, label: f(v).replace("−", "-") }));
  }
  const first = Math.ceil(lo - 1e-9), last = Math.floor(hi + 1e-9);
  if (last - first >= 1) {
    const step = Math.max(1, Math.ceil((last - first + 1) / (count + 1)));
    const out = [];
    for (let k = first; k <= last; k += step) out.push({ value: k, label: tenTo(k) });
    return out;
  }
  const s = scaleLog().domain([10 ** lo, 10 ** hi]);
  return s.ticks(count).filter((v) => /^[125]/.test(v.toExponential()))
    .map((v) => ({ value: Math.log10(v), label: pyG(v) }));
}

/** [low, high] of the colour (or the curve's height): [0, steps] for the steps metric, else the finite values. */
export function valueDomain(values, metric, steps) {
  let low = Infinity, high = -Infinity;
  if (metric === "steps") {
    low = 0;
    high = steps;
  } else {
    for (const v of values) {
      if (Number.isFinite(v)) {
        if (v < low) low = v;
        if (v > high) high = v;
      }
    }
    if (low > high) [low, high] = [0, 1];
  }
  return high - low < 1e-9 ? [low - 0.5, high + 0.5] : [low, high];
}

/** The span of cells centred at `pos`: half a cell beyond the first and the last (landscape_view._extent). */
export function extent(pos) {
  const half = pos.length > 1 ? (pos[pos.length - 1] - pos[0]) / (pos.length - 1) / 2 : 0.5;
  return [pos[0] - half, pos[pos.length - 1] + half];
}

/** np.interp over the curve, with a diverged (NaN) value read as +inf: the marker then sits at the top. */
export function interpolate(p, xs, values) {
  const at = (k) => (Number.isNaN(values[k]) ? Infinity : values[k]);
  if (p <= xs[0]) return at(0);
  const last = xs.length - 1;
  if (p >= xs[last]) return at(last);
  let k = 0;
  while (xs[k + 1] < p) k += 1;
  const t = (p - xs[k]) / (xs[k + 1] - xs[k]);
  const a = at(k), b = at(k + 1);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  return a + t * (b - a);
}

export function rgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

let lut = null;
/** viridis at 256 steps, as r, g, b bytes. */
export function viridisTable() {
  if (!lut) {
    lut = new Uint8Array(3 * 256);
    for (let k = 0; k < 256; k++) lut.set(rgb(interpolateViridis(k / 255)), 3 * k);
  }
  return lut;
}

/**
 * The cells as RGBA pixels, row 0 (the lowest y) at the bottom: viridis over [low, high], red where the run
 * diverged, grey where it never arrived.
 */
export function cellPixels({ nx, ny, values, diverged }, [low, high]) {
  const data = new Uint8ClampedArray(4 * nx * ny);
  const table = viridisTable();
  const red = rgb(DIVERGED), grey = rgb(NOT_REACHED);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const cell = j * nx + i, v = values[cell];
      const at = 4 * ((ny - 1 - j) * nx + i);
      let c;
      if (diverged[cell]) c = red;
      else if (!Number.isFinite(v)) c = grey;
      else {
        const k = Math.max(0, Math.min(255, Math.round(255 * (v - low) / (high - low))));
        c = table.subarray(3 * k, 3 * k + 3);
      }
      data[at] = c[0];
      data[at + 1] = c[1];
      data[at + 2] = c[2];
      data[at + 3] = 255;
    }
  }
  return data;
}
