// The part of the plane the trajectories figure shows: trajectories.view's rule, applied to the page's own runs
// with the constants Python sends (config.view, each objective's viewUnit). The objective's window grows to hold
// every run that stays near it (held); a run that diverges or is on its way out is drawn to where it leaves the
// window, and does not stretch the axes. The same operations in the same order as view.py, so both sides agree
// to the bit (js/test/golden.json: view). No DOM.

function inside(p, lo, hi) {
  return p[0] >= lo[0] && p[0] <= hi[0] && p[1] >= lo[1] && p[1] <= hi[1]; // false for NaN
}

/**
 * view.drawn_until: the last step of `points` drawn in the window: all of them when the path stays inside, or
 * comes back inside and did not diverge; otherwise the first step outside.
 */
export function drawnUntil(points, diverged, xlim, ylim) {
  const lo = [xlim[0], ylim[0]], hi = [xlim[1], ylim[1]];
  const steps = points.length - 1;
  let first = -1;
  for (let t = 0; t <= steps; t++) {
    if (!inside(points[t], lo, hi)) {
      first = t;
      break;
    }
  }
  if (first < 0 || (!diverged && inside(points[steps], lo, hi))) return steps;
  return first;
}

/**
 * view.view_of: {xlim, ylim, ends, held} for `paths` ([{points, diverged}]) on `objective` ({xlim, ylim,
 * viewUnit}) from `start`, in `view` ("fit" or "window"), with `rule` = config.view ({margin, reach}).
 */
export function viewOf(objective, paths, start, view, rule) {
  const baseLo = [objective.xlim[0], objective.ylim[0]], baseHi = [objective.xlim[1], objective.ylim[1]];
  let lo = baseLo, hi = baseHi;
  const held = paths.map(() => false);
  if (view !== "window") {
    const width = [baseHi[0] - baseLo[0], baseHi[1] - baseLo[1]];
    lo = [Math.min(baseLo[0], start[0]), Math.min(baseLo[1], start[1])];
    hi = [Math.max(baseHi[0], start[0]), Math.max(baseHi[1], start[1])];
    const reachLo = [lo[0] - rule.reach * width[0], lo[1] - rule.reach * width[1]];
    const reachHi = [hi[0] + rule.reach * width[0], hi[1] + rule.reach * width[1]];
    paths.forEach(({ points, diverged }, i) => {
      if (diverged) return;
      let a0 = Infinity, a1 = Infinity, b0 = -Infinity, b1 = -Infinity;
      for (const p of points) {
        if (!inside(p, reachLo, reachHi)) return;
        if (p[0] < a0) a0 = p[0];
        if (p[1] < a1) a1 = p[1];
        if (p[0] > b0) b0 = p[0];
        if (p[1] > b1) b1 = p[1];
      }
      held[i] = true;
      lo = [Math.min(lo[0], a0), Math.min(lo[1], a1)];
      hi = [Math.max(hi[0], b0), Math.max(hi[1], b1)];
    });
    const unit = objective.viewUnit;
    lo = lo.map((v, k) => (v < baseLo[k] ? Math.floor((v - rule.margin * width[k]) / unit[k]) * unit[k] : v));
    hi = hi.map((v, k) => (v > baseHi[k] ? Math.ceil((v + rule.margin * width[k]) / unit[k]) * unit[k] : v));
  }
  const xlim = [lo[0], hi[0]], ylim = [lo[1], hi[1]];
  const ends = paths.map(({ points, diverged }, i) => (held[i] ? points.length - 1
    : drawnUntil(points, diverged, xlim, ylim)));
  return { xlim, ylim, ends, held };
}

/**
 * view.unit: the step a grown side of the window [low, high] is rounded to, 1, 2 or 5 times a power of ten, the
 * largest not above a rule.unitsPerWindow-th of its width (a window a lesson or a formula set; the built-in
 * objectives' come from Python as viewUnit). The power of ten is read from its decimal form, as exact as Python's.
 */
export function unit(low, high, rule) {
  const target = (high - low) / rule.unitsPerWindow;
  const power = Number(`1e${Math.floor(Math.log10(target))}`);
  return Math.max(...[1, 2, 5].map((m) => m * power).filter((v) => v <= target * (1 + 1e-12)));
}

/** view.grid_axes' step on one axis of a window: d2l's 0.1, coarser for a window over gridPoints tenths wide. */
export function gridStep(lo, hi, rule) {
  return Math.max(rule.gridStep, (hi - lo) / rule.gridPoints);
}

/**
 * view.exit_point: where the segment from a (inside the window) to b crosses the window's edge, and through which
 * side ("left", "right", "bottom", "top"); null if a is outside, b inside or not finite.
 */
export function exitPoint(a, b, xlim, ylim) {
  const lo = [xlim[0], ylim[0]], hi = [xlim[1], ylim[1]];
  if (!inside(a, lo, hi) || !Number.isFinite(b[0]) || !Number.isFinite(b[1]) || inside(b, lo, hi)) return null;
  let best = Infinity, side = "";
  const d = [b[0] - a[0], b[1] - a[1]];
  [["left", "right"], ["bottom", "top"]].forEach(([low, high], k) => {
    const t = d[k] < 0 ? (lo[k] - a[k]) / d[k] : d[k] > 0 ? (hi[k] - a[k]) / d[k] : Infinity;
    const name = d[k] < 0 ? low : high;
    if (t < best || (t === best && name < side)) [best, side] = [t, name];
  });
  const t = Math.min(Math.max(best, 0), 1);
  const clip = (v, k) => Math.min(Math.max(v, lo[k]), hi[k]);
  return [clip(a[0] + t * d[0], 0), clip(a[1] + t * d[1], 1), side];
}
