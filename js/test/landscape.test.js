import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { axisValues, boundary, compute } from "../src/core/landscape.js";
import { CONFIG, GOLDEN, assertClose } from "../testing/golden.js";

describe("axisValues is landscape.axis_values", () => {
  for (const a of GOLDEN.axes) {
    test(`${a.scale} [${a.low}, ${a.high}] x ${a.resolution}`, () => {
      const ours = axisValues(a.low, a.high, a.resolution, a.scale);
      assert.equal(ours.length, a.values.length);
      assert.equal(ours[0], a.values[0]);
      assert.equal(ours[ours.length - 1], a.values[a.values.length - 1]);
      // numpy's 10 ** y and V8's may differ in the last bit; linspace is exact
      const ulps = a.scale === "log" ? 1 : 0;
      for (let i = 0; i < ours.length; i++) {
        assert.ok(Math.abs(ours[i] - a.values[i]) <= ulps * 2.3e-16 * a.values[i], `${i}: ${ours[i]}`);
      }
    });
  }
});

describe("maps against landscape.compute / score (js/test/golden.json)", () => {
  for (const m of GOLDEN.maps) {
    const name = `${m.optimizer} ${m.x}${m.y ? ` x ${m.y}` : ""} ${m.metric} ${m.options.objective} `
      + `${m.options.convention}${m.compute ? " (compute at 32)" : ""}`;
    test(name, () => {
      const ours = compute(m.optimizer, { ...m.options, x: m.x, xValues: m.x_values, y: m.y ?? undefined,
        yValues: m.y_values ?? undefined, metric: m.metric, tol: m.tol }, CONFIG);
      assert.equal(ours.nx, m.x_values.length);
      assert.equal(ours.ny, m.y_values ? m.y_values.length : 1);
      assert.equal(Array.from(ours.diverged).join(""), m.diverged);
      assertClose(Array.from(ours.values), m.values, 1e-9, "values");
    });
  }

  test("the maps have diverged cells, scored cells, and cells that never arrive", () => {
    assert.ok(GOLDEN.maps.some((m) => m.diverged.includes("1") && m.diverged.includes("0")));
    for (const metric of ["loss", "distance", "steps"]) {
      assert.ok(GOLDEN.maps.some((m) => m.metric === metric && m.y !== null));
      assert.ok(GOLDEN.maps.some((m) => m.metric === metric && m.y === null));
    }
    const steps = GOLDEN.maps.filter((m) => m.metric === "steps");
    assert.ok(steps.some((m) => m.values.some((v, i) => v === null && m.diverged[i] === "0")));
  });

  test("bad input says what was wrong", () => {
    const base = { x: "eta", xValues: [0.1, 0.2] };
    assert.throws(() => compute("gd", { ...base, objective: "saddle" }, CONFIG), /must have a minimum/);
    assert.throws(() => compute("gd", { ...base, metric: "time" }, CONFIG), /'metric' parameter/);
    assert.throws(() => compute("gd", { ...base, tol: 0 }, CONFIG), /'tol' parameter/);
    assert.throws(() => compute("sgd", { ...base, x: "schedule" }, CONFIG), /numeric hyperparameters/);
    assert.throws(() => compute("momentum", { ...base, y: "eta", yValues: [1] }, CONFIG), /two different/);
    assert.throws(() => compute("gd", { ...base, xValues: [] }, CONFIG), /non-empty array/);
  });
});

describe("boundary is landscape._boundary", () => {
  const hessians = new Map(GOLDEN.objectives.map((o) => [`${o.name} ${JSON.stringify(o.params)}`, o.hessian]));
  for (const b of GOLDEN.boundaries) {
    const key = `${b.objective} ${JSON.stringify(b.params)}`;
    test(`${b.optimizer} ${key} ${b.x}${b.y ? ` x ${b.y}` : ""} ${JSON.stringify(b.current)}`, () => {
      const ours = boundary(b.optimizer, hessians.get(key), b.x, b.y, b.current, b.x_values, b.y_values);
      if (b.boundary === null) {
        assert.equal(ours, null);
      } else if (typeof b.boundary === "number") {
        assert.equal(typeof ours, "number");
        assert.ok(Math.abs(ours - b.boundary) <= 1e-14 * Math.abs(b.boundary), `${ours} instead of ${b.boundary}`);
      } else {
        assertClose(ours, b.boundary, 1e-14 * Math.max(...b.boundary.flat().map(Math.abs)), "boundary");
      }
    });
  }
});
