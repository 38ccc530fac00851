// Marks of the trajectories figure in pixels: marker shapes as one path per series, paths cut to the drawing, arrows.
// Pure functions (tested in js/test/plot.test.js); d attributes in px, or tenths of a px (FINE).
import {
  symbol, symbolCircle, symbolCross, symbolDiamond2, symbolSquare, symbolStar, symbolTimes, symbolTriangle,
} from "d3-shape";

import { px } from "./svg.js";

// A d3 symbol type turned by `angle` radians about its centre (a triangle pointing down, a filled x).
function turned(type, angle) {
  const c = Math.cos(angle), s = Math.sin(angle);
  return {
    draw(context, size) {
      const at = (x, y) => [c * x - s * y, s * x + c * y];
      type.draw({
        moveTo: (x, y) => context.moveTo(...at(x, y)),
        lineTo: (x, y) => context.lineTo(...at(x, y)),
        closePath: () => context.closePath(),
      }, size);
    },
  };
}

// state.LOOKS's marker names (matplotlib's o s ^ D v * P X), and "times" for the saddle's stroked x.
const SHAPES = Object.freeze({ circle: symbolCircle, square: symbolSquare, triangle: symbolTriangle,
  diamond: symbolDiamond2, "triangle-down": turned(symbolTriangle, Math.PI), star: symbolStar, plus: symbolCross,
  x: turned(symbolCross, Math.PI / 4), times: symbolTimes });

/**
 * One marker of `shape` and `diameter` px as [x0, y0, rest]: the path d3-shape's symbol draws at the origin, with
 * its first point (x0, y0) apart and every later command made relative, so a marker at (x, y) is
 * `M${x + x0},${y + y0}${rest}`. The area is the circle's of that diameter, for every shape.
 */
export function symbolTemplate(shape, diameter) {
  const type = Object.hasOwn(SHAPES, shape) ? SHAPES[shape] : null;
  if (!type) throw new Error(`The 'marker' parameter must be one of ${Object.keys(SHAPES).map((k) => `'${k}'`)
    .join(", ")}. Got ${JSON.stringify(shape)} instead.`);
  const d = symbol(type, Math.PI * (diameter / 2) ** 2).digits(2)();
  let x = 0, y = 0, sx = 0, sy = 0, first = null, rest = "";
  for (const [, cmd, args] of d.matchAll(/([A-Za-z])([^A-Za-z]*)/g)) {
    const v = args.split(/[\s,]+/).filter(Boolean).map(Number);
    const r = (n) => Math.round(n * 100) / 100;
    if (cmd === "M") {
      if (first === null) first = [v[0], v[1]];
      else rest += `m${r(v[0] - x)},${r(v[1] - y)}`;
      x = sx = v[0];
      y = sy = v[1];
    } else if (cmd === "L") {
      rest += `l${r(v[0] - x)},${r(v[1] - y)}`;
      [x, y] = v;
    } else if (cmd === "h") {
      rest += `h${v[0]}`;
      x += v[0];
    } else if (cmd === "v") {
      rest += `v${v[0]}`;
      y += v[0];
    } else if (cmd === "A") {
      rest += `a${v.slice(0, 5).join(",")},${r(v[5] - x)},${r(v[6] - y)}`;
      x = v[5];
      y = v[6];
    } else if (cmd === "Z") {
      rest += "z";
      x = sx;
      y = sy;
    } else {
      throw new Error(`symbolTemplate does not know the path command ${cmd} of d3-shape's ${shape}.`);
    }
  }
  return [first[0], first[1], rest];
}

/**
 * Every marker of one path as a single d attribute: `template` (from symbolTemplate) at each pixel position
 * (xs[i], ys[i]) for i < n that is finite and within `box` [x0, y0, x1, y1] (the rest could not be seen).
 * With k = FINE the path is in tenths of a pixel (template made at FINE times the size), its coordinates integers.
 */
export function markerPath(xs, ys, n, template, box, k = 1) {
  const [x0, y0, rest] = template;
  const round = k === 1 ? px : Math.round;
  let d = "";
  for (let i = 0; i < n; i++) {
    const x = xs[i], y = ys[i];
    if (!(x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3])) continue;
    d += `M${round(k * x + x0)},${round(k * y + y0)}${rest}`;
  }
  return d;
}

/**
 * The part of the segment (ax, ay)-(bx, by) inside `box` as [t0, t1] along it, or null (Liang-Barsky). Paths
 * that leave the window can reach |x| = 1e6, far beyond what a renderer handles well; only what the box holds
 * is kept, which is exactly what shows through the clip.
 */
export function clipSegment(ax, ay, bx, by, box) {
  let t0 = 0, t1 = 1;
  const dx = bx - ax, dy = by - ay;
  const edges = [[-dx, ax - box[0]], [dx, box[2] - ax], [-dy, ay - box[1]], [dy, box[3] - ay]];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return null;
    } else {
      const r = q / p;
      if (p < 0) {
        if (r > t1) return null;
        if (r > t0) t0 = r;
      } else {
        if (r < t0) return null;
        if (r < t1) t1 = r;
      }
    }
  }
  return [t0, t1];
}

/** Points of a polyline (pixels, first n) cut to `box`: pieces separated by [NaN, NaN], for line().defined(). */
export function clippedPolyline(xs, ys, n, box) {
  const out = [];
  let open = false;
  const finite = (i) => Number.isFinite(xs[i]) && Number.isFinite(ys[i]);
  if (n === 1 && finite(0)) return [[xs[0], ys[0]]];
  for (let i = 1; i < n; i++) {
    if (!finite(i - 1) || !finite(i)) {
      open = false;
      continue;
    }
    const ax = xs[i - 1], ay = ys[i - 1], bx = xs[i], by = ys[i];
    const c = clipSegment(ax, ay, bx, by, box);
    if (!c) {
      if (open) out.push([NaN, NaN]);
      open = false;
      continue;
    }
    const [t0, t1] = c;
    if (!open || t0 > 0) {
      if (open) out.push([NaN, NaN]);
      out.push([ax + t0 * (bx - ax), ay + t0 * (by - ay)]);
    }
    out.push([ax + t1 * (bx - ax), ay + t1 * (by - ay)]);
    open = t1 === 1;
    if (!open) out.push([NaN, NaN]);
  }
  return out;
}

/**
 * An arrow from pixel a to pixel b as [shaft d, head d]: a filled head ("-|>") and a shaft that stops at its base.
 * null when the arrow is not finite or has no length.
 */
export function arrowPaths(a, b, width) {
  const dx = b[0] - a[0], dy = b[1] - a[1], length = Math.hypot(dx, dy);
  if (!(length > 1e-9)) return null;
  const ux = dx / length, uy = dy / length;
  const head = Math.min(length, 7 + width), half = Math.min(length, 7 + width) * 0.45;
  const bx = b[0] - ux * head, by = b[1] - uy * head;
  const shaft = `M${px(a[0])},${px(a[1])}L${px(bx)},${px(by)}`;
  const tip = `M${px(b[0])},${px(b[1])}L${px(bx - uy * half)},${px(by + ux * half)}`
    + `L${px(bx + uy * half)},${px(by - ux * half)}Z`;
  return [shaft, tip];
}

