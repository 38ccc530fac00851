"""Live figures on other pages: the one-file app page (:mod:`trajectories.standalone`) in an ``<iframe>``, opened on
a lesson by its link.

One page serves every figure of a site: the lesson travels in the iframe's query string, as on the served page,
so a book with ten live figures ships the 0.5 MB page once (the page draws any seed's gradient noise itself). The
iframe needs nothing from the network and runs from ``file://``. Used by the Sphinx directive
(:mod:`trajectories.sphinx`) and by the README's recipes for any static page and reveal.js.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from .lesson import Lesson

# Today's page lays out the controls, the plot, the panels and the sliders in one column below 960 px: 1491 px tall
# at a 760 px notes column (measured in Chromium), so the default frame holds all of it without a scroll bar.
DEFAULT_HEIGHT = "1600px"
# The compact mode (plot plus the named controls, issue 22) is asked for by these keys of the page's link. Until
# the page takes them, :func:`layout_query` leaves them out and says why; nothing else needs to change then.
LAYOUT_KEYS = ("controls", "panels")


def page_name(lesson: Lesson) -> str:
    """The app page a site needs for ``lesson``: ``app.html`` for every lesson, since the page draws the gradient
    noise of any seed itself (it held SGD's noise for one seed before lessons were lists of runs)."""
    if not isinstance(lesson, Lesson):
        raise ValueError(f"The 'lesson' parameter must be a Lesson. Got {type(lesson).__name__} instead.")
    return "app.html"


def layout_query(controls: Sequence[str] | str | None = None, panels: str | None = None) -> tuple[str, list[str]]:
    """The part of the iframe's link that asks for the compact layout, and a note for each part the page would not
    take.

    ``controls`` names the controls to show (``"eta,beta"``), ``panels`` the side panels (``"none"``): the keys of
    the compact mode (issue 22). A part goes into the link only if the page's link reader takes it without a note
    (:meth:`~trajectories.lesson.Lesson.from_query`, which the page's reader follows); today's page shows the
    whole app and reads neither, so both are left out with a note until it does. This is the one place to change.
    """
    given = {"controls": ",".join(controls) if not isinstance(controls, (str, type(None))) else controls,
             "panels": panels}
    parts, notes = [], []
    for key in LAYOUT_KEYS:
        value = given[key]
        if value is None or value == "":
            continue
        if not isinstance(value, str) or any(c in value for c in "&=#?"):
            raise ValueError(f"The '{key}' parameter must be a comma-separated list of names. Got {value!r} instead.")
        refused = Lesson.from_query({key: value})[1]
        if refused:
            notes.append(f"Left out {key}={value}: this version of the app page shows the whole app "
                         f"({refused[0]})")
        else:
            parts.append(f"{key}={value}")
    return "&".join(parts), notes


def iframe(src: str, lesson: Lesson, *, height: str = DEFAULT_HEIGHT, title: str | None = None,
           layout: str = "") -> str:
    """The ``<iframe>`` that shows the app page at ``src`` opened on ``lesson`` (its full link, so the figure does
    not change when a default does), ``height`` tall and as wide as the column."""
    if not isinstance(lesson, Lesson):
        raise ValueError(f"The 'lesson' parameter must be a Lesson. Got {type(lesson).__name__} instead.")
    query = lesson.to_query() + (f"&{layout}" if layout else "")
    title = title or f"Interactive figure: {', '.join(lesson.labels)} on the {lesson.objective} objective"
    return (f'<iframe class="trajectories-figure" src="{html.escape(src)}?{html.escape(query)}" '
            f'title="{html.escape(title)}" loading="lazy" '
            f'style="display:block;width:100%;height:{html.escape(check_length(height))};border:0"></iframe>')


def check_length(value: str) -> str:
    """A CSS length for the iframe's height: ``720``, ``720px``, ``80vh`` or ``40em``."""
    text = str(value).strip()
    number = text.rstrip("abcdefghijklmnopqrstuvwxyz%")
    unit = text[len(number):] or "px"
    try:
        ok = float(number) > 0 and unit in ("px", "em", "rem", "vh", "vw", "%")
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(f"The 'height' parameter must be a positive CSS length such as 720px, 80vh or 40em. Got "
                         f"{value!r} instead.")
    return f"{number}{unit}"
