// The units the figures share: matplotlib's points, and the fine grid paths are drawn on.

export const PT = 4 / 3; // CSS px per typographic point: matplotlib's sizes are in points
// Paths of many points are drawn in tenths of a pixel, inside a scale(1 / FINE) group: their coordinates are then
// integers, which d3-path writes several times faster than decimals, and 0.1 px is still exact on any screen.
export const FINE = 10;

/** Round to 0.1 px: plenty for a screen, and the d attributes stay short. */
export function px(v) {
  return Math.round(v * 10) / 10;
}
