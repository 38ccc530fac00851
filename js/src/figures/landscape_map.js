// The landscape map: a port of landscape_view.py's drawing onto the page. The cells are a canvas of nx x ny pixels
// scaled up; axes, colour bar, stability limit, the current setting's ring and the legend are SVG over it. The
// map is drawn once per computed map; a slider move only moves the ring.
import { axisBottom, axisLeft, axisRight } from "d3-axis";
import { scaleLinear } from "d3-scale";
import { interpolateViridis } from "d3-scale-chromatic";
import { select } from "d3-selection";
import { line } from "d3-shape";

import { pyG } from "../core/format.js";
import { uid } from "../core/ids.js";
import { boundary } from "../core/landscape.js";
import { LIMIT_RULES, getObjective } from "../core/objectives.js";
import {
  DIVERGED, MARGIN, MARGIN_1D, NOT_REACHED, SIZE, axisTicks, cellPixels, extent, interpolate, position,
  valueDomain,
} from "./landscape_axes.js";
import { createMapPicker } from "./landscape_pick.js";
import { backgroundOf, svgFile } from "./svg_file.js";

const pct = (part, whole) => `${(100 * part) / whole}%`;

/**
 * The map of one request and its result.
 *
 * @param {HTMLElement} parent where the map's element (tj-landscape-plot) is appended
 * @param {object} options
 * @param {object} options.config state.config(): symbols, bound, objectives and landscape.metrics
 * @param {Function} options.t the page's words (core/i18n.js translator)
 * @param {string} options.describedBy the id of the element that reads the cell under the cursor
 * @param {(text: string) => void} options.onRead says what the cell under the pointer or the cursor holds
 * @param {(optimizer: string, cell: object) => void} options.onPick a cell was picked, with its axis values
 * @returns {{element, svg, draw(request, result), placeMarker(current), computing(), failed(message), hasMap,
 *   toSVG(): string, destroy()}} data-state on the element: empty, computing, ready, error; data-maps counts
 *   the maps drawn (what browser tests wait for)
 */
export function createLandscapeMap(parent, { config, t, describedBy, onRead, onPick }) {
  const id = uid("landscape");
  const plot = parent.appendChild(document.createElement("div"));
  plot.className = "tj-landscape-plot";
  plot.dataset.state = "empty";
  plot.dataset.maps = "0";
  const canvas = plot.appendChild(document.createElement("canvas"));
  canvas.className = "tj-landscape-cells";
  canvas.width = 1;
  canvas.height = 1;
  const svg = select(plot).append("svg").attr("class", "tj-landscape-svg")
    .attr("viewBox", `0 0 ${SIZE.width} ${SIZE.height}`).attr("tabindex", 0).attr("role", "application")
    .attr("aria-roledescription", "landscape map")
    .attr("aria-label", t("landscape.map_aria"))
    .attr("aria-describedby", describedBy);
  const defs = svg.append("defs");
  const clip = defs.append("clipPath").attr("id", `${id}-clip`).append("rect");
  defs.append("linearGradient").attr("id", `${id}-viridis`).attr("x1", 0).attr("y1", 1).attr("x2", 0).attr("y2", 0)
    .selectAll("stop").data(Array.from({ length: 17 }, (_, k) => k / 16)).join("stop")
    .attr("offset", (t) => t).attr("stop-color", (t) => interpolateViridis(t));
  const title = svg.append("text").attr("class", "tj-landscape-title").attr("text-anchor", "middle");
  const frame = svg.append("g").attr("class", "tj-landscape-frame");
  const clipped = frame.append("g").attr("clip-path", `url(#${id}-clip)`);
  const band = clipped.append("g").attr("class", "tj-landscape-band");
  const curve = clipped.append("path").attr("class", "tj-landscape-curve");
  const limitUnder = clipped.append("path").attr("class", "tj-landscape-limit-under");
  const limitLine = clipped.append("path").attr("class", "tj-landscape-limit");
  const picker = createMapPicker(svg, clipped, frame, { config, t, onRead, onPick });
  const markerUnder = clipped.append("circle").attr("class", "tj-landscape-marker-under").attr("r", 6.5);
  const marker = clipped.append("circle").attr("class", "tj-landscape-marker").attr("r", 6.5);
  const border = frame.append("rect").attr("class", "tj-landscape-border");
  picker.raiseHit();
  const xAxis = svg.append("g").attr("class", "tj-landscape-axis");
  const yAxis = svg.append("g").attr("class", "tj-landscape-axis");
  const xLabel = svg.append("text").attr("class", "tj-landscape-axis-label").attr("text-anchor", "middle");
  const yLabel = svg.append("text").attr("class", "tj-landscape-axis-label").attr("text-anchor", "middle");
  const bar = svg.append("g").attr("class", "tj-landscape-colorbar");
  const barRect = bar.append("rect").attr("fill", `url(#${id}-viridis)`);
  const barAxis = bar.append("g").attr("class", "tj-landscape-axis");
  const barLabel = bar.append("text").attr("class", "tj-landscape-axis-label").attr("text-anchor", "middle");
  const legend = svg.append("g").attr("class", "tj-landscape-legend");
  const empty = svg.append("text").attr("class", "tj-landscape-empty").attr("text-anchor", "middle")
    .attr("x", SIZE.width / 2).attr("y", SIZE.height / 2).attr("display", "none");
  for (const g of [frame, band, curve, limitUnder, limitLine, marker, markerUnder, bar]) g.attr("display", "none");
  let map = null; // what is drawn: the request, its result, the scales

  const symbol = (name) => config.symbols?.[name] ?? name;
  const axisLabel = (name, scale) => t(scale === "log" ? "landscape.axis_log" : "landscape.axis",
    { symbol: symbol(name), name });

  function drawAxis(g, axis, lo, hi, scale, transform) {
    const ticks = axisTicks(lo, hi, scale);
    g.attr("transform", transform)
      .call(axis.tickValues(ticks.map((t) => t.value)).tickFormat((_, k) => ticks[k].label).tickSizeOuter(0));
  }

  function draw(request, result) {
    const { x, y, xScale, yScale, options } = request;
    const two = y !== null;
    const m = two ? MARGIN : MARGIN_1D;
    const pw = SIZE.width - m.left - m.right, ph = SIZE.height - m.top - m.bottom;
    const px = Array.from(options.xValues, (v) => position(v, xScale));
    const [xlo, xhi] = extent(px);
    const domain = valueDomain(result.values, options.metric, options.steps);
    const sx = scaleLinear().domain([xlo, xhi]).range([0, pw]);
    const pad = 0.05 * (domain[1] - domain[0]);
    const [ylo, yhi] = two ? extent(Array.from(options.yValues, (v) => position(v, yScale)))
      : [domain[0] - pad, domain[1] + pad];
    const sy = scaleLinear().domain([ylo, yhi]).range([ph, 0]);
    const label = options.metric === "steps" ? t("landscape.steps_label", { tol: pyG(options.tol) })
      : t(`metric.${options.metric}`);
    map = { ...request, ...result, two, m, pw, ph, px, sx, sy, domain, label };

    frame.attr("display", null).attr("transform", `translate(${m.left},${m.top})`);
    clip.attr("width", pw).attr("height", ph);
    border.attr("width", pw).attr("height", ph);
    title.attr("x", m.left + pw / 2).attr("y", 18).text(titleOf(request));
    drawAxis(xAxis, axisBottom(sx), xlo, xhi, xScale, `translate(${m.left},${m.top + ph})`);
    drawAxis(yAxis, axisLeft(sy), ylo, yhi, two ? yScale : "linear", `translate(${m.left},${m.top})`);
    xLabel.attr("x", m.left + pw / 2).attr("y", m.top + ph + 36).text(axisLabel(x, xScale));
    yLabel.attr("transform", `translate(${m.left - 46},${m.top + ph / 2}) rotate(-90)`)
      .text(two ? axisLabel(y, yScale) : label);
    if (two) {
      paintCells(result, domain);
      Object.assign(canvas.style, { display: "", left: pct(m.left, SIZE.width), top: pct(m.top, SIZE.height),
        width: pct(pw, SIZE.width), height: pct(ph, SIZE.height) });
      bar.attr("display", null).attr("transform", `translate(${m.left + pw + 14},${m.top})`);
      barRect.attr("width", 14).attr("height", ph);
      const ticks = axisTicks(domain[0], domain[1], "linear", 6);
      barAxis.attr("transform", "translate(14,0)").call(axisRight(scaleLinear().domain(domain).range([ph, 0]))
        .tickValues(ticks.map((t) => t.value)).tickFormat((_, k) => ticks[k].label).tickSizeOuter(0));
      barLabel.attr("transform", `translate(60,${ph / 2}) rotate(90)`).text(label);
      curve.attr("display", "none");
      band.attr("display", "none");
    } else {
      canvas.style.display = "none";
      bar.attr("display", "none");
      const path = line().defined((v) => Number.isFinite(v)).x((_, i) => sx(px[i])).y((v) => sy(v));
      curve.attr("display", null).attr("d", path(Array.from(result.values)));
      const w = pw / result.nx;
      band.attr("display", null).selectAll("rect")
        .data(Array.from(result.diverged).flatMap((d, i) => (d ? [i] : [])))
        .join("rect").attr("x", (i) => i * w).attr("y", 0).attr("width", w).attr("height", ph);
    }
    drawLimit();
    drawLegend(legend, svg.node(), map, config, t);
    placeMarker(request.current);
    picker.show(map);
    plot.classList.remove("tj-landscape-stale");
    empty.attr("display", "none");
    plot.dataset.state = "ready";
    plot.dataset.maps = String(Number(plot.dataset.maps) + 1);
  }

  function paintCells(result, domain) {
    canvas.width = result.nx;
    canvas.height = result.ny;
    const ctx = canvas.getContext("2d");
    ctx.putImageData(new ImageData(cellPixels(result, domain), result.nx, result.ny), 0, 0);
  }

  function drawLimit() {
    const { optimizer, lesson, x, y, current, options, sx, sy, ph, two } = map;
    let limit = null;
    try {
      const { hessian } = getObjective(config, lesson.objective, { condition: lesson.condition, angle: lesson.angle,
        start: lesson.start, window: lesson.window ?? null });
      limit = boundary(optimizer, hessian, x, y, current, options.xValues, options.yValues ?? null);
    } catch {
      limit = null; // theory has nothing to say here: no line
    }
    let d = null;
    if (Array.isArray(limit)) {
      const pts = limit.map(([a, b]) => [sx(position(a, map.xScale)), sy(position(b, map.yScale))])
        .filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
      d = pts.length > 1 ? line()(pts) : null;
    } else if (limit !== null) {
      const at = sx(position(limit, map.xScale));
      d = Number.isFinite(at) ? `M${at},0V${ph}` : null;
    }
    map.limit = d ? limit : null;
    limitUnder.attr("display", d && two ? null : "none").attr("d", d);
    limitLine.attr("display", d ? null : "none").attr("d", d).classed("tj-landscape-limit-1d", !two);
  }

  /** The ring at the current setting: `current` holds the optimizer's hyperparameters (the sliders' values). */
  function placeMarker(current) {
    if (!map || !current) return;
    const v = current[map.x], w = current[map.y];
    let cx = NaN, cy = NaN;
    if (typeof v === "number" && (map.xScale !== "log" || v > 0)) cx = map.sx(position(v, map.xScale));
    if (map.two) {
      if (typeof w === "number" && (map.yScale !== "log" || w > 0)) cy = map.sy(position(w, map.yScale));
    } else if (Number.isFinite(cx)) {
      const at = interpolate(position(v, map.xScale), map.px, map.values);
      cy = Number.isFinite(at) ? map.sy(at) : 0;
    }
    const show = Number.isFinite(cx) && Number.isFinite(cy);
    for (const c of [marker, markerUnder]) {
      c.attr("display", show ? null : "none");
      if (show) c.attr("cx", cx).attr("cy", cy);
    }
    markerUnder.attr("display", show && map.two ? null : "none");
    marker.classed("tj-landscape-marker-1d", !map.two);
    picker.current(current);
  }

  function titleOf(request) {
    const { optimizer, lesson } = request;
    const start = Array.from(lesson.start, (v) => pyG(v)).join(", ");
    return t("landscape.title", { optimizer: t.term("optimizer", optimizer),
      objective: t.term("objective", lesson.objective), steps: lesson.steps, start, convention: lesson.convention });
  }

  // The canvas scaled by a whole factor, so a viewer that smooths images still shows sharp cells.
  function scaledCells(width) {
    const k = Math.max(1, Math.ceil(width / canvas.width));
    const big = document.createElement("canvas");
    big.width = canvas.width * k;
    big.height = canvas.height * k;
    const ctx = big.getContext("2d");
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(canvas, 0, 0, big.width, big.height);
    return big.toDataURL("image/png");
  }

  // The file: the map as drawn, without what only the pointer and the keyboard use, the cells as an image.
  function toSVG() {
    const edit = (copy) => {
      for (const cls of ["tj-landscape-hit", "tj-landscape-hover", "tj-landscape-cursor"]) {
        copy.querySelector(`[data-part=${cls}]`)?.remove();
      }
      if (!map?.two) return;
      const image = document.createElementNS("http://www.w3.org/2000/svg", "image");
      const { m, pw, ph } = map;
      for (const [k, v] of Object.entries({ x: m.left, y: m.top, width: pw, height: ph })) image.setAttribute(k, v);
      image.setAttribute("preserveAspectRatio", "none");
      image.setAttribute("style", "image-rendering:pixelated;image-rendering:optimizeSpeed");
      const href = scaledCells(pw);
      image.setAttribute("href", href);
      image.setAttributeNS("http://www.w3.org/1999/xlink", "xlink:href", href); // for SVG 1.1 viewers
      copy.querySelector("defs").after(image);
    };
    const note = map ? `trajectories landscape: ${titleOf(map)}; ${map.label}` : "trajectories landscape";
    return svgFile([{ svg: svg.node(), x: 0, y: 0, ...SIZE, edit }], { title: note, background: backgroundOf(plot) });
  }

  return {
    element: plot,
    svg: svg.node(),
    draw,
    placeMarker,
    get hasMap() { return map !== null; },
    computing() {
      plot.dataset.state = "computing";
    },
    ready() {
      plot.dataset.state = "ready";
    },
    failed() {
      plot.classList.toggle("tj-landscape-stale", Boolean(map));
      empty.attr("display", map ? "none" : null).text(t("landscape.empty"));
      plot.dataset.state = "error";
    },
    toSVG,
    destroy() {
      picker.destroy();
      plot.remove();
    },
  };
}

// The legend under the map: diverged (and never within tol), the ring, the stability limit, in rows that fit.
function drawLegend(legend, node, map, config, t) {
  const { optimizer, two, values, diverged, options } = map;
  const entries = [{ kind: "swatch", color: DIVERGED, text: t("landscape.diverged", { bound: pyG(config.bound) }) }];
  if (options.metric === "steps" && values.some((v, i) => Number.isNaN(v) && !diverged[i])) {
    entries.push({ kind: "swatch", color: NOT_REACHED, text: t("landscape.never") });
  }
  entries.push({ kind: "ring", text: t("landscape.current") });
  if (map.limit !== null) {
    entries.push({ kind: "dash", text: t("landscape.limit"), rule: LIMIT_RULES[optimizer] });
  }
  const measure = textWidth(node);
  for (const e of entries) {
    e.width = 22 + measure(e.text) + (e.rule ? measure(` = ${e.rule}`) + 0.75 * measure("max") : 0);
  }
  // One row if the entries fit under the plot, else as many rows as they need, each centred.
  const rows = [[]];
  let used = 0;
  for (const e of entries) {
    if (used && used + 18 + e.width > SIZE.width - 16) {
      rows.push([]);
      used = 0;
    }
    used += (used ? 18 : 0) + e.width;
    rows[rows.length - 1].push(e);
  }
  for (const [r, row] of rows.entries()) {
    let xPos = (SIZE.width - row.reduce((a, e) => a + e.width, 0) - 18 * (row.length - 1)) / 2;
    for (const e of row) {
      e.x = Math.max(4, xPos);
      e.y = 16 * (r - rows.length + 1);
      xPos += e.width + 18;
    }
  }
  legend.attr("transform", `translate(0,${SIZE.height - 12})`);
  legend.selectAll("g.tj-landscape-legend-item").data(entries).join("g")
    .attr("class", "tj-landscape-legend-item").attr("transform", (e) => `translate(${e.x},${e.y})`)
    .each(function place(e) {
      const g = select(this);
      g.selectAll("*").remove();
      if (e.kind === "swatch") {
        g.append("rect").attr("x", 0).attr("y", -5).attr("width", 16).attr("height", 10).attr("fill", e.color)
          .attr("opacity", !two && e.color === DIVERGED ? 0.3 : 1);
      } else if (e.kind === "ring") {
        g.append("circle").attr("class", "tj-landscape-legend-ring").attr("cx", 8).attr("cy", 0).attr("r", 5);
      } else {
        g.append("path").attr("class", "tj-landscape-legend-dash").attr("d", "M0,0H18");
      }
      const t = g.append("text").attr("x", 22).attr("y", 0).attr("dy", "0.35em").text(e.text);
      if (e.rule) {
        t.append("tspan").attr("dy", "0.3em").attr("font-size", "0.75em").text("max");
        t.append("tspan").attr("dy", "-0.3em").text(` = ${e.rule}`);
      }
    });
}

// The width of a legend's text in the map's font, measured on a canvas (works while the tab is hidden, where
// getComputedTextLength gives 0).
let measuring = null;
function textWidth(node) {
  measuring = measuring ?? document.createElement("canvas").getContext("2d");
  const family = (node.isConnected && getComputedStyle(node).fontFamily) || "sans-serif";
  measuring.font = `11px ${family}`;
  return (text) => measuring.measureText(text).width;
}
