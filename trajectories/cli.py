"""The command line: ``trajectories serve | notebook | site | export | landscape | run``; every engine flag comes
from the spec table.

This module owns every subcommand's arguments and turns them into calls of plain functions (the engine through a
:class:`~trajectories.lesson.Lesson`, :func:`~trajectories.figures.export`, :func:`~trajectories.landscape.compute`,
:func:`~trajectories.serve.serve`); no other module imports it. Bad input prints one line and exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from . import animation, figures, landscape, serve
from .display import CONTROLS, Display, check_controls
from .i18n import LANGUAGES
from .inspector import inspect
from .lesson import Lesson, link_lang, make_lesson, optimizer_names
from .objectives import OBJECTIVES
from .specs import CONVENTIONS, RULES, SCHEDULE_SPECS, SCHEDULES, SPECS, check_name, parse_pair, settings, sigma_spec


class UsageError(Exception):
    """A bad command line: printed as one line, exit status 2."""


# ---- the engine's settings, shared by run, export and landscape ----------------------------------------------
_SETTINGS = ("objective", "condition", "angle", "start", "steps", "convention", "seed", "spread", "label", "window")


def _hyper_flags() -> dict[str, Any]:
    """Every setting of a run (each rule's hyperparameters, the schedule and its parameters, the noise), once, with
    the spec that says its type."""
    flags: dict[str, Any] = {}
    for table in SPECS.values():
        for rule_specs in table.values():
            for name, spec in rule_specs.items():
                flags.setdefault(name, spec)
    schedules = tuple(dict.fromkeys(s for c in CONVENTIONS for s in SCHEDULES[c]))
    flags["schedule"] = settings("gd")["schedule"]._replace(choices=schedules, text=(
        f"learning-rate schedule of every optimizer with a learning rate: {', '.join(schedules)}; the book's "
        "formulas under d2l, torch.optim.lr_scheduler's under torch"))
    for c in CONVENTIONS:
        for name, params in SCHEDULE_SPECS[c].items():
            for key, spec in params.items():
                flags.setdefault(key, spec._replace(text=f"{spec.description} ({name} schedule)"))
    flags["sigma"] = sigma_spec("gd")._replace(text="gradient noise: N(0, sigma^2) added to each coordinate "
                                               "of g (default 1 for sgd, 0 for the others)")
    return flags


def flag_help(name: str) -> str:
    """The help of a flag shared by several optimizers, true for each: one description, or each description with
    the optimizers it holds for (``--eps`` is inside the square root for AdaGrad, outside for Adam)."""
    groups: dict[str, dict[str, list[str]]] = {}
    for convention in CONVENTIONS:
        for rule in RULES:
            spec = SPECS[convention][rule].get(name)
            book = SPECS["d2l"][rule].get(name)
            if spec is None or (convention == "torch" and book is not None and book.description == spec.description):
                continue  # not a setting of this rule, or the same words as under the book's convention
            groups.setdefault(spec.description, {}).setdefault(convention, []).append(rule)
    if not groups:  # a schedule's parameter, the noise: one description in the flag table
        return _hyper_flags()[name].description
    if len(groups) == 1:
        return next(iter(groups))
    parts = []
    for description, rules in groups.items():
        book, torch = ", ".join(rules.get("d2l", [])), ", ".join(rules.get("torch", []))
        torch = torch and f"{torch} with --convention torch"
        parts.append(f"{description} for {book}, and for {torch}" if book and torch else
                     f"{description} for {book or torch}")
    return "; ".join(parts)


def _ints(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(v) for v in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be integers separated by commas, e.g. 15,30; got {text!r}") from None


def _add_flag(p: argparse.ArgumentParser, flag: str, dest: str, spec: Any, help: str) -> None:
    if spec.choices == (True, False):
        p.add_argument(flag.replace("_", "-"), dest=dest, action=argparse.BooleanOptionalAction, default=None,
                       help=help)
    elif spec.is_choice:
        p.add_argument(flag, dest=dest, choices=spec.choices, default=None, help=help)
    else:
        kind = {"int": int, "ints": _ints}.get(spec.kind, float)
        p.add_argument(flag.replace("_", "-") if "_" in flag else flag, dest=dest, type=kind, default=None,
                       help=help)


def add_settings(p: argparse.ArgumentParser) -> None:
    """The engine's settings as flags: objective, start, steps, convention, seed and each hyperparameter.

    Unset flags stay None, so a lesson (or a link's) value or the default applies.
    """
    p.add_argument("--objective", help=f"one of {', '.join(OBJECTIVES)} (default quadratic), or a formula in x1 "
                                       "and x2 such as 'x1^4 + x2^2' (quoted; one starting with a minus sign needs "
                                       "'=': --objective=-x1*x2)")
    p.add_argument("--condition", type=float, help="condition number of the 'general' objective")
    p.add_argument("--angle", type=float, help="rotation in degrees of the 'general' objective")
    p.add_argument("--start", help="start point x1,x2 (default: the book's -5,-2); a minus sign needs '=': "
                                   "--start=-4,1")
    p.add_argument("--steps", type=int, help="steps to run (default 20)")
    p.add_argument("--convention", help=f"one of {', '.join(CONVENTIONS)} (default d2l)")
    p.add_argument("--seed", type=int, help="seed of the gradient noise (default 0): runs with one seed meet the same "
                                            "draws")
    p.add_argument("--spread", type=int, help="run every optimizer over this many seeds, 1 to 100 (seed, seed + 1, "
                                              "...): the paths faint, the median run bold")
    p.add_argument("--label", help="a name for the run (one run only), shown in the legend and the readout")
    p.add_argument("--run", action="append", dest="runs", metavar="RUN",
                   help="one more run, written as in a link: --run gd:eta=0.4 --run gd:eta=0.6 (repeatable; its "
                        "settings win over the other flags)")
    p.add_argument("--window", help="the view x1_low,x1_high,x2_low,x2_high instead of the objective's own; a minus "
                                    "sign needs '=': --window=-6,2,-3,3")
    for name, spec in _hyper_flags().items():
        _add_flag(p, f"--{name}", name, spec, flag_help(name))


def lesson_from_args(args: argparse.Namespace, optimizer: Any) -> Lesson:
    """The lesson the flags describe for ``optimizer`` (names or a lesson to start from)."""
    hyper = {name: getattr(args, name) for name in _hyper_flags() if getattr(args, name) is not None}
    per: dict[str, dict[str, Any]] = {}
    for key, value in vars(args).items():
        if "." in key and value is not None:
            rule, _, name = key.partition(".")
            per.setdefault(rule, {})[name] = value
    shared = {k: getattr(args, k) for k in _SETTINGS}
    return make_lesson(optimizer, runs=args.runs, hyperparameters=per, **shared, **hyper)


def link_lesson(args: argparse.Namespace, optimizers: str | None,
                gallery: bool = False) -> tuple[Lesson, Display]:
    """The lesson a command line describes: ``--link`` first, then the optimizers named, ``--run`` and the flags;
    and how a page shows it (the link's presenter, controls, panels and view)."""
    base: Lesson | None = None
    display = Display()
    if args.link is not None:
        base, display = figures.link_settings(args.link)
    if optimizers is None and base is None and not args.runs:
        raise ValueError("The 'optimizers' parameter is missing: name one or more optimizers (e.g. rmsprop or "
                         f"gd,momentum), or give --run{', --link or --gallery' if gallery else ' or --link'}.")
    optimizer: Any = base if base is not None else optimizers
    if base is not None and optimizers is not None:
        optimizer = replace(base, optimizers=optimizer_names(optimizers))
    return lesson_from_args(args, optimizer), display


def _add_link(p: argparse.ArgumentParser) -> None:
    p.add_argument("--link", help="a preset link's query, e.g. 'optimizer=rmsprop&eta=0.4' or "
                                  "'run=gd:eta=0.4&run=gd:eta=0.6' (flags given as well override it)")


# ---- run ------------------------------------------------------------------------------------------------------
def _cmd_run(args: argparse.Namespace) -> int:
    lesson, _ = link_lesson(args, args.optimizer)
    trajectories = lesson.run()
    if args.step is not None:
        if len(lesson.runs) != 1 or lesson.runs[0].spread > 1:
            raise ValueError(f"The 'step' option inspects one run: give one optimizer or --run. Got "
                             f"{len(lesson.runs)} runs ({', '.join(lesson.labels)}) instead."
                             if len(lesson.runs) != 1 else "The 'step' option inspects one run, not a spread over "
                             f"seeds. Got spread={lesson.runs[0].spread} instead.")
        inspection = inspect(next(iter(trajectories.values())), args.step)
        print(json.dumps(inspection.to_dict(), ensure_ascii=False) if args.json else inspection.table())
        return 0
    if args.json:
        data = {label: t.to_dict() for label, t in trajectories.items()}
        print(json.dumps(next(iter(data.values())) if len(data) == 1 else data))
        return 0
    lines = lesson.readout(trajectories)
    if len(lines) == 1 and not lesson.runs[0].spread > 1:
        print(next(iter(lines.values())))
    else:
        for label, line in lines.items():
            print(f"{label}: {line}")
    return 0


def _add_run(sub: Any) -> None:
    p = sub.add_parser("run", help="run optimizers and print the book's line for each",
                       description="Print where each run ends in the book's words (epoch 20, x1: ..., x2: ...): one "
                                   "line for one run, else one per run after its label. Several runs: 'gd,momentum', "
                                   "--run gd:eta=0.4 --run gd:eta=0.6, or --link.",
                       epilog="examples: trajectories run rmsprop --eta 0.4 --gamma 0.9 | "
                              "trajectories run rmsprop --step 3 (the update at step 3, with its numbers) | "
                              "trajectories run adam --step 3 --json")
    p.add_argument("optimizer", nargs="?", help=f"one or more of {', '.join(RULES)}, separated by commas")
    add_settings(p)
    _add_link(p)
    p.add_argument("--step", type=int, help="print the update from point STEP to the next in the book's notation "
                                            "with this step's numbers (the app's step inspector); one run only")
    p.add_argument("--json", action="store_true", help="print the whole trajectory as JSON (by label for several; "
                                                       "with --step: that step)")
    p.set_defaults(func=_cmd_run)


# ---- export ---------------------------------------------------------------------------------------------------
def export_lesson(args: argparse.Namespace) -> tuple[Lesson, Display]:
    """The lesson the ``export`` command line describes, ``--link`` first, then the flags given; and how the page
    shows it (the link's presenter, controls, panels and view, overridden by the flags)."""
    lesson, display = link_lesson(args, args.optimizers, gallery=True)
    given = {k: v for k, v in (("presenter", args.presenter or None), ("view", args.view),
                               ("controls", check_controls(args.controls) if args.controls is not None else None),
                               ("panels", None if args.panels is None else args.panels == "all")) if v is not None}
    return lesson, replace(display, **given)


def _cmd_export(args: argparse.Namespace) -> int:
    if args.gallery is not None:
        if args.optimizers is not None or args.link is not None or args.output is not None:
            raise ValueError("The 'gallery' option makes the book's figures: give it alone (with --text if "
                             f"wanted). Got {args.optimizers or args.link or args.output!r} as well.")
        for path in figures.export_gallery(args.gallery, text=args.text):
            print(path)
        return 0
    lesson, display = export_lesson(args)
    lang = args.lang or (link_lang(args.link) if args.link is not None else None)  # a link's lang=zh counts too
    inspector = args.inspector
    if inspector is not None:
        if args.step is None:
            raise ValueError("The '--inspector' option shows one step: give --step N as well. Got no --step.")
        inspector = inspector or lesson.optimizers[0]
    page = {}
    fmt = figures.target(args.output, lesson, args.format, args.step)[1]
    if fmt in ("html", "mjs"):
        page = {"presenter": display.presenter, "controls": display.controls, "panels": display.panels}
    else:  # a figure: the page's options of a pasted link do not apply, the flags say so
        flag = next((f for f, v in (("--presenter", args.presenter), ("--controls", args.controls),
                                    ("--panels", args.panels)) if v), None)
        if flag is not None:
            raise ValueError(f"The '{flag}' option applies to --format html and mjs only (for slides use --style "
                             f"slides, for the panels --loss). Got --format {fmt} instead.")
    path = figures.export(lesson, args.output, style=args.style, loss=args.loss, format=args.format, text=args.text,
                          step=args.step, view=display.view, inspector=inspector, seconds=args.seconds, lang=lang,
                          **page)
    print(path)
    if path.suffix.lstrip(".") in animation.ANIMATIONS:  # a page's alt text (or a video's aria-label), ready to copy
        print(f"alt: {animation.alt_text(lesson, lang=lang or 'en')}")
    return 0


def _add_export(sub: Any) -> None:
    p = sub.add_parser(
        "export", help="write the figure as SVG, PNG or PDF (or the app as HTML, Play as GIF or MP4), byte for byte "
                       "the same every time",
        description="Write the app's figure of these settings. Several optimizers: 'gd,momentum'; a flag like "
                    "--eta applies to every run that takes it, --momentum.eta to the runs of one optimizer. One "
                    "optimizer twice: --run gd:eta=0.4 --run gd:eta=0.6. Or paste a preset link's query with --link "
                    "'optimizer=gd,momentum&momentum.eta=0.6' (flags given as well override it). Negative starts "
                    "need '=': --start=-4,1.",
        epilog="examples: trajectories export rmsprop --eta 0.4 --gamma 0.9 -o fig.svg | "
               "trajectories export gd,momentum --eta 0.4 --momentum.eta 0.6 --loss | "
               "trajectories export --run gd:eta=0.4 --run gd:eta=0.6 | "
               "trajectories export --gallery assets/gallery")
    p.add_argument("optimizers", nargs="?", help=f"one or more of {', '.join(RULES)}, separated by commas")
    add_settings(p)
    flags = _hyper_flags()
    for rule in RULES:
        for name in dict.fromkeys(k for c in CONVENTIONS for s in SCHEDULES[c] for k in settings(rule, c, s)
                                  if k in settings(rule, c, "constant") or k in SCHEDULE_SPECS[c][s]):
            _add_flag(p, f"--{rule}.{name}", f"{rule}.{name}", flags[name], argparse.SUPPRESS)
    _add_link(p)
    p.add_argument("-o", "--output", help="file (.svg, .png, .pdf, .html, .mjs, .gif, .mp4) or folder; default: named "
                                          "after the settings")
    p.add_argument("--style", choices=tuple(figures.STYLES), default="d2l",
                   help="; ".join(f"{k}: {v.description}" for k, v in figures.STYLES.items()))
    p.add_argument("--loss", action="store_true", help="add the loss and effective-learning-rate panels")
    p.add_argument("--format", choices=figures.FORMATS, help="default: from the output's suffix, else svg")
    p.add_argument("--text", choices=tuple(figures.TEXT), default="paths",
                   help="SVG text as glyph outlines (paths) or selectable text (text)")
    p.add_argument("--step", type=int, help="highlight this step, as the app's step control does")
    p.add_argument("--seconds", type=float, default=animation.DEFAULT_SECONDS,
                   help=f"gif and mp4: seconds per step, {animation.SECONDS[0]:g} to {animation.SECONDS[1]:g} "
                        f"(default {animation.DEFAULT_SECONDS:g}); one frame per step, from the start to the end")
    p.add_argument("--inspector", nargs="?", const="", metavar="OPTIMIZER",
                   help="with --step: add the step inspector under the figure, the update at that step in the book's "
                        "notation with its numbers (of OPTIMIZER, default the first shown)")
    p.add_argument("--view", choices=figures.VIEWS, help="fit (default): the objective's window grows to hold every "
                   "path that stays near it, and a run that diverges is drawn up to where it leaves, as in the app; "
                   "window: the objective's window, whatever the paths do")
    p.add_argument("--presenter", action="store_true", help="--format html: bigger type and thicker lines, for a "
                   "projector")
    p.add_argument("--controls", metavar="LIST", help="--format html: the compact mode, the plot and only these "
                   "controls, e.g. eta,beta (hyperparameters, momentum.eta for one optimizer's, or "
                   f"{', '.join(CONTROLS)}); none: the plot alone")
    p.add_argument("--panels", choices=("all", "none"), help="--format html: show the loss and effective-rate "
                   "panels (all, the default) or not (none)")
    p.add_argument("--lang", choices=LANGUAGES, help="the figure's words in English or in the Chinese edition's "
                   "(default en; a --link's lang=); for html, the page's language (default: its reader's browser's)")
    p.add_argument("--gallery", metavar="FOLDER", help="write the book's figures and an index.md into FOLDER")
    p.set_defaults(func=_cmd_export)


# ---- landscape ------------------------------------------------------------------------------------------------
def _cmd_landscape(args: argparse.Namespace) -> int:
    rule = check_name(args.optimizer, "optimizer", RULES)
    lesson = lesson_from_args(args, (rule,))
    default = landscape.DEFAULT_AXES[rule]
    x = args.x or default[0]
    if args.y is not None:
        y = None if args.y.lower() == "none" else args.y
    else:
        y = default[1] if args.x is None and len(default) > 1 else None
    axes = (x,) if y is None else (x, y)
    spans = {}
    if args.x_span:
        spans[x] = parse_pair(args.x_span, "x-span", ("low", "high"))
    if args.y_span:
        if y is None:
            raise ValueError("The '--y-span' option needs a y axis. Got a one-axis map instead.")
        spans[y] = parse_pair(args.y_span, "y-span", ("low", "high"))
    if args.output is not None:
        figures.landscape_target(args.output, "The '--output' option")
    m = landscape.from_lesson(lesson, rule, axes, resolution=args.resolution, metric=args.metric, tol=args.tol,
                              spans=spans)
    if args.output is None:
        print(landscape.summary(m))
    else:
        figures.save_landscape(m, args.output, lang=args.lang or "en")
    return 0


def _add_landscape(sub: Any) -> None:
    low, high = landscape.RESOLUTION
    p = sub.add_parser("landscape", help="map an optimizer over a grid of two hyperparameters (SVG, or a summary)")
    p.add_argument("optimizer", help=f"one of {', '.join(RULES)}")
    p.add_argument("--x", help="hyperparameter on the x axis (default per optimizer, e.g. eta)")
    p.add_argument("--y", help="hyperparameter on the y axis, or 'none' for a 1D curve (default per optimizer)")
    p.add_argument("--x-span", help="low,high: narrow the x axis inside its range")
    p.add_argument("--y-span", help="low,high: narrow the y axis inside its range")
    p.add_argument("--resolution", type=int, default=64, help=f"cells per side, {low} to {high}")
    p.add_argument("--metric", default="loss", help=f"one of {', '.join(landscape.METRICS)}")
    p.add_argument("--tol", type=float, default=0.1, help="distance to a minimum that counts as arrived (steps)")
    p.add_argument("-o", "--output", help="write the map as SVG here (otherwise print a one-line summary)")
    p.add_argument("--lang", choices=LANGUAGES, help="the map's words in English or Chinese (default en)")
    add_settings(p)
    p.set_defaults(func=_cmd_landscape)


# ---- notebook -------------------------------------------------------------------------------------------------
def _cmd_notebook(args: argparse.Namespace) -> int:
    path = figures.export_notebook(args.path)
    print(f"{path}: the app in a notebook; open it with  jupyter lab {shlex.quote(str(path))}")
    return 0


def _add_notebook(sub: Any) -> None:
    p = sub.add_parser("notebook", help="write the teacher's notebook (app.ipynb) to open in JupyterLab",
                       description="Write app.ipynb, the app in a notebook for the teacher (app = App(), and "
                                   "app.lesson for what is on screen), into FOLDER (default: this folder; made if "
                                   "missing), or to a file name ending in .ipynb. A notebook of that name with "
                                   "other content is never overwritten.",
                       epilog="then: jupyter lab app.ipynb")
    p.add_argument("path", nargs="?", default=".", metavar="FOLDER",
                   help="a folder, or a file name ending in .ipynb (default: app.ipynb in this folder)")
    p.set_defaults(func=_cmd_notebook)


# ---- site -----------------------------------------------------------------------------------------------------
def _cmd_site(args: argparse.Namespace) -> int:
    for path in figures.export_site(args.folder, args.link, lang=args.lang):
        print(path)
    return 0


def _add_site(sub: Any) -> None:
    p = sub.add_parser("site", help="write a course website's folder: the app as one HTML page and an index of lessons",
                       description="Write FOLDER/app.html (the whole app, runs in the browser with no server) and "
                                   "FOLDER/index.html, which links to it with the book's lessons preset. Upload the "
                                   "folder to any static web host, or open index.html from disk.")
    p.add_argument("folder", help="the folder to write (made, with its parents, if it does not exist)")
    p.add_argument("--link", action="append", default=[], help="one more lesson, as a page link's query "
                                                               "(repeatable), e.g. 'optimizer=adam&eta=0.1'")
    p.add_argument("--lang", choices=LANGUAGES, help="the index in English or Chinese, with that edition's section "
                   "numbers and titles, and the app in that language (default: index in English, app in each "
                   "reader's browser language)")
    p.set_defaults(func=_cmd_site)


# ---- serve ----------------------------------------------------------------------------------------------------
def _cmd_serve(args: argparse.Namespace) -> int:
    serve.serve(port=args.port, ip=args.ip, open_browser=not args.no_browser, theme=args.theme,
                pool_size=args.pool_size, cull_idle=args.cull_idle, lang=args.lang)
    return 0


def _add_serve(sub: Any) -> None:
    p = sub.add_parser("serve", help="serve the app to students' browsers with Voila")
    p.add_argument("--port", type=int, default=serve.DEFAULT_PORT, help=f"TCP port (default {serve.DEFAULT_PORT})")
    p.add_argument("--ip", default=serve.DEFAULT_IP, help=f"address to bind (default {serve.DEFAULT_IP}, this "
                                                          "machine only; 0.0.0.0 for a class on a LAN)")
    p.add_argument("--no-browser", action="store_true", help="do not open the page in a browser")
    p.add_argument("--theme", choices=serve.THEMES, default="light", help="page theme (default light)")
    p.add_argument("--lang", choices=LANGUAGES, help="the page's language, English or the Chinese edition's "
                   "(default: each student's browser language; a link's lang= overrides it)")
    p.add_argument("--pool-size", type=int, default=serve.DEFAULT_POOL_SIZE,
                   help=f"preheated kernels kept ready for the next student (default {serve.DEFAULT_POOL_SIZE}; "
                        f"0: off; at most {serve.MAX_POOL_SIZE}; for a class that opens the link at once, about the "
                        "class size: each waits with about 50 MB)")
    p.add_argument("--cull-idle", type=int, default=serve.DEFAULT_CULL_IDLE,
                   help=f"seconds before a kernel whose page went away without closing (tab killed, laptop asleep, "
                        f"network lost) is shut down, counted from its last activity (default "
                        f"{serve.DEFAULT_CULL_IDLE}; 0: never; a page still loading gets five times as long). A page "
                        "closed normally frees its kernel at once; a page still open keeps its kernel however long it "
                        "idles")
    p.set_defaults(func=_cmd_serve)


# Each subcommand adds its own parser; a new one is one more entry here. In the order a teacher meets them.
COMMANDS: list[Callable[[Any], None]] = [_add_serve, _add_notebook, _add_site, _add_export, _add_landscape, _add_run]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own usage errors: one line, exit 2
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: every subcommand with its flags."""
    parser = _Parser(prog="trajectories", description="Interactive 2D optimizer trajectories for teaching, exact "
                     "to Dive into Deep Learning and torch.optim.",
                     epilog="trajectories COMMAND --help tells more. Start with: trajectories serve (the students' "
                            "page) or trajectories notebook (the app in JupyterLab).")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="COMMAND")
    for add in COMMANDS:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        status = int(args.func(args) or 0)
        sys.stdout.flush()  # here, so that a reader that went away is seen below and not at the interpreter's exit
        return status
    except BrokenPipeError:
        # The reader closed the pipe (`trajectories run ... --json | head`): a normal end for a command-line tool.
        # Python would still try to flush what is left at exit and complain; point stdout at /dev/null instead.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (UsageError, ValueError, OSError, ImportError) as exc:  # ImportError: an optional extra, named
        print(f"trajectories: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
