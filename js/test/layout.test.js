import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { GAP, NARROW, plan } from "../src/ui/layout.js";

// A side column whose runs' sliders are `each` px tall per run under `settings` px of controls, in `columns`.
const side = (settings, each, runs) => (width, columns) => settings + Math.ceil(runs / columns) * each;

describe("where the parts go (ui/layout.js)", () => {
  test("a laptop: the plot beside the sliders, 4:3, as large as the height allows", () => {
    const p = plan({ width: 1240, height: 768, sideHeight: side(300, 110, 3), runs: 3 });
    assert.equal(p.mode, "wide");
    assert.ok(Math.abs(p.plot.width / p.plot.height - 4 / 3) < 0.01);
    assert.ok(p.plot.width + GAP + p.side.width <= 1240);
    assert.ok(p.side.width >= 280);
    assert.ok(300 + 3 * 110 <= 768, "the sliders fit");
    assert.ok(p.plot.height <= 768 - 36 - 40, "tabs and scrubber under the same screen");
  });

  test("a larger screen gives a larger plot", () => {
    const small = plan({ width: 1240, height: 700, sideHeight: side(300, 110, 3), runs: 3 });
    const large = plan({ width: 1880, height: 1050, sideHeight: side(300, 110, 3), runs: 3 });
    assert.ok(large.plot.width > 1.3 * small.plot.width);
  });

  test("sliders too tall for one column go in two, and the plot makes room", () => {
    const one = plan({ width: 1240, height: 760, sideHeight: side(300, 110, 2), runs: 2 });
    const six = plan({ width: 1240, height: 760, sideHeight: side(300, 110, 6), runs: 6 });
    assert.equal(one.side.columns, 1);
    assert.ok(six.side.columns >= 2);
    assert.ok(300 + Math.ceil(6 / six.side.columns) * 110 <= 760);
    assert.ok(six.plot.width < one.plot.width);
  });

  test("a phone: one column, the plot the width of the screen", () => {
    const p = plan({ width: 358, height: 800, sideHeight: side(300, 110, 3), runs: 3 });
    assert.equal(p.mode, "narrow");
    assert.equal(p.plot.width, 358);
    assert.equal(p.panels.at, "below");
    assert.ok(358 < NARROW);
  });

  test("panels beside the plot where the side has room, under it where not, none when hidden", () => {
    const tall = plan({ width: 1880, height: 1050, sideHeight: side(300, 90, 2), runs: 2 });
    assert.equal(tall.panels.at, "side");
    const short = plan({ width: 1240, height: 700, sideHeight: side(300, 110, 3), runs: 3 });
    assert.equal(short.panels.at, "below");
    assert.ok(short.panels.width <= short.plot.width);
    assert.equal(plan({ width: 1240, height: 700, sideHeight: side(300, 110, 3), runs: 3, panels: false }).panels,
      null);
  });
});
