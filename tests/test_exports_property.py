"""Issue 19 item 3: whatever state the controls reach, the page's Export writes one SVG file that parses as XML and
that Chromium draws, with the panels where they are on screen. The page with no server exports through the page's
one SVG writer (js/src/figures/svg_file.js), the trajectories figure and the landscape map alike."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import watch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pages import open_app

from trajectories.objectives import OBJECTIVES
from trajectories.specs import RULES

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"
KEYS = ["ArrowRight", "ArrowLeft", "PageUp", "PageDown", "Home", "End"]
SLIDERS = [".tj-steps", ".tj-step", ".tj-eta", ".tj-gamma", ".tj-beta", ".tj-rho", ".tj-eps", ".tj-beta1",
           ".tj-condition", ".tj-angle"]
# Draw the file in a blank page: decode it as an image and count the pixels that are not the background's.
RENDER = """async (text) => {
  const img = new Image();
  img.src = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
  await img.decode();
  const canvas = document.createElement("canvas");
  canvas.width = img.naturalWidth;
  canvas.height = img.naturalHeight;
  const ctx = canvas.getContext("2d");
  ctx.drawImage(img, 0, 0);
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (Math.abs(data[i] - data[0]) + Math.abs(data[i + 1] - data[1]) > 60) inked++;
  }
  return [img.naturalWidth, img.naturalHeight, inked];
}"""

ACTIONS = st.one_of(
    st.tuples(st.just("optimizer"), st.sampled_from(RULES)),
    st.tuples(st.just("objective"), st.sampled_from(list(OBJECTIVES))),
    st.tuples(st.just("convention"), st.sampled_from(["book", "torch"])),
    st.tuples(st.just("key"), st.sampled_from(SLIDERS), st.sampled_from(KEYS)),
    st.tuples(st.just("click"), st.floats(0.02, 0.98), st.floats(0.02, 0.98)),
    st.tuples(st.just("landscape"), st.sampled_from(["loss", "distance", "steps"]), st.sampled_from(KEYS)),
)


@pytest.fixture(scope="module")
def html_file(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "app.html"
    subprocess.run([sys.executable, "-m", "trajectories", "export", "gd,momentum", "--format", "html", "-o", str(out)],
                   check=True, env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=120)
    return out


def act(page, action) -> None:
    kind = action[0]
    if kind == "optimizer":
        page.click(f".tj-optimizer-{action[1]}")
    elif kind == "objective":
        page.select_option(".tj-objective", action[1])
    elif kind == "convention":
        page.click(f".tj-convention button:text-is('{action[1]}')")
    elif kind == "key":
        if page.locator(f"{action[1]}:visible").count():
            page.locator(f"{action[1]}:visible").first.focus()
            page.keyboard.press(action[2])
    elif kind == "click":
        box = page.locator(".tj-plot .tj-hit").bounding_box()
        if box:
            page.mouse.click(box["x"] + action[1] * box["width"], box["y"] + action[2] * box["height"])
    else:
        page.get_by_role("tab", name="Landscape").click()
        page.select_option(".tj-landscape-metric", action[1])
        page.focus("input.tj-landscape-resolution")
        page.keyboard.press(action[2])
        page.get_by_role("tab", name="Trajectories").click()


def exported(page, selector: str) -> str:
    with page.expect_download() as info:
        page.click(selector)
    return Path(info.value.path()).read_text(encoding="utf-8")


def check_file(viewer, text: str) -> ET.Element:
    assert text.count("<?xml") == 0 or (text.startswith("<?xml") and text.count("<?xml") == 1)
    root = ET.fromstring(text)  # parses as XML
    assert root.tag == f"{SVG}svg"
    width, height, inked = viewer.evaluate(RENDER, text)
    assert (width, height) == (round(float(root.get("width"))), round(float(root.get("height"))))
    assert inked > 2000, f"the drawn file is almost blank ({inked} pixels)"
    return root


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(st.lists(ACTIONS, max_size=8))
def test_any_state_the_controls_reach_exports_a_file_chromium_draws(browser, html_file, actions):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    try:
        page = watch(context.new_page())
        viewer = context.new_page()
        open_app(page, html_file.as_uri())
        for action in actions:
            act(page, action)
        root = check_file(viewer, exported(page, ".tj-export"))
        parts = root.findall(f"{SVG}svg")
        assert [p.get("class") for p in parts] == [None, None] and len(parts) == 2  # the plot and its panels
        page.get_by_role("tab", name="Landscape").click()
        page.wait_for_selector(".tj-landscape-plot[data-state=ready], .tj-landscape-plot[data-state=error]")
        if page.get_attribute(".tj-landscape-plot", "data-state") == "ready":
            check_file(viewer, exported(page, ".tj-landscape-export"))
        assert page.errors == []
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_panels_sit_in_the_file_where_they_are_on_screen(browser, html_file, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    try:
        page = watch(context.new_page())
        open_app(page, html_file.as_uri())
        boxes = [page.locator(s).bounding_box() for s in (".tj-plot", ".tj-panels")]
        plot, panels = ET.fromstring(exported(page, ".tj-export")).findall(f"{SVG}svg")
        view = float(page.get_attribute(".tj-plot", "viewBox").split()[2])
        scale = boxes[0]["width"] / view  # CSS px per unit of the plot's viewBox, which the file keeps
        for part, box in zip((plot, panels), boxes, strict=True):
            assert float(part.get("x")) == pytest.approx((box["x"] - boxes[0]["x"]) / scale, abs=0.2)
            assert float(part.get("y")) == pytest.approx((box["y"] - boxes[0]["y"]) / scale, abs=0.2)
            assert float(part.get("width")) == pytest.approx(box["width"] / scale, abs=0.2)
        assert page.errors == []
    finally:
        context.close()
