// Picking a cell of the landscape map: the pointer's outline and click, and the keyboard's cursor (arrow keys move
// it, Enter picks), each saying what the cell holds. A picked value is rounded to 3 significant digits inside its
// range, as the sliders show it.
import { pyG, roundSignificant } from "../core/format.js";
import { roundPick } from "../core/landscape.js";
import { cellAt, position } from "./landscape_axes.js";

/**
 * @param {object} svg the map's d3 selection (focusable)
 * @param {object} clipped the group inside the plot area, where the outlines go
 * @param {object} frame the plot area's group, where the hit area goes (last, over everything)
 * @param {{config, t, onRead: (text: string) => void, onPick: (optimizer: string, values: object) => void}} options
 *   t: the page's words (core/i18n.js translator)
 * @returns {{raiseHit(), show(map), current(hyperparameters), destroy()}}
 */
export function createMapPicker(svg, clipped, frame, { config, t, onRead, onPick }) {
  // A cell's outline in black under white: it shows on every colour of the map.
  const outline = (part) => {
    const g = clipped.append("g").attr("class", part).attr("data-part", part).attr("display", "none");
    g.append("rect").attr("class", "tj-landscape-outline-under");
    g.append("rect").attr("class", "tj-landscape-outline");
    return g;
  };
  const hover = outline("tj-landscape-hover");
  const keyCursor = outline("tj-landscape-cursor");
  let hit = null, map = null, current = {}, cursor = null; // cursor: [i, j] of the keyboard's cell

  function cellFromEvent(event) {
    const box = hit.node().getBoundingClientRect();
    if (!map || !box.width || !box.height) return null;
    return cellAt((event.clientX - box.left) / box.width, (event.clientY - box.top) / box.height, map.nx, map.ny);
  }

  function cellValues([i, j]) {
    const out = { [map.x]: map.options.xValues[i] };
    if (map.two) out[map.y] = map.options.yValues[j];
    return out;
  }

  // Outline a cell (at least 8 px a side, so the keyboard's cursor shows on a fine map) and say what it holds.
  function showCell(rect, cell) {
    if (!map || !cell) {
      rect.attr("display", "none");
      return;
    }
    const [i, j] = cell;
    const w = map.pw / map.nx, h = map.two ? map.ph / map.ny : map.ph;
    const grow = rect === keyCursor ? Math.max(0, 8 - w) / 2 : 0;
    const rise = rect === keyCursor && map.two ? Math.max(0, 8 - h) / 2 : 0;
    rect.attr("display", null).selectAll("rect")
      .attr("x", i * w - grow).attr("y", (map.two ? (map.ny - 1 - j) * h : 0) - rise)
      .attr("width", w + 2 * grow).attr("height", h + 2 * rise);
    const where = Object.entries(cellValues(cell))
      .map(([k, v]) => `${config.symbols?.[k] ?? k} = ${pyG(roundSignificant(v))}`).join(", ");
    const at = j * map.nx + i, v = map.values[at];
    const what = map.diverged[at] ? t("landscape.cell_diverged")
      : Number.isFinite(v) ? t("landscape.cell_value", { label: map.label, value: pyG(roundSignificant(v)) })
        : t("landscape.never");
    onRead(`${where}: ${what}`);
  }

  function pick(cell) {
    if (!map || !cell) return;
    const out = {};
    for (const [name, v] of Object.entries(cellValues(cell))) {
      const { low, high } = map.spec[name];
      out[name] = roundPick(v, low, high);
    }
    onPick(map.optimizer, out);
  }

  // The cell of the current setting, where the keyboard's cursor starts.
  function markerCell() {
    const nearest = (values, scale, v) => {
      if (typeof v !== "number") return Math.floor(values.length / 2);
      const p = position(v, scale);
      let best = 0;
      values.forEach((u, k) => {
        if (Math.abs(position(u, scale) - p) < Math.abs(position(values[best], scale) - p)) best = k;
      });
      return best;
    };
    return [nearest(map.options.xValues, map.xScale, current[map.x]),
      map.two ? nearest(map.options.yValues, map.yScale, current[map.y]) : 0];
  }

  // The cursor shows when the map is reached by the keyboard (a click focuses it too, and picks by itself).
  svg.on("focus", () => {
    if (!map || !svg.node().matches(":focus-visible")) return;
    cursor = cursor ?? markerCell();
    showCell(keyCursor, cursor);
  }).on("blur", () => {
    keyCursor.attr("display", "none");
    cursor = null;
    onRead("");
  }).on("keydown", (event) => {
    if (!map) return;
    const big = event.shiftKey ? 10 : 1;
    const moves = { ArrowLeft: [-big, 0], ArrowRight: [big, 0], ArrowUp: [0, big], ArrowDown: [0, -big],
      Home: [-map.nx, 0], End: [map.nx, 0], PageUp: [0, map.ny], PageDown: [0, -map.ny] };
    if (event.key in moves) {
      event.preventDefault();
      const [di, dj] = moves[event.key];
      const [i, j] = cursor ?? markerCell();
      cursor = [Math.max(0, Math.min(map.nx - 1, i + di)), Math.max(0, Math.min(map.ny - 1, j + dj))];
      showCell(keyCursor, cursor);
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      pick(cursor ?? markerCell());
    }
  });

  return {
    raiseHit() {
      hit = frame.append("rect").attr("class", "tj-landscape-hit").attr("data-part", "tj-landscape-hit")
        .on("pointermove", (event) => showCell(hover, cellFromEvent(event)))
        .on("pointerleave", () => {
          hover.attr("display", "none");
          if (!cursor) onRead("");
        })
        .on("click", (event) => pick(cellFromEvent(event)));
    },
    /** A new map is drawn: the outlines follow its grid; a keyboard user keeps a cursor. */
    show(next) {
      map = next;
      hit.attr("width", map.pw).attr("height", map.ph);
      hover.attr("display", "none");
      onRead("");
      if (cursor && document.activeElement === svg.node()) {
        cursor = [Math.min(cursor[0], map.nx - 1), Math.min(cursor[1], map.ny - 1)];
        showCell(keyCursor, cursor);
      } else {
        cursor = null;
        keyCursor.attr("display", "none");
      }
    },
    current(values) {
      current = values ?? {};
    },
    destroy() {
      svg.on("focus", null).on("blur", null).on("keydown", null);
      hit?.on("pointermove", null).on("pointerleave", null).on("click", null);
    },
  };
}
