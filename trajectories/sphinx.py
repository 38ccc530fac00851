"""A Sphinx extension (Sphinx, Jupyter Book 1): the ``trajectories`` directive puts the live app, opened on a lesson,
on a page.

``extensions = ["trajectories.sphinx"]`` in ``conf.py`` (Jupyter Book 1: ``sphinx: extra_extensions:`` in
``_config.yml``), then in reStructuredText::

    .. trajectories:: optimizer=gd,momentum&momentum.eta=0.6
       :height: 1600px

or in MyST Markdown::

    ```{trajectories} optimizer=gd,momentum&momentum.eta=0.6
    ```

The argument is a page link's query (the link field of the app gives one); lines of the directive's body are
joined to it with ``&``, one setting per line if you like. The HTML builders write the one-file app page
(:mod:`trajectories.standalone`) once into ``_static/trajectories/`` and put an ``<iframe>`` of it, with the
lesson in its link, where the directive stands (:mod:`trajectories.embed`): the built site needs no network and
runs from ``file://``. A setting the page would ignore is a build warning. Other builders (LaTeX, text) print the
lesson's link instead: for a printed figure use ``trajectories export ... --format pdf`` and ``.. image::``.

Options: ``height`` (a CSS length, default 1600px: today's page whole at a 760 px column), ``title`` (the
iframe's accessible name), and ``controls`` / ``panels``, the compact mode's keys (issue 22), passed to the page
once it reads them and a build warning until then.
"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from .embed import DEFAULT_HEIGHT, check_length, iframe, layout_query, page_name
from .figures import make_folder, write_atomic
from .lesson import Lesson
from .standalone import html_page

logger = logging.getLogger(__name__)
STATIC = "_static/trajectories"  # where the app pages go in the built site


class trajectories_figure(nodes.General, nodes.Element):  # noqa: N801 - docutils names nodes in lower case
    """A live figure: ``lesson`` (a Lesson), ``height``, ``title``, ``layout`` (the compact mode's query)."""


class TrajectoriesDirective(SphinxDirective):
    """``.. trajectories:: QUERY`` with the query's further settings, one per line, in the body."""

    optional_arguments = 1
    has_content = True
    option_spec = {"height": directives.unchanged, "title": directives.unchanged,
                   "controls": directives.unchanged, "panels": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        parts = [*self.arguments, *(line.strip() for line in self.content if line.strip())]
        query = "&".join(p.lstrip("?&") for p in parts)
        lesson, notes = Lesson.from_query(query)
        for note in notes:
            logger.warning(f"trajectories: {note}", location=self.get_location())
        try:
            height = check_length(self.options.get("height", DEFAULT_HEIGHT))
            layout, left_out = layout_query(self.options.get("controls"), self.options.get("panels"))
        except ValueError as exc:
            raise self.error(f"trajectories: {exc}") from None
        for note in left_out:
            logger.warning(f"trajectories: {note}", location=self.get_location())
        node = trajectories_figure(lesson=lesson, height=height, title=self.options.get("title"), layout=layout)
        # What builders other than HTML show: the lesson's link, as text
        node += nodes.paragraph(text=f"Interactive figure (HTML only): ?{lesson.to_query()}")
        self.set_source_info(node)
        return [node]


def visit_html(translator: Any, node: trajectories_figure) -> None:
    builder = translator.builder
    lesson: Lesson = node["lesson"]
    name = page_name(lesson)
    written = builder.__dict__.setdefault("_trajectories_pages", set())
    if name not in written:  # once per build and page; a parallel writer writing it too writes the same bytes
        folder = make_folder(Path(builder.outdir) / STATIC, "folder")
        write_atomic(folder / name, html_page(Lesson()).encode("utf-8"))
        written.add(name)
    src = relative_uri(builder.get_target_uri(builder.current_docname), f"{STATIC}/{name}")
    translator.body.append(iframe(src, lesson, height=node["height"], title=node["title"], layout=node["layout"]))
    raise nodes.SkipNode


def _pass(translator: Any, node: nodes.Node) -> None:
    pass


def setup(app: Any) -> dict[str, Any]:
    """Register the directive and its node (an iframe in HTML, the lesson's link elsewhere)."""
    others = {name: (_pass, _pass) for name in ("latex", "text", "man", "texinfo")}
    app.add_node(trajectories_figure, html=(visit_html, _pass), **others)
    app.add_directive("trajectories", TrajectoriesDirective)
    return {"version": version("trajectories"), "parallel_read_safe": True, "parallel_write_safe": True}
