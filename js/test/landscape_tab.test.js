// The Landscape tab's pure parts: Python's number formats, a picked cell's rounding, the budget, the key that
// decides whether to compute, the range handles. What the tab draws and does is checked in a browser
// (tests/test_landscape_browser.py).
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { pyG as formatG, roundSignificant } from "../src/core/format.js";
import {
  axisValues, defaultAxes, fitResolution, mapKey, numericNames, roundPick,
} from "../src/core/landscape.js";
import { axisTicks, cellAt, valueDomain } from "../src/figures/landscape_axes.js";
import { spanLabel, spanOf } from "../src/ui/landscape_controls.js";
import { clampSpan } from "../src/ui/slider.js";
import { CONFIG } from "../testing/golden.js";

describe("Python's number formats", () => {
  // What Python prints: f"{v:g}" and float(f"{v:.3g}"), ties of the exact binary value to the even digit.
  const cases = [
    [1e-5, "1e-05", 1e-5], [100, "100", 100], [1e6, "1e+06", 1e6], [0.0001, "0.0001", 0.0001],
    [2.5e-5, "2.5e-05", 2.5e-5], [0.1015625, "0.101562", 0.102], [0.03125, "0.03125", 0.0312],
    [1.125, "1.125", 1.12], [0.0316227766016838, "0.0316228", 0.0316], [999999.5, "1e+06", 1e6],
    [9.9999995e-5, "0.0001", 1e-4], [0.5, "0.5", 0.5], [-1e-7, "-1e-07", -1e-7], [123456.5, "123456", 123000],
    [1234567, "1.23457e+06", 1230000], [0.9995, "0.9995", 1], [0, "0", 0],
  ];
  for (const [v, g, r] of cases) {
    test(`${v}: ${g}, ${r}`, () => {
      assert.equal(formatG(v), g);
      assert.equal(roundSignificant(v), r);
    });
  }

  test("toPrecision alone would round a tie up", () => {
    assert.equal(Number((0.03125).toPrecision(3)), 0.0313);
    assert.equal(roundSignificant(0.03125), 0.0312);
    assert.equal(roundSignificant(0.03375), 0.0338); // odd last digit: up, as Python
  });
});

describe("a picked cell is rounded to 3 significant digits inside its spec's range", () => {
  for (const [convention, rules] of Object.entries(CONFIG.specs)) {
    for (const [rule, table] of Object.entries(rules)) {
      for (const [name, spec] of Object.entries(table)) {
        if (spec.choices) continue;
        test(`${convention} ${rule} ${name}`, () => {
          for (const resolution of [32, 33, 96, 257]) {
            for (const v of axisValues(spec.low, spec.high, resolution, spec.scale)) {
              const picked = roundPick(v, spec.low, spec.high);
              assert.ok(picked >= spec.low && picked <= spec.high, `${v} -> ${picked}`);
              assert.ok(Number(picked.toPrecision(3)) === picked, `${v} -> ${picked} has more than 3 digits`);
              assert.ok(Math.abs(picked - v) <= 0.005 * Math.abs(v) + 1e-300, `${v} -> ${picked}`);
            }
          }
        });
      }
    }
  }

  test("clamped to the range: a value that rounds past an end stays on it", () => {
    assert.equal(roundPick(1.0000004, 0, 1), 1);
    assert.equal(roundPick(0.99951, 0, 1), 1);
    assert.equal(roundPick(9.996e-13, 1e-12, 1), 1e-12);
    assert.equal(roundPick(100.4, 1e-5, 100), 100);
    assert.equal(roundPick(0.031622776601683794, 1e-5, 100), 0.0316);
  });
});

describe("the budget: landscape.fit_budget's answers, sent in the config", () => {
  const budget = CONFIG.landscape.budget;
  const fit = (asked, steps, two = true) => fitResolution(CONFIG, asked, steps, two ? 2 : 1);
  test("a map within the budget keeps its resolution", () => {
    assert.deepEqual(fit(96, 100), { resolution: 96, lowered: false });
    assert.deepEqual(fit(256, 20), { resolution: 256, lowered: false });
    assert.deepEqual(fit(256, 500, false), { resolution: 256, lowered: false });
  });

  test("256 cells a side of 500-step runs is lowered to 126", () => {
    assert.deepEqual(fit(256, 500), { resolution: 126, lowered: true });
  });

  test("the largest resolution that fits, never more than asked, for every steps of the page", () => {
    for (let steps = 1; steps <= CONFIG.pageSteps; steps += 1) {
      for (const asked of [32, 96, 128, 200, 256]) {
        for (const two of [true, false]) {
          const { resolution: r, lowered } = fit(asked, steps, two);
          const cost = (n) => (two ? n * n : n) * steps;
          assert.ok(r <= asked && cost(r) <= budget, `${asked} ${steps} ${two}: ${r}`);
          assert.equal(lowered, r < asked);
          if (lowered) assert.ok(cost(r + 1) > budget, `${asked} ${steps}: ${r} is not the largest`);
        }
      }
    }
  });

  test("more steps than the page offers are refused, not guessed", () => {
    assert.throws(() => fit(256, CONFIG.pageSteps + 1), /'steps' parameter of a map/);
    assert.throws(() => fit(256, 0), /'steps' parameter of a map/);
  });
});

describe("the map key decides when to compute", () => {
  const lesson = {
    runs: [{ optimizer: "momentum", settings: { eta: 0.6, beta: 0.5, schedule: "constant", sigma: 0 }, seed: 0,
      spread: 1, label: "" },
    { optimizer: "sgd", settings: { eta: 0.1, schedule: "constant", sigma: 1 }, seed: 0, spread: 1, label: "" }],
    objective: "quadratic", condition: 20, angle: 0, start: [-5, -2], steps: 20, convention: "d2l",
  };
  const settings = { run: 0, optimizer: "momentum", axes: ["eta", "beta"], spans: {}, metric: "loss", tol: 0.1,
    resolution: 96 };
  const key = mapKey(lesson, settings);
  const withRun = (index, change) => ({ ...lesson, runs: lesson.runs.map((r, i) => (i === index
    ? { ...r, ...change, settings: { ...r.settings, ...change.settings } } : r)) });

  test("moving a mapped hyperparameter only moves the marker", () => {
    assert.equal(mapKey(withRun(0, { settings: { eta: 0.2, beta: 0.9 } }), settings), key);
    assert.equal(mapKey(withRun(0, { settings: { eta: 0.2 } }), { ...settings, axes: ["eta"] }),
      mapKey(lesson, { ...settings, axes: ["eta"] }));
  });

  test("another setting of the run is part of the map", () => {
    for (const change of [{ beta: 0.9 }, { schedule: "factor" }, { sigma: 0.5 }]) {
      assert.notEqual(mapKey(withRun(0, { settings: change }), { ...settings, axes: ["eta"] }),
        mapKey(lesson, { ...settings, axes: ["eta"] }), JSON.stringify(change));
    }
  });

  test("another run's settings are not", () => {
    assert.equal(mapKey(withRun(1, { settings: { eta: 3, schedule: "polynomial" } }), settings), key);
  });

  test("the lesson's objective, start, steps and convention are", () => {
    for (const change of [{ objective: "bowl" }, { start: [-4, -2] }, { steps: 21 }, { convention: "torch" }]) {
      assert.notEqual(mapKey({ ...lesson, ...change }, settings), key, JSON.stringify(change));
    }
  });

  test("condition and angle only for the general quadratic, the seed only for a noisy run", () => {
    assert.equal(mapKey({ ...lesson, condition: 50, angle: 10 }, settings), key);
    const general = { ...lesson, objective: "general" };
    assert.notEqual(mapKey({ ...general, condition: 50 }, settings), mapKey(general, settings));
    assert.notEqual(mapKey({ ...general, angle: 10 }, settings), mapKey(general, settings));
    assert.equal(mapKey(withRun(0, { seed: 3 }), settings), key);
    const sgd = { ...settings, run: 1, optimizer: "sgd", axes: ["eta"] };
    assert.notEqual(mapKey(withRun(1, { seed: 3 }), sgd), mapKey(lesson, sgd));
  });

  test("the tab's own settings are; tol only for the steps metric", () => {
    for (const change of [{ axes: ["beta", "eta"] }, { axes: ["eta"] }, { spans: { eta: [0.001, 10] } },
      { metric: "distance" }, { resolution: 112 }, { run: 1, optimizer: "sgd", axes: ["eta"] }]) {
      assert.notEqual(mapKey(lesson, { ...settings, ...change }), key, JSON.stringify(change));
    }
    assert.equal(mapKey(lesson, { ...settings, tol: 0.5 }), key);
    const steps = { ...settings, metric: "steps" };
    assert.notEqual(mapKey(lesson, { ...steps, tol: 0.5 }), mapKey(lesson, steps));
  });

  test("typed arrays and arrays give one key", () => {
    assert.equal(mapKey({ ...lesson, start: Float64Array.of(-5, -2) }, settings), key);
  });
});

describe("the range handles", () => {
  const stops = [1e-5, 2e-5, 5e-5, 1e-4, 1e-3, 1e-2, 0.1, 1, 10, 100];

  test("the whole range is no span", () => {
    assert.equal(spanOf(stops, 0, 9), null);
    assert.deepEqual(spanOf(stops, 4, 8), [1e-3, 10]);
    assert.deepEqual(spanOf(stops, 0, 8), [1e-5, 10]);
  });

  test("a handle stops one stop short of the other", () => {
    assert.deepEqual(clampSpan(3, 6, 10, "low"), [3, 6]);
    assert.deepEqual(clampSpan(6, 6, 10, "low"), [5, 6]);
    assert.deepEqual(clampSpan(7, 6, 10, "low"), [5, 6]);
    assert.deepEqual(clampSpan(6, 6, 10, "high"), [6, 7]);
    assert.deepEqual(clampSpan(6, 2, 10, "high"), [6, 7]);
    assert.deepEqual(clampSpan(9, 9, 10, "high"), [8, 9]);
    assert.deepEqual(clampSpan(0, 0, 10, "low"), [0, 1]);
  });

  test("labelled as Python's f'{low:g} to {high:g}'", () => {
    assert.equal(spanLabel(1e-5, 100), "1e-05 to 100");
    assert.equal(spanLabel(0, 1), "0 to 1");
    assert.equal(spanLabel(0.001, 10), "0.001 to 10");
    assert.equal(spanLabel(1e-12, 1), "1e-12 to 1");
  });
});

describe("small parts", () => {
  test("the cell under a point: row 0 at the bottom, outside is null", () => {
    assert.deepEqual(cellAt(0, 1, 96, 96), [0, 0]);
    assert.deepEqual(cellAt(1, 0, 96, 96), [95, 95]);
    assert.deepEqual(cellAt(0.5, 0.5, 4, 4), [2, 2]);
    assert.deepEqual(cellAt(0.3, 0.9, 10, 1), [3, 0]);
    assert.equal(cellAt(-0.01, 0.5, 4, 4), null);
    assert.equal(cellAt(0.5, 1.01, 4, 4), null);
    assert.equal(cellAt(NaN, 0.5, 4, 4), null);
  });

  test("log axes are labelled 10^k, a narrow one by 1-2-5", () => {
    const wide = axisTicks(-5.1, 2.1, "log");
    assert.deepEqual(wide.map((t) => t.value), [-5, -4, -3, -2, -1, 0, 1, 2]);
    assert.deepEqual(wide.map((t) => t.label).slice(0, 2), ["10⁻⁵", "10⁻⁴"]);
    assert.equal(wide.find((t) => t.value === 0).label, "10⁰");
    assert.ok(axisTicks(-12.1, 0.1, "log").length <= 8);
    const narrow = axisTicks(Math.log10(0.1), Math.log10(0.9), "log");
    assert.ok(narrow.length >= 2 && narrow.every((t) => /^0\.[125]$/.test(t.label)), JSON.stringify(narrow));
    const linear = axisTicks(-0.005, 1.005, "linear");
    assert.deepEqual(linear.map((t) => t.label), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
  });

  test("the colour's range", () => {
    assert.deepEqual(valueDomain(Float64Array.of(NaN, -3, 2, NaN), "loss", 20), [-3, 2]);
    assert.deepEqual(valueDomain(Float64Array.of(1, 1), "loss", 20), [0.5, 1.5]);
    assert.deepEqual(valueDomain(Float64Array.of(NaN), "distance", 20), [0, 1]);
    assert.deepEqual(valueDomain(Float64Array.of(3, 7), "steps", 20), [0, 20]);
  });

  test("default axes: the issue's, else the first numeric hyperparameter", () => {
    const config = { specs: CONFIG.specs,
      landscape: { defaultAxes: { adadelta: ["rho", "eps"], sgd: ["eta"], gd: ["eta", "nothing"] } } };
    assert.deepEqual(defaultAxes(config, "adadelta", "d2l"), ["rho", "eps"]);
    assert.deepEqual(defaultAxes(config, "gd", "d2l"), ["eta"]);
    assert.deepEqual(numericNames(config.specs.d2l.sgd), ["eta"]);
    assert.deepEqual(numericNames(config.specs.torch.adadelta), ["eta", "rho", "eps"]);
  });
});
