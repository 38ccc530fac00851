import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { bookLine, resolve, run, runSpread } from "../src/core/engine.js";
import { formatF } from "../src/core/format.js";
import { translator } from "../src/core/i18n.js";
import { keys, labels, settingsOf } from "../src/core/lesson.js";
import { fromQuery } from "../src/core/link.js";
import { toQuery } from "../src/core/link_write.js";
import { inverseNormal, log, philox4x32, table } from "../src/core/noise.js";
import { createRuns } from "../src/core/runs.js";
import { rates } from "../src/core/schedules.js";
import { etaLimit, getObjective } from "../src/core/objectives.js";
import { BOOK, CONFIG, GOLDEN, assertClose, caseName, size } from "../testing/golden.js";

const BOUND = CONFIG.bound;
const OBJECTIVES = Object.keys(CONFIG.objectives);

describe("the book's eight printed lines (tests/golden/book.json)", () => {
  for (const c of BOOK.cases) {
    test(`${c.objective} ${c.optimizer} ${JSON.stringify(c.hyperparameters)}`, () => {
      const result = run(c.optimizer, { objective: c.objective, start: BOOK.start, steps: BOOK.steps,
        ...c.hyperparameters }, CONFIG);
      assert.equal(bookLine(result, BOUND), c.printed);
    });
  }
});

describe("runs against the Python engine (js/test/golden.json)", () => {
  for (const c of GOLDEN.runs) {
    test(caseName(c), () => {
      const ours = run(c.optimizer, c.options, CONFIG);
      assert.equal(ours.divergedAt, c.diverged_at);
      assert.equal(ours.points.length, c.options.steps + 1);
      assertClose(ours.points, c.points, 1e-12 * size(c.points), "points");
      assertClose(ours.losses, c.losses, 1e-12 * size(c.losses), "losses");
      assert.equal(ours.effectiveLr.length, c.options.steps);
      assertClose(ours.effectiveLr, c.effective_lr, 1e-12 * size(c.effective_lr), "effectiveLr");
      assert.equal(bookLine(ours, BOUND), c.book_line);
      assert.deepEqual(resolve(c.optimizer, c.options, CONFIG).hyperparameters, c.hyperparameters);
    });
  }

  // Where both sides use only correctly rounded operations (+, -, *, /, sqrt) in the same order, the numbers are
  // the same to the last bit on any machine; the tolerance above would not notice a reordered sum. Left out:
  // Adam's beta ** t and SGD's decaying schedules (pow and exp differ between numpy, glibc and V8), general()
  // (glibc's cos and sin; the BLAS kernel's fused multiply-add), Rosenbrock and Himmelblau (Python squares a
  // scalar with pow(x, 2), which is not always x * x).
  test("runs built from correctly rounded operations are bit-identical", () => {
    const exact = GOLDEN.runs.filter((c) => ["quadratic", "bowl", "rotated", "saddle"].includes(c.options.objective)
      && !(c.optimizer === "adam" && c.hyperparameters.bias_correction)
      && !(c.optimizer === "sgd" && c.hyperparameters.schedule !== "constant"));
    assert.ok(exact.length >= 80, `${exact.length} cases`);
    for (const c of exact) {
      const ours = run(c.optimizer, c.options, CONFIG);
      const nan = (v) => (v === null ? NaN : v);
      assert.deepEqual(ours.points.flat(), c.points.flat().map(nan), caseName(c));
      assert.deepEqual(ours.losses, c.losses.map(nan), caseName(c));
      if (c.effective_lr) assert.deepEqual(ours.effectiveLr.flat(), c.effective_lr.flat().map(nan), caseName(c));
    }
  });

  test("the cases cover every rule, convention and objective, and diverging runs", () => {
    const seen = new Set(GOLDEN.runs.map((c) => `${c.optimizer} ${c.options.convention} ${c.options.objective}`));
    for (const rule of CONFIG.rules) {
      for (const objective of OBJECTIVES) assert.ok(seen.has(`${rule} d2l ${objective}`), `${rule} ${objective}`);
    }
    for (const rule of ["nesterov", "adagrad", "rmsprop", "adadelta", "adam"]) {
      assert.ok(seen.has(`${rule} torch quadratic`), rule);
    }
    const diverged = GOLDEN.runs.filter((c) => c.diverged_at !== null);
    assert.ok(diverged.length >= 10);
    assert.ok(diverged.some((c) => c.book_line.startsWith("diverged at step")));
    assert.ok(GOLDEN.runs.some((c) => c.options.steps === 100));
  });
});

describe("the facts come from Python's config", () => {
  test("a missing hyperparameter is the spec table's default, under each convention", () => {
    for (const convention of CONFIG.conventions) {
      for (const rule of CONFIG.rules) {
        const python = Object.fromEntries(Object.entries(CONFIG.specs[convention][rule])
          .map(([name, spec]) => [name, spec.default]));
        if (Object.hasOwn(python, "eta")) python.schedule = "constant";
        python.sigma = CONFIG.sigma[rule].default;
        assert.deepEqual(resolve(rule, { convention }, CONFIG).hyperparameters, python, `${convention} ${rule}`);
      }
    }
  });

  test("another config gives other defaults and another bound", () => {
    const config = structuredClone(CONFIG);
    config.specs.d2l.gd.eta.default = 0.1;
    const line = bookLine(run("gd", { objective: "bowl" }, config), config.bound);
    assert.equal(line, BOOK.cases[0].printed);
    config.bound = 10;
    const far = run("gd", { eta: 0.1 }, config);
    assert.equal(far.divergedAt, null);
    assert.equal(run("gd", { start: [-5, -2], eta: 5 }, config).divergedAt, 1);
    assert.match(bookLine(run("gd", { eta: 5 }, config), 10), /passed 10;/);
  });
});

describe("bad input says what was wrong", () => {
  const cases = [
    [() => run("sgd", { seed: -1 }, CONFIG), /'seed' parameter must be an integer in the range \[0, 2\*\*32\)/],
    [() => run("sgd", { seed: 2 ** 32 }, CONFIG), /Got 4294967296 instead/],
    [() => run("gd", { sigma: NaN }, CONFIG), /'sigma' parameter of gd must be a finite float/],
    [() => run("gd", { schedule: "multifactor", milestones: [5, 3] }, CONFIG),
      /'milestones' parameter of gd must be increasing integers/],
    [() => run("gd", { schedule: "cosine", period: 5, warmup: 5 }, CONFIG), /'warmup' parameter of gd's cosine/],
    [() => run("gd", { decay: 0.1 }, CONFIG), /'decay' parameter is not a hyperparameter of gd/],
    [() => run("adadelta", { eta: 1 }, CONFIG), /book's Adadelta has no learning rate/],
    [() => run("rmsprop", { lr: 0.1, convention: "torch" }, CONFIG),
      /'lr' parameter is not a hyperparameter of rmsprop/],
    [() => run("adamw", {}, CONFIG), /'optimizer' parameter must be one of/],
    [() => run("gd", { convention: "jax" }, CONFIG), /'convention' parameter/],
    [() => run("gd", { objective: "general", condition: 0.5 }, CONFIG), /'condition' parameter of general/],
    [() => run("gd", { steps: 0 }, CONFIG), /'steps' parameter must be an integer/],
    [() => run("gd", { start: [0, 2e6] }, CONFIG), /'start' parameter/],
    [() => run("gd", { eta: "0.1" }, CONFIG), /'eta' parameter of gd must be a finite float/],
    [() => run("sgd", { schedule: "linear" }, CONFIG), /'schedule' parameter of sgd must be one of/],
    [() => run("adam", { bias_correction: 1 }, CONFIG), /'bias_correction' parameter of adam/],
    [() => etaLimit("gd", [[1, 0], [0, 1]], 1.5), /'beta' parameter of gd must be a float in the range \[0, 1\]/],
  ];
  for (const [call, says] of cases) test(String(says), () => assert.throws(call, says));
});

describe("formatF is Python's format(x, 'f')", () => {
  for (const [x, python] of GOLDEN.formats) {
    test(`${x}`, () => assert.equal(formatF(x), python));
  }
  test("ties round to even as Python does, where toFixed rounds away from zero", () => {
    assert.equal(formatF(1 / 128), "0.007812");
    assert.equal((1 / 128).toFixed(6), "0.007813");
    assert.equal(formatF(-0), "-0.000000");
  });
});

describe("objectives", () => {
  for (const o of GOLDEN.objectives) {
    test(`${o.name} ${JSON.stringify(o.params)}`, () => {
      const ours = getObjective(CONFIG, o.name, o.params);
      if (o.hessian === null) {
        assert.equal(ours.hessian, null);
      } else {
        // general()'s cos and sin come from glibc in Python, from V8 here: they may differ in the last bit.
        assertClose(ours.hessian, o.hessian, 4e-16 * size(o.hessian), "hessian");
      }
      assert.deepEqual(ours.minima, o.minima);
      assert.deepEqual(ours.saddles, o.saddles);
      assert.deepEqual(ours.xlim, o.xlim);
      assert.deepEqual(ours.ylim, o.ylim);
      assert.equal(ours.levels, o.levels);
    });
  }

  test("the book's general(20, 0) is the quadratic, and f and grad agree with each other", () => {
    assert.deepEqual(getObjective(CONFIG, "general").hessian, getObjective(CONFIG, "quadratic").hessian);
    for (const name of OBJECTIVES) {
      const { f, grad } = getObjective(CONFIG, name);
      const [x1, x2, h] = [0.7, -1.3, 1e-6];
      const [g1, g2] = grad(x1, x2);
      const n1 = (f(x1 + h, x2) - f(x1 - h, x2)) / (2 * h), n2 = (f(x1, x2 + h) - f(x1, x2 - h)) / (2 * h);
      assert.ok(Math.abs(n1 - g1) < 1e-5 * Math.max(1, Math.abs(g1)), `${name} g1`);
      assert.ok(Math.abs(n2 - g2) < 1e-5 * Math.max(1, Math.abs(g2)), `${name} g2`);
    }
  });
});

describe("etaLimit is rules.eta_limit, given the Hessian Python sends", () => {
  const hessians = new Map(GOLDEN.objectives.map((o) => [`${o.name} ${JSON.stringify(o.params)}`, o.hessian]));
  for (const c of GOLDEN.eta_limits) {
    const key = `${c.objective} ${JSON.stringify(c.params)}`;
    test(`${c.optimizer} ${key} beta=${c.beta}`, () => {
      const ours = etaLimit(c.optimizer, hessians.get(key), c.beta);
      if (c.limit === null) assert.equal(ours, null);
      else assert.ok(Math.abs(ours - c.limit) <= 1e-14 * c.limit, `${ours} instead of ${c.limit}`);
    });
  }
});

// ---- noise, schedules, runs (issue 21) ---------------------------------------------------------------------------
const nan = (v) => (v === null ? NaN : v);

describe("the noise is noise.py's, bit for bit (js/test/golden.json: noise)", () => {
  test("Philox4x32-10 words", () => {
    assert.ok(GOLDEN.noise.philox.length >= 20);
    for (const w of GOLDEN.noise.philox) assert.deepEqual([...philox4x32(...w.slice(0, 6))], w.slice(6));
  });
  test("fdlibm's log", () => {
    for (const [x, y] of GOLDEN.noise.log) assert.equal(log(x), y, `log(${x})`);
  });
  test("AS241's normal quantile", () => {
    for (const [p, z] of GOLDEN.noise.quantile) assert.equal(inverseNormal(p), z, `quantile(${p})`);
  });
  test("every step's pair of a seed", () => {
    for (const c of GOLDEN.noise.tables) {
      assert.deepEqual([...table(c.seed, c.steps)], c.table.flat(), `seed ${c.seed}`);
    }
  });
});

describe("schedules are schedules.py's (js/test/golden.json: schedules)", () => {
  for (const c of GOLDEN.schedules) {
    test(`${c.convention} ${c.schedule} eta=${c.eta} ${JSON.stringify(c.params)}`, () => {
      const params = { ...c.params };
      if (c.rates === null) {
        assert.equal(c.schedule, "constant");
        return;
      }
      const ours = [...rates(c.schedule, c.convention, c.eta, params, c.rates.length)];
      // exp, pow and cos come from V8 here and from glibc in Python: a few units in the last place at most
      assertClose(ours, c.rates, 4e-16 * size(c.rates), "rates");
      if (["factor", "multifactor", "linear"].includes(c.schedule)) assert.deepEqual(ours, c.rates);
    });
  }
  test("every schedule of both conventions is covered", () => {
    for (const convention of CONFIG.conventions) {
      for (const schedule of Object.keys(CONFIG.schedules[convention])) {
        assert.ok(GOLDEN.schedules.some((c) => c.convention === convention && c.schedule === schedule),
          `${convention} ${schedule}`);
      }
    }
  });
});

describe("runs with schedules and noise against the Python engine (js/test/golden.json: noisy_runs)", () => {
  for (const c of GOLDEN.noisy_runs) {
    test(caseName(c), () => {
      const ours = run(c.optimizer, c.options, CONFIG);
      assert.equal(ours.divergedAt, c.diverged_at);
      assertClose(ours.points, c.points, 1e-12 * size(c.points), "points");
      assertClose(ours.losses, c.losses, 1e-12 * size(c.losses), "losses");
      assertClose(ours.effectiveLr, c.effective_lr, 1e-12 * size(c.effective_lr), "effectiveLr");
      if (c.rates === null) assert.equal(ours.rates, null);
      else assertClose(ours.rates, c.rates, 1e-12 * size(c.rates), "rates");
      assert.equal(bookLine(ours, BOUND), c.book_line);
      assert.deepEqual(resolve(c.optimizer, c.options, CONFIG).hyperparameters, c.hyperparameters);
    });
  }

  // The draws are the same bits on both sides, so a run of +, -, *, / and sqrt at a constant rate is too.
  test("noisy runs at a constant rate are bit-identical", () => {
    const exact = GOLDEN.noisy_runs.filter((c) => c.options.objective === "quadratic"
      && (c.hyperparameters.schedule ?? "constant") === "constant" && c.optimizer !== "adam");
    assert.ok(exact.filter((c) => c.hyperparameters.sigma > 0).length >= 8, `${exact.length} cases`);
    for (const c of exact) {
      const ours = run(c.optimizer, c.options, CONFIG);
      assert.deepEqual(ours.points.flat(), c.points.flat().map(nan), caseName(c));
      assert.deepEqual(ours.losses, c.losses.map(nan), caseName(c));
    }
  });

  test("the cases cover every rule under both conventions, every schedule, noise and divergence", () => {
    for (const convention of CONFIG.conventions) {
      for (const rule of CONFIG.rules) {
        const mine = GOLDEN.noisy_runs.filter((c) => c.optimizer === rule && c.options.convention === convention);
        assert.ok(mine.some((c) => c.hyperparameters.sigma > 0), `${convention} ${rule} noisy`);
        if (Object.hasOwn(CONFIG.specs[convention][rule], "eta")) {
          for (const schedule of Object.keys(CONFIG.schedules[convention])) {
            assert.ok(mine.some((c) => c.hyperparameters.schedule === schedule), `${convention} ${rule} ${schedule}`);
          }
        }
      }
    }
    assert.ok(GOLDEN.noisy_runs.some((c) => c.diverged_at !== null));
  });

  test("the same seed draws the same noise for every rule, another seed other noise", () => {
    const a = run("gd", { sigma: 1, seed: 3 }, CONFIG), b = run("gd", { sigma: 1, seed: 3 }, CONFIG);
    assert.deepEqual(a.points, b.points);
    assert.notDeepEqual(run("gd", { sigma: 1, seed: 4 }, CONFIG).points, a.points);
    const sgd = run("sgd", { seed: 3, eta: 0.4, schedule: "constant" }, CONFIG); // SGD: gd with sigma 1
    assert.deepEqual(sgd.points, run("gd", { sigma: 1, seed: 3, eta: 0.4 }, CONFIG).points);
  });
});

describe("spreads against Trajectory.median_run and loss_quantiles (js/test/golden.json: spreads)", () => {
  for (const c of GOLDEN.spreads) {
    test(`${c.optimizer} ${JSON.stringify(c.options)} over ${c.seeds.length} seeds from ${c.seeds[0]}`, () => {
      const ours = runSpread(c.optimizer, { ...c.options, seed: c.seeds[0] }, c.seeds.length, CONFIG);
      const n = c.options.steps + 1;
      const finals = c.seeds.map((_, i) => [ours.xs[2 * (i * n + n - 1)], ours.xs[2 * (i * n + n - 1) + 1]]);
      assertClose(finals, c.finals, 1e-12 * size(c.finals), "finals");
      assert.equal(ours.median, c.median);
      assert.equal(ours.run.seed, c.seeds[c.median]);
      const quantiles = [];
      for (let q = 0; q < 3; q++) quantiles.push(...ours.quantiles[q]);
      const inf = (v) => (v === null ? Infinity : v);
      const python = c.quantiles.map(inf);
      assert.equal(quantiles.length, python.length);
      for (let i = 0; i < python.length; i++) {
        const d = Math.abs(quantiles[i] - python[i]);
        assert.ok(quantiles[i] === python[i] || d <= 1e-12 * Math.max(1, Math.abs(python[i])), `quantile ${i}`);
      }
      for (let i = 0; i < c.seeds.length; i++) {
        const at = c.diverged[i] < 0 ? null : c.diverged[i];
        const alone = run(c.optimizer, { ...c.options, seed: c.seeds[i] }, CONFIG);
        assert.equal(alone.divergedAt, at, `seed ${c.seeds[i]}`);
      }
      assert.deepEqual(ours.run.points, run(c.optimizer, { ...c.options, seed: c.seeds[c.median] }, CONFIG).points);
    });
  }
});

describe("lessons of runs against Lesson (js/test/golden.json: lessons)", () => {
  for (const c of GOLDEN.lessons) {
    test(c.query, () => {
      const { lesson, notes } = fromQuery(CONFIG, c.query);
      assert.deepEqual(notes, c.notes);
      assert.deepEqual(lesson.runs, c.runs);
      assert.deepEqual(labels(CONFIG, lesson), c.labels);
      assert.deepEqual(labels(CONFIG, lesson, translator(CONFIG.messages, "zh")), c.said.zh); // Lesson.said_labels
      assert.deepEqual(c.said.en, c.labels); // in English the labels are said as they are
      assert.deepEqual(keys(lesson), c.keys);
      assert.equal(toQuery(CONFIG, lesson), c.link);
      const runs = createRuns(CONFIG);
      const lines = Object.fromEntries(runs.lines(lesson, runs.of(lesson)).map(([label, line]) => [label,
        line.slice(2)]));
      assert.deepEqual(lines, c.readout);
    });
  }
  test("the settings table of a run is the spec table's, the schedule's and sigma", () => {
    const table = settingsOf(CONFIG, "d2l", "gd", "cosine");
    assert.deepEqual(Object.keys(table), ["eta", "schedule", ...Object.keys(CONFIG.schedules.d2l.cosine), "sigma"]);
    assert.deepEqual(Object.keys(settingsOf(CONFIG, "d2l", "adadelta")), ["rho", "eps", "sigma"]);
  });
});
