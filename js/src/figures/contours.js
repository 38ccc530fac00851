// The contours of the trajectories figure: matplotlib's levels (MaxNLocator, plotting.contour_levels) on the book's
// grid, and d3-contour's lines on a finer one. The levels are tested against matplotlib in js/test/plot.test.js.
import { contours } from "d3-contour";
import { scaleLinear } from "d3-scale";
import { curveLinearClosed, line } from "d3-shape";

import { gridStep } from "../core/view.js";

const CELL = 5; // px between contour grid samples: finer than the book's 0.1 (about 7.6 px here)
const PAD = 2; // grid samples beyond each side of the window, so d3-contour's closing edges fall outside the clip
const LOG_LEVELS = 15;

/** numpy.arange(start, stop, step) for a positive step: the same length and the same doubles. */
export function arange(start, stop, step) {
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const delta = (start + step) - start; // numpy fills start + i * (second - first)
  return Float64Array.from({ length: n }, (_, i) => start + i * delta);
}

function pow10(k) { // exact for the integer k used here; 10 ** -k in V8 is not always correctly rounded
  return k >= 0 ? 10 ** k : 1 / 10 ** -k;
}

function pyDivmod(x, y) { // CPython's float divmod (numpy's floor_divide follows it)
  let mod = x % y;
  let div = (x - mod) / y;
  if (mod) {
    if ((y < 0) !== (mod < 0)) {
      mod += y;
      div -= 1;
    }
  } else {
    mod = y < 0 ? -0 : 0;
  }
  let floor;
  if (div) {
    floor = Math.floor(div);
    if (div - floor > 0.5) floor += 1;
  } else {
    floor = x / y < 0 ? -0 : 0;
  }
  return [floor, mod];
}

const MPL_STEPS = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]; // MaxNLocator's default steps
const MPL_EXTENDED = [...MPL_STEPS.slice(0, -1).map((s) => 0.1 * s), ...MPL_STEPS, 10 * MPL_STEPS[1]];

function nonsingular(vmin, vmax, expander, tiny) { // matplotlib.transforms._nonsingular
  if (!Number.isFinite(vmin) || !Number.isFinite(vmax)) return [-expander, expander];
  if (vmax < vmin) [vmin, vmax] = [vmax, vmin];
  const maxabs = Math.max(Math.abs(vmin), Math.abs(vmax));
  if (maxabs < (1e6 / tiny) * 2.2250738585072014e-308) return [-expander, expander];
  if (vmax - vmin <= maxabs * tiny) {
    if (vmax === 0 && vmin === 0) return [-expander, expander];
    return [vmin - expander * Math.abs(vmin), vmax + expander * Math.abs(vmax)];
  }
  return [vmin, vmax];
}

/**
 * matplotlib's MaxNLocator(nbins, min_n_ticks=1).tick_values(vmin, vmax) with the default steps and
 * axes.autolimit_mode "data": nice round values covering [vmin, vmax], at most nbins + 1 of them inside.
 */
export function maxNLocator(vmin, vmax, nbins) {
  [vmin, vmax] = nonsingular(vmin, vmax, 1e-13, 1e-14);
  const dv = Math.abs(vmax - vmin), meanv = (vmax + vmin) / 2; // ticker.scale_range
  const offset = Math.abs(meanv) / dv < 100 ? 0 : Math.sign(meanv) * pow10(Math.floor(Math.log10(Math.abs(meanv))));
  const scale = pow10(Math.floor(Math.log10(dv / nbins)));
  const lo = vmin - offset, hi = vmax - offset;
  const steps = MPL_EXTENDED.map((s) => s * scale);
  const raw = (hi - lo) / nbins;
  let istep = steps.findIndex((s) => s >= raw);
  if (istep < 0) istep = steps.length - 1;
  let ticks = [];
  for (let i = istep; i >= 0; i--) {
    const step = steps[i];
    const best = pyDivmod(lo, step)[0] * step;
    let tol = 1e-10; // ticker._Edge_integer.closeto
    if (offset !== 0) tol = Math.min(0.4999, Math.max(1e-10, 10 ** (Math.log10(Math.abs(offset) / step) - 12)));
    const [dl, ml] = pyDivmod(lo - best, step);
    const low = Math.abs(ml / step - 1) < tol ? dl + 1 : dl;
    const [dh, mh] = pyDivmod(hi - best, step);
    const high = Math.abs(mh / step) < tol ? dh : dh + 1;
    ticks = [];
    for (let n = low; n < high + 1; n++) ticks.push(n * step + best);
    if (ticks.some((t) => t <= hi && t >= lo)) break;
  }
  return ticks.map((t) => t + offset);
}

/** ContourSet._autolev for line contours at matplotlib's default of 7: MaxNLocator(8), trimmed to [zmin, zmax]. */
export function autoLevels(zmin, zmax) {
  const lev = maxNLocator(zmin, zmax, 8);
  let i0 = 0, i1 = lev.length;
  for (let i = 0; i < lev.length; i++) if (lev[i] < zmin) i0 = i;
  const over = lev.findIndex((v) => v > zmax);
  if (over >= 0) i1 = over + 1;
  if (i1 - i0 < 3) [i0, i1] = [0, lev.length];
  return lev.slice(i0, i1);
}

/** plotting.contour_levels for levels "log": numpy.geomspace(low, top, 16)[:-1] over the finite values. */
export function logLevels(z) {
  let top = -Infinity, low = Infinity;
  for (const v of z) {
    if (!Number.isFinite(v)) continue;
    if (v > top) top = v;
    if (v > 0 && v < low) low = v;
  }
  if (low === Infinity) low = top * 1e-6;
  low = Math.max(low, top * 1e-6);
  const a = Math.log10(low), step = (Math.log10(top) - a) / LOG_LEVELS;
  const out = [low];
  for (let i = 1; i < LOG_LEVELS; i++) out.push(10 ** (i * step + a));
  return out;
}

// plotting.contour_grid: d2l's arange(lo, hi, 0.1) over the window shown (view.grid_axes: coarser when it is wide)
function bookGrid(objective, { xlim, ylim, rule }) {
  const x1 = arange(xlim[0], xlim[1], gridStep(xlim[0], xlim[1], rule));
  const x2 = arange(ylim[0], ylim[1], gridStep(ylim[0], ylim[1], rule));
  const z = new Float64Array(x1.length * x2.length);
  let zmin = Infinity, zmax = -Infinity;
  for (let j = 0; j < x2.length; j++) {
    for (let i = 0; i < x1.length; i++) {
      const v = objective.f(x1[i], x2[j]);
      z[j * x1.length + i] = v;
      if (v < zmin) zmin = v; // NaN compares false: left out, as matplotlib masks invalid values
      if (v > zmax) zmax = v;
    }
  }
  return { z, zmin, zmax };
}

/**
 * The levels of plotting.py's contour set (`cs.levels`: matplotlib's automatic ones or contour_levels()'s log
 * ones, both found on the book's 0.1 grid over the window, as plotting.contour_grid() makes it) that show:
 * matplotlib draws no line for a level outside the grid's values. The finer grid here, which reaches the window's
 * far edges and beyond, would otherwise draw such a level in a corner.
 */
export function visibleLevels(objective, window) {
  const { z, zmin, zmax } = bookGrid(objective, window);
  const levels = objective.levels === "log" ? logLevels(z) : autoLevels(zmin, zmax);
  return levels.filter((v) => v >= zmin && v <= zmax);
}

/**
 * The contour lines of `objective` over `window` ({xlim, ylim, rule}: the window shown and config.view), one d
 * attribute per level, in the pixels of the scales x and y (the plot's inner area, width x height), sampled every
 * CELL px and a little beyond the window.
 */
export function contourPaths(objective, x, y, width, height, window) {
  const [a, b] = window.xlim, [c, d] = window.ylim;
  const nx = Math.ceil(width / CELL) + 1, ny = Math.ceil(height / CELL) + 1;
  const dx = (b - a) / (nx - 1), dy = (d - c) / (ny - 1);
  const NX = nx + 2 * PAD, NY = ny + 2 * PAD;
  const values = new Float64Array(NX * NY);
  for (let j = 0; j < NY; j++) {
    const x2 = c + (j - PAD) * dy;
    for (let i = 0; i < NX; i++) values[j * NX + i] = objective.f(a + (i - PAD) * dx, x2);
  }
  // d3-contour puts sample i at grid coordinate i + 0.5.
  const sx = scaleLinear().domain([0.5 + PAD, nx - 0.5 + PAD]).range([x(a), x(b)]);
  const sy = scaleLinear().domain([0.5 + PAD, ny - 0.5 + PAD]).range([y(c), y(d)]);
  const contourLine = line().curve(curveLinearClosed).digits(1).x((p) => sx(p[0])).y((p) => sy(p[1]));
  const levels = visibleLevels(objective, window);
  return contours().size([NX, NY]).thresholds(levels)(values)
    .map((m) => m.coordinates.flatMap((poly) => poly.map(contourLine)).join(""))
    .filter(Boolean);
}

