import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { scaleLog } from "d3-scale";

import { run } from "../src/core/engine.js";
import { getObjective } from "../src/core/objectives.js";
import {
  LINTHRESH, cutCurve, decades, floorDecades, formatPower, logMapping, logTicks, panelScale,
} from "../src/figures/panels.js";
import { arange, autoLevels, maxNLocator, visibleLevels } from "../src/figures/contours.js";
import { arrowPaths, clipSegment, clippedPolyline, markerPath, symbolTemplate } from "../src/figures/marks.js";
import { markerSize, round2 } from "../src/figures/plot.js";
import { drawnUntil, exitPoint, gridStep, unit, viewOf } from "../src/core/view.js";
import { CONFIG, GOLDEN, assertClose } from "../testing/golden.js";

const PLOT = GOLDEN.plot;
const nan = (values) => values.map((v) => (v === null ? NaN : v));

const own = (o) => ({ xlim: o.xlim, ylim: o.ylim, rule: CONFIG.view }); // the objective's own window

// The values of an objective on the book's grid (plotting.contour_grid): matplotlib draws a level only within them.
function gridRange(o, w = o) {
  const x1 = arange(...w.xlim, gridStep(...w.xlim, CONFIG.view)), x2 = arange(...w.ylim, gridStep(...w.ylim, CONFIG.view));
  const z = [...x1].flatMap((a) => [...x2].map((b) => o.f(a, b))).filter((v) => !Number.isNaN(v));
  return [z.reduce((a, b) => Math.min(a, b)), z.reduce((a, b) => Math.max(a, b))];
}

describe("contour levels against matplotlib (js/test/golden.json: plot.levels)", () => {
  for (const c of PLOT.levels) {
    test(`${c.name} ${JSON.stringify(c.params)}`, () => {
      const o = getObjective(CONFIG, c.name, c.params);
      const [zmin, zmax] = gridRange(o);
      const python = c.levels.filter((v) => v >= zmin && v <= zmax);
      const ours = visibleLevels(o, own(o));
      assert.equal(ours.length, python.length, `${ours} instead of ${python}`);
      assertClose(ours, python, 1e-12 * Math.max(1, ...c.levels.map(Math.abs)), "levels");
    });
  }

  test("the saddle's matplotlib levels reach past its values on the book's grid: those are left out", () => {
    const saddle = getObjective(CONFIG, "saddle");
    const [zmin, zmax] = gridRange(saddle);
    const python = PLOT.levels.find((c) => c.name === "saddle").levels;
    assert.ok(python.some((v) => v < zmin || v > zmax));
    assert.ok(visibleLevels(saddle, own(saddle)).every((v) => v >= zmin && v <= zmax));
  });

  test("numpy's arange: length and values of d2l's grids", () => {
    assert.equal(arange(-5.5, 1.0, 0.1).length, 65);
    assert.equal(arange(-3.0, 1.0, 0.1).length, 40);
    assert.equal(arange(-3.0, 1.0, 0.1)[39], 0.9000000000000035); // numpy's value, last bit included
  });
});

describe("MaxNLocator(8, min_n_ticks=1) against matplotlib (plot.locator)", () => {
  for (const c of PLOT.locator) {
    test(`${c.vmin} .. ${c.vmax}`, () => {
      const ours = maxNLocator(c.vmin, c.vmax, 8);
      assert.equal(ours.length, c.ticks.length, `${ours} instead of ${c.ticks}`);
      const scale = Math.max(...c.ticks.map(Math.abs));
      assertClose(ours, c.ticks, 1e-12 * scale, "ticks");
    });
  }

  test("autoLevels trims what lies beyond the data, as ContourSet._autolev", () => {
    const c = PLOT.locator.find((l) => l.vmin === -12.25);
    assert.deepEqual(autoLevels(c.vmin, c.vmax), c.ticks);
    const wide = PLOT.locator.find((l) => l.vmin === 3);
    assert.deepEqual(autoLevels(wide.vmin, wide.vmax), wide.ticks);
  });
});

describe("drawn_until in the objective's window against plotting.py (plot.runs)", () => {
  for (const c of PLOT.runs) {
    test(`${c.optimizer} ${JSON.stringify(c.options)}`, () => {
      const r = run(c.optimizer, c.options, CONFIG);
      const o = getObjective(CONFIG, c.options.objective);
      assert.equal(r.divergedAt, c.diverged_at);
      assert.equal(drawnUntil(r.points, r.divergedAt !== null, o.xlim, o.ylim), c.drawn_until);
    });
  }
});

describe("the window shown against trajectories.view (plot.views)", () => {
  for (const c of PLOT.views) {
    const what = `${c.objective} ${c.view} from ${c.start}: ${c.runs.map((r) => `${r.optimizer} ${JSON.stringify(
      r.settings)}`).join(", ")}`;
    test(what, () => {
      const o = getObjective(CONFIG, c.objective, c.params);
      const paths = c.runs.map((r) => {
        const result = run(r.optimizer, { objective: c.objective, ...c.params, start: c.start, steps: r.steps,
          ...r.settings }, CONFIG);
        return { points: result.points, diverged: result.divergedAt !== null };
      });
      const v = viewOf(o, paths, c.start, c.view, CONFIG.view);
      assert.deepEqual(v.xlim, c.xlim);
      assert.deepEqual(v.ylim, c.ylim);
      assert.deepEqual(v.ends, c.ends);
      assert.deepEqual(v.held, c.held);
      // the contours over that window: matplotlib's levels, as far as the grid's values reach
      const [zmin, zmax] = gridRange(o, v);
      const python = c.levels.filter((l) => l >= zmin && l <= zmax);
      assertClose(visibleLevels(o, { ...v, rule: CONFIG.view }), python,
        1e-12 * Math.max(1, ...c.levels.map(Math.abs)), "levels");
    });
  }

  test("a window's view unit is view.unit's, to the bit (a formula's or a lesson's window)", () => {
    for (const c of PLOT.units) assert.equal(unit(c.low, c.high, CONFIG.view), c.unit, `${c.low}..${c.high}`);
  });

  test("a segment leaves the window on the side it crosses, as view.exit_point", () => {
    assert.deepEqual(exitPoint([0, 0], [0, 5], [-1, 1], [-1, 1]), [0, 1, "top"]);
    assert.deepEqual(exitPoint([0, 0], [-4, 2], [-1, 1], [-1, 1]), [-1, 0.5, "left"]);
    assert.equal(exitPoint([0, 0], [0.5, 0.5], [-1, 1], [-1, 1]), null);
    assert.equal(exitPoint([0, 0], [NaN, NaN], [-1, 1], [-1, 1]), null);
  });
});

describe("log-panel limits against plotting._decades and _floor (plot.decades)", () => {
  for (const c of PLOT.decades) {
    test(JSON.stringify(c.values), () => {
      const values = nan(c.values);
      const limits = decades(values);
      assert.deepEqual(limits, c.decades);
      assert.deepEqual(floorDecades(limits, 12), c.floor12);
      assert.deepEqual(floorDecades(limits, 4), c.floor4);
    });
  }
});

describe("a stopped run's curve in a panel", () => {
  const id = (v) => v;
  test("drawn whole while it stays inside", () => {
    assert.deepEqual(cutCurve([1, 2, 3], [0, 10], id), { count: 3, mark: null });
  });
  test("cut one point past the edge it crosses, marked where it crosses", () => {
    assert.deepEqual(cutCurve([1, 5, 30, 100], [0, 10], id), { count: 3, mark: { at: 1 + 5 / 25, value: 10,
      side: "top" } });
    assert.deepEqual(cutCurve([5, -5], [0, 10], id, 1), { count: 2, mark: { at: 1.5, value: 0, side: "bottom" } });
  });
  test("ended where the engine stopped it, inside the panel", () => {
    assert.deepEqual(cutCurve([1, 2, NaN, NaN], [0, 10], id), { count: 2, mark: { at: 1, value: 2, side: "end" } });
  });
});

describe("the panels' scale", () => {
  const cases = [ // (values, floor, expected): the decision plotting.py makes in _panel_limits
    [[10.5, 1, 1e-3], 12, { type: "log", domain: [1e-10, 100] }],
    [[10.5, 1, 1e-3], 0, { type: "log", domain: [1e-4, 100] }],
    [[1, 0.25, 0], 12, { type: "symlog", domain: [0, 1] }],
    [[0, 0, 0], 12, { type: "symlog", domain: [0, LINTHRESH] }],
    [[1, -0.5, -30], 12, { type: "symlog", domain: [-100, 100] }],
    [[NaN, 2, NaN], 4, { type: "log", domain: [1e-3, 10] }],
    [[1e3, 1e12, NaN, -1e14], 12, { type: "symlog", domain: [-1e14, 1e14] }],
    [[NaN, NaN], 12, null],
    [[], 12, null],
  ];
  for (const [values, floor, expected] of cases) {
    test(`${JSON.stringify(values)} floor ${floor}`, () => {
      assert.deepEqual(panelScale(values, floor), expected);
    });
  }

  test("limits come from one call's data alone: a zero loss, then a normal run, gives normal limits", () => {
    assert.equal(panelScale([0, 0], 12).type, "symlog");
    assert.deepEqual(panelScale([10.5, 0.02], 12), { type: "log", domain: [1e-10, 100] });
  });

  test("a generator is read once and for all", () => {
    function* values() { yield 5; yield 0.05; }
    assert.deepEqual(panelScale(values(), 0), { type: "log", domain: [0.01, 10] });
  });

  test("the log mapping is d3's scaleLog", () => {
    for (const [domain, range] of [[[1e-10, 100], [147, 3]], [[1e-3, 1e4], [0, 500]], [[1e287, 1e301], [10, 0]]]) {
      const scale = scaleLog().domain(domain).range(range), fast = logMapping(scale);
      for (const v of [domain[0], domain[1], Math.sqrt(domain[0]) * Math.sqrt(domain[1]), domain[0] / 1e5, 0.37]) {
        assert.ok(Math.abs(fast(v) - scale(v)) < 1e-9 * Math.max(1, Math.abs(scale(v))), `${v}: ${fast(v)} ${scale(v)}`);
      }
    }
  });

  test("decade ticks: at most eight, on multiples of the stride, labelled compactly", () => {
    assert.deepEqual(logTicks([1e-3, 10]), [1e-3, 1e-2, 1e-1, 1, 10]);
    const wide = logTicks([1e-12, 100]);
    assert.ok(wide.length <= 6, `${wide}`);
    assert.ok(wide.includes(1));
    assert.equal(formatPower(1e-12), "10\u207b\u00b9\u00b2");
    assert.equal(formatPower(100), "10\u00b2");
    assert.equal(formatPower(-1000), "\u221210\u00b3");
    assert.equal(formatPower(0), "0");
  });
});

describe("markers and paths", () => {
  test("marker sizes shrink with the steps as TraceFigure.update", () => {
    assert.deepEqual([20, 40, 41, 120, 121, 300, 301, 500].map(markerSize), [5, 5, 3.5, 3.5, 2, 2, 0, 0]);
  });

  test("one subpath per visible point, each the same shape", () => {
    for (const shape of ["circle", "square", "triangle", "diamond", "star", "x", "plus", "triangle-down"]) {
      const t = symbolTemplate(shape, 6);
      const d = markerPath([10, 20, NaN, 500, 30], [10, 20, 5, 5, -30], 5, t, [0, 0, 100, 100]);
      const starts = [...d.matchAll(/M(-?[\d.]+),(-?[\d.]+)/g)].map((m) => [+m[1] - t[0], +m[2] - t[1]]);
      assert.deepEqual(starts.map((p) => p.map(Math.round)), [[10, 10], [20, 20]], `${shape}: ${d}`);
      const parts = d.split("M").filter(Boolean).map((p) => p.replace(/^[^a-z]*/, ""));
      assert.equal(parts[0], parts[1], shape);
      assert.ok(!/NaN|Infinity/.test(d));
    }
    assert.throws(() => symbolTemplate("hexagon", 5), /'marker' parameter must be one of/);
  });

  test("a circle marker is a closed ring of the given diameter", () => {
    const [x0, y0, rest] = symbolTemplate("circle", 6);
    assert.deepEqual([x0, y0], [3, 0]);
    assert.equal(rest, "a3,3,0,1,1,-6,0a3,3,0,1,1,6,0");
  });

  test("segments are cut to the box, pieces separated by NaN", () => {
    const box = [0, 0, 100, 100];
    assert.deepEqual(clipSegment(10, 10, 20, 20, box), [0, 1]);
    assert.equal(clipSegment(-10, -10, -20, 50, box), null);
    assert.deepEqual(clipSegment(50, 50, 50, 1e9, box), [0, 50 / (1e9 - 50)]);
    const line = clippedPolyline([10, 50, 1e8, 60], [10, 50, 50, 60], 4, box);
    assert.deepEqual(line.slice(0, 3), [[10, 10], [50, 50], [100, 50]]);
    assert.ok(Number.isNaN(line[3][0]));
    assert.equal(line.length, 6);
    assert.ok(Math.abs(line[4][0] - 100) < 1e-6 && line[4][1] > 59.99 && line[4][1] < 60, `${line[4]}`);
    assert.deepEqual(line[5], [60, 60]);
    assert.ok(line.every((p) => Number.isNaN(p[0]) || (p[0] <= 100 && p[1] <= 100)));
    assert.deepEqual(clippedPolyline([10, NaN], [10, NaN], 2, box), []);
    assert.deepEqual(clippedPolyline([10], [20], 1, box), [[10, 20]]);
  });

  test("arrows: a head at the tip, nothing for a zero or non-finite arrow", () => {
    const [shaft, head] = arrowPaths([0, 0], [100, 0], 2);
    assert.equal(shaft, "M0,0L91,0");
    assert.ok(head.startsWith("M100,0L91,"));
    assert.equal(arrowPaths([0, 0], [0, 0], 2), null);
    assert.equal(arrowPaths([0, 0], [NaN, 1], 2), null);
  });

  test("clicks round to two decimals, never to -0", () => {
    assert.equal(round2(-4.996), -5);
    assert.equal(round2(1.234), 1.23);
    assert.ok(Object.is(round2(-0.001), 0));
  });
});
