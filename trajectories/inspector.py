r"""The step inspector: each rule's update in the book's notation, with the numbers of one step filled in.

The equations are data, kept here once. For each rule and convention they are a few lines written as Python
assignments in the book's symbols (``s = gamma*s + (1 - gamma)*g**2``), read with :mod:`ast`. From each line come
its text for the page (``s ← γs + (1 − γ)g²``), its LaTeX for exported figures (matplotlib's mathtext), and a
template of its right side with named slots (``⟨gamma⟩·⟨(s)⟩ + (1 − ⟨gamma⟩)·⟨(g)⟩²``) that Python and the page
fill with one step's numbers in the same way (:func:`fill`). The lines run in order, as the book's pseudo-code
does: a name on the right is its value before the line, unless an earlier line assigned it.

The numbers of a step are the engine's own record (:class:`~trajectories.engine.Trajectory`): the point, the
gradient it read (and Nesterov's look-ahead point), the state before and after, the effective learning rate.
Only what the engine does not keep (Adam's v̂ and ŝ, Adadelta's g′, a gradient with its noise) is evaluated
from its line, with the engine's operations in the engine's order; every line is also evaluated and checked
against the engine's value in the tests, so the equations shown are the ones the engine computes.

Step N of a run is the update drawn at the app's highlighted step N: from point N to point N + 1, the engine's
step t = N + 1 (Adam's t).
"""

from __future__ import annotations

import ast
import itertools
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from . import noise
from .engine import BOUND, Trajectory
from .i18n import DEFAULT, check_lang, tables, text
from .i18n import name as term
from .specs import CONVENTIONS, RULES, check_int, check_name, specs

DIGITS = 4  # significant digits of a number in the inspector (page, command line, figure)

# The book's symbols: the name in a line's source -> (Unicode for the page, mathtext for figures).
SYMBOLS: dict[str, tuple[str, str]] = {
    "x": ("x", "x"), "g": ("g", "g"), "grad": ("∇f", r"\nabla f"), "x_look": ("x̃", r"\tilde{x}"),
    "v": ("v", "v"), "s": ("s", "s"), "delta": ("Δx", r"\Delta x"), "g_prime": ("g′", "g'"),
    "v_hat": ("v̂", r"\hat{v}"), "s_hat": ("ŝ", r"\hat{s}"), "xi": ("ξ", r"\xi"), "t": ("t", "t"),
    "eta": ("η", r"\eta"), "gamma": ("γ", r"\gamma"), "beta": ("β", r"\beta"),
    "beta1": ("β₁", r"\beta_1"), "beta2": ("β₂", r"\beta_2"), "rho": ("ρ", r"\rho"), "eps": ("ε", r"\epsilon"),
    "sigma": ("σ", r"\sigma"),
}
# What each line is, for the reader, and the inspector's sentences (for the command line, the exported table and
# the page): messages of the tables (trajectories/locales, "inspector.*"), so both languages say them; here their
# English words, as the command line and the Python API say them. A line's role is a key of LABELS.
_ROLES = ("input", "gradient", "lookahead", "state", "intermediate", "rate", "update")
LABELS: dict[str, str] = {r: tables()[DEFAULT].get(f"inspector.label.{r}", "") for r in _ROLES}
_TEXT_KEYS = ("title", "title_last", "diverged", "gone", "idle", "hint", "form_d2l", "form_torch", "region",
              "choices")
TEXTS: dict[str, str] = {k: tables()[DEFAULT][f"inspector.{k}"] for k in _TEXT_KEYS}

# The lines of each rule after its gradient, per convention: the book's form (d2l) and torch.optim's documented
# form in the book's symbols (lr -> eta, alpha -> gamma, momentum -> beta). ``lr`` is the effective learning
# rate, the factor in front of g: its line shows it, and later lines show its formula in place of the name.
_ADAGRAD = ("s = s + g**2",)
_RMSPROP = ("s = gamma*s + (1 - gamma)*g**2",)
_ROOT_INSIDE, _ROOT_OUTSIDE = "lr = eta/sqrt(s + eps)", "lr = eta/(sqrt(s) + eps)"
_ADAM = ("v = beta1*v + (1 - beta1)*g", "s = beta2*s + (1 - beta2)*g**2")
_ADADELTA_S, _ADADELTA_DELTA = "s = rho*s + (1 - rho)*g**2", "delta = rho*delta + (1 - rho)*g_prime**2"
_RULE_LINES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("gd", "d2l"): ("x = x - eta*g",),
    ("momentum", "d2l"): ("v = beta*v + g", "x = x - eta*v"),
    ("nesterov", "d2l"): ("v = beta*v + g", "x = x - eta*v"),
    ("nesterov", "torch"): ("v = beta*v + g", "x = x - eta*(g + beta*v)"),
    ("adagrad", "d2l"): (*_ADAGRAD, _ROOT_INSIDE, "x = x - lr*g"),
    ("adagrad", "torch"): (*_ADAGRAD, _ROOT_OUTSIDE, "x = x - lr*g"),
    ("rmsprop", "d2l"): (*_RMSPROP, _ROOT_INSIDE, "x = x - lr*g"),
    ("rmsprop", "torch"): (*_RMSPROP, _ROOT_OUTSIDE, "x = x - lr*g"),
    ("adadelta", "d2l"): (_ADADELTA_S, "lr = sqrt(delta + eps)/sqrt(s + eps)", "g_prime = lr*g", "x = x - g_prime",
                          _ADADELTA_DELTA),
    ("adadelta", "torch"): (_ADADELTA_S, "g_prime = sqrt(delta + eps)/sqrt(s + eps)*g",
                            "lr = eta*sqrt(delta + eps)/sqrt(s + eps)", "x = x - eta*g_prime", _ADADELTA_DELTA),
    ("adam", "d2l"): (*_ADAM, "v_hat = v/(1 - beta1**t)", "s_hat = s/(1 - beta2**t)", "lr = eta/(sqrt(s_hat) + eps)",
                      "x = x - lr*v_hat"),
    ("adam", "d2l", "uncorrected"): (*_ADAM, "lr = eta/(sqrt(s) + eps)", "x = x - lr*v"),
}
_INLINE = ("lr",)  # names whose formula later lines show in their place

_ROLE_OF = {"x": "update", "g": "gradient", "x_look": "lookahead", "lr": "rate",
            "v_hat": "intermediate", "s_hat": "intermediate", "g_prime": "intermediate"}
_STATE = ("v", "s", "delta")


# ---- the lines --------------------------------------------------------------------------------------------------
class Line(NamedTuple):
    """One line of a rule's update, read from its source in the book's symbols."""

    name: str  # the slot it assigns (or shows, for an input): "s", "x", "lr", ...
    role: str  # a key of LABELS
    op: str  # "←" (a value updated), "=" (a new one), "" (an input, or the effective rate, shown bare)
    text: str  # the page's form: "s ← γs + (1 − γ)g²"
    tex: str  # mathtext: r"s \leftarrow \gamma s + (1 - \gamma) g^{2}"
    values: str  # the right side with slots, Unicode, for fill(): "⟨gamma⟩·⟨(s)⟩ + (1 − ⟨gamma⟩)·⟨(g)⟩²"
    values_tex: str  # the same in mathtext
    source: str  # the Python it was read from: "s = gamma*s + (1 - gamma)*g**2"
    tree: Any  # its right side as an ast expression


NOISE = "noise"  # the variant of a rule's lines with gradient noise (g = ∇f(x) + ξ): SGD's always, any rule's at σ > 0


def variant_names(rule: str, convention: str) -> tuple[str, ...]:
    """What changes a rule's lines: its choice hyperparameters (Adam's bias correction), and for every rule but SGD
    (whose book form always adds ξ) whether its gradient has noise (:data:`NOISE`, from ``sigma > 0``)."""
    choices = tuple(n for n, s in specs(rule, convention).items() if s.is_choice)
    return choices if rule == "sgd" else (*choices, NOISE)


def variant_choices(rule: str, convention: str, name: str) -> tuple[Any, ...]:
    """The values one of :func:`variant_names` takes."""
    return (True, False) if name == NOISE else specs(rule, convention)[name].choices


def _noisy(rule: str, hyperparameters: Mapping[str, Any]) -> bool:
    if rule == "sgd":
        return True
    if NOISE in hyperparameters:  # a variant named by its key (templates)
        return bool(hyperparameters[NOISE])
    return bool(np.any(np.asarray(hyperparameters.get("sigma", 0.0), dtype=float) > 0))


def variant_key(rule: str, convention: str, hyperparameters: Mapping[str, Any]) -> str:
    """``"bias_correction=true,noise=false"``: which of a rule's variants a setting shows; the page makes the same
    key (``noise`` from its sigma)."""
    value = {n: _noisy(rule, hyperparameters) if n == NOISE else hyperparameters[n]
             for n in variant_names(rule, convention)}
    return ",".join(f"{n}={str(v).lower()}" for n, v in value.items())


def sources(rule: str, convention: str = "d2l", hyperparameters: Mapping[str, Any] | None = None) -> list[str]:
    """The source lines of ``rule``'s update under ``convention`` for these choices (defaults where not given).

    Two parts: the gradient (read at the look-ahead point for Nesterov under d2l), with its noise ξ (σ times the
    run's draw) for SGD, as the book writes it, and for any rule whose sigma is above 0; then the rule's own lines.
    A schedule changes no line: η is the rate at step t, as the engine's rate table gives it (:func:`inspect`).
    """
    rule = check_name(rule, "optimizer", RULES)
    convention = check_name(convention, "convention", CONVENTIONS)
    hp = {n: s.default for n, s in specs(rule, convention).items()} | dict(hyperparameters or {})
    lines = ["x"]
    read = "grad(x)"
    if rule == "nesterov" and convention == "d2l":
        lines += ["x_look = x - eta*beta*v"]
        read = "grad(x_look)"
    lines += [f"g = {read} + xi" if _noisy(rule, hp) else f"g = {read}"]
    body = "gd" if rule == "sgd" else rule
    key: tuple[str, ...] = (body, convention) if (body, convention) in _RULE_LINES else (body, "d2l")
    if rule == "adam" and not hp["bias_correction"]:
        key = ("adam", "d2l", "uncorrected")
    return lines + list(_RULE_LINES[key])


def equations(rule: str, convention: str = "d2l", hyperparameters: Mapping[str, Any] | None = None) -> list[Line]:
    """The lines of ``rule``'s update, in order, ready to show and to fill.

    Examples
    --------
    >>> [line.text for line in equations("rmsprop")]
    ['x', 'g = ∇f(x)', 's ← γs + (1 − γ)g²', 'η/√(s + ε)', 'x ← x − η/√(s + ε)·g']
    """
    out: list[Line] = []
    known = {"x", "t", *_STATE}  # what exists before the first line: a line that assigns it updates it
    inline: dict[str, ast.expr] = {}
    for src in sources(rule, convention, hyperparameters):
        statement = ast.parse(src).body[0]
        if isinstance(statement, ast.Expr):  # an input, shown with its value
            name = statement.value.id
            text, tex = SYMBOLS[name]
            out.append(Line(name, "input", "", text, tex, f"⟨{name}⟩", f"⟨{name}⟩", src, statement.value))
            continue
        name, tree = statement.targets[0].id, statement.value
        role = _ROLE_OF.get(name, "state" if name in _STATE else "intermediate")
        rhs = _render(tree, "text", inline)
        rhs_tex = _render(tree, "tex", inline)
        if name in _INLINE:
            op, text, tex = "", rhs.text, rhs_tex.text
            inline[name] = tree
        else:
            op = "←" if name in known else "="
            symbol, symbol_tex = SYMBOLS[name]
            text = f"{symbol} {op} {rhs.text}"
            arrow = r"\leftarrow" if op == "←" else "="
            tex = f"{symbol_tex} {arrow} {rhs_tex.text}"
        known.add(name)
        out.append(Line(name, role, op, text, tex, _render(tree, "text", slots=True).text,
                        _render(tree, "tex", slots=True).text, src, tree))
    return out


# ---- rendering: text, mathtext, and templates with slots --------------------------------------------------------
ADD, MUL, NEG, POW, ATOM = 1, 2, 3, 4, 5
_SUPERSCRIPT = str.maketrans("0123456789-t", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻ᵗ")
_FUNCTIONS = {"sqrt": ("√", r"\sqrt"), "exp": ("exp", r"\exp"), "grad": ("∇f", r"\nabla f")}


class _Out(NamedTuple):
    text: str
    level: int  # how tightly it binds: ADD < MUL < NEG < POW < ATOM
    div: bool = False  # a quotient (a following factor is joined with a dot, not by juxtaposition)


def _render(node: ast.expr, mode: str, inline: Mapping[str, ast.expr] | None = None, *, slots: bool = False,
            lead: bool = True) -> _Out:
    """``node`` as Unicode (mode "text") or mathtext ("tex"); with ``slots``, names become slots for fill().

    ``lead``: the node starts its expression (or a numerator, a root, a function's argument), where a negative
    number needs no parentheses; a slot elsewhere is written ``⟨(name)⟩``, parenthesised when negative.
    """
    tex = mode == "tex"

    def sub(n, lead_=False):
        return _render(n, mode, inline, slots=slots, lead=lead_)

    def wrap(out: _Out, level: int) -> str:
        if out.level >= level:
            return out.text
        return rf"\left({out.text}\right)" if tex else f"({out.text})"

    if isinstance(node, ast.Name):
        if not slots and inline and node.id in inline:
            return sub(inline[node.id], lead)
        if slots:
            return _Out(f"⟨{node.id}⟩" if lead else f"⟨({node.id})⟩", ATOM)
        return _Out(SYMBOLS[node.id][1 if tex else 0], ATOM)
    if isinstance(node, ast.Constant):
        return _Out(_number(node.value), ATOM)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return _Out(("-" if tex else "−") + wrap(sub(node.operand), NEG), NEG)
    if isinstance(node, ast.Call):
        name, arg = node.func.id, node.args[0]
        if name == "grad" and slots:  # the gradient's value, as the engine read it
            return _Out("⟨grad⟩" if lead else "⟨(grad)⟩", ATOM)
        inner = sub(arg, True)
        symbol = _FUNCTIONS[name][1 if tex else 0]
        if tex:
            return _Out(rf"{symbol}{{{inner.text}}}" if name == "sqrt" else rf"{symbol}\left({inner.text}\right)",
                        ATOM)
        if name == "sqrt" and inner.level == ATOM and "/" not in inner.text:
            return _Out(f"√{inner.text}", ATOM)
        return _Out(f"{symbol}({inner.text})", ATOM)
    if isinstance(node, ast.BinOp):
        op = node.op
        if isinstance(op, (ast.Add, ast.Sub)):
            left, right = sub(node.left, lead), sub(node.right)
            sign = ("+" if isinstance(op, ast.Add) else "-") if tex else ("+" if isinstance(op, ast.Add) else "−")
            return _Out(f"{left.text} {sign} {wrap(right, ADD + 1 if isinstance(op, ast.Sub) else ADD)}", ADD)
        if isinstance(op, ast.Mult):
            left, right = sub(node.left, lead), sub(node.right)
            # juxtaposed as the book writes γs and (1 − γ)g², with a dot after a quotient, before a number and
            # between numbers
            dot = slots or left.div or right.text[:1].isdigit() or (
                isinstance(node.right, ast.Call) and node.right.func.id != "sqrt")
            joiner = (r" \cdot " if dot else " ") if tex else ("·" if dot else "")
            return _Out(f"{wrap(left, MUL)}{joiner}{wrap(right, POW)}", MUL)
        if isinstance(op, ast.Div):
            if tex and not slots:  # the equation as the book sets it; numbers stay on one line
                return _Out(rf"\frac{{{sub(node.left, True).text}}}{{{sub(node.right, True).text}}}", ATOM, True)
            left, right = sub(node.left, lead), sub(node.right)
            return _Out(f"{wrap(left, MUL)}/{wrap(right, POW)}", MUL, True)
        if isinstance(op, ast.Pow):
            base, exponent = sub(node.left), node.right  # a base is never leading: (−0.84)², not −0.84²
            if tex:
                power = _render(exponent, mode, inline, slots=slots, lead=True).text
                return _Out(f"{wrap(base, ATOM)}^{{{power}}}", POW)
            if isinstance(exponent, ast.Name) and slots:
                return _Out(f"{wrap(base, ATOM)}⟨^{exponent.id}⟩", POW)
            power = exponent.id if isinstance(exponent, ast.Name) else _number(exponent.value)
            return _Out(f"{wrap(base, ATOM)}{power.translate(_SUPERSCRIPT)}", POW)
    raise ValueError(f"The 'source' parameter of an inspector line must use names, numbers, + - * / **, sqrt, exp "
                     f"and grad. Got {ast.unparse(node)!r} instead.")


def _number(value: float) -> str:
    return f"{value:g}"


def fmt(value: float, tex: bool = False) -> str:
    """A value as the inspector writes it: :data:`DIGITS` significant digits, ``1e−6`` (mathtext
    ``10^{-6}``), a true minus sign; NaN (a step past divergence) as a dash."""
    v = float(value)
    if math.isnan(v):
        return r"\mathrm{n/a}" if tex else "—"
    if math.isinf(v):
        return ("-" if v < 0 else "") + (r"\infty" if tex else "∞")
    text = f"{v:.{DIGITS}g}"
    mantissa, _, exponent = text.partition("e")
    if exponent:
        e = int(exponent)
        if tex:
            return (rf"{mantissa} \times 10^{{{e}}}" if mantissa not in ("1", "-1") else
                    f"{'-' if mantissa == '-1' else ''}10^{{{e}}}")
        text = f"{mantissa}e{e}"
    return text if tex else text.replace("-", "−")


_SLOT = re.compile(r"⟨(\^?)(\(?)(\w+)\)?⟩")


def fill(template: str, values: Mapping[str, float], tex: bool = False) -> str:
    """A line's template with its slots replaced by ``values`` (one coordinate's): ``⟨s⟩`` the number,
    ``⟨(s)⟩`` the number in parentheses when negative, ``⟨^t⟩`` the number as a superscript."""
    def one(m: re.Match) -> str:
        sup, paren, name = m.groups()
        v = values[name]
        text = fmt(v, tex)
        if sup:
            return text.translate(_SUPERSCRIPT)
        if paren and (v < 0 or (tex and "times" in text)):
            return rf"\left({text}\right)" if tex else f"({text})"
        return text
    return _SLOT.sub(one, template)


# ---- values: one step of a run ----------------------------------------------------------------------------------
def evaluate(tree: ast.expr, env: Mapping[str, Any]) -> np.ndarray:
    """The value of a line's right side given ``env``, with the engine's operations in the engine's order.

    A division by exactly 0 leaves the numerator, the engine's rule for Adam's bias correction at beta = 1
    (whose average stays 0: rules._corrected).
    """
    def ev(node):
        if isinstance(node, ast.Name):
            return env[node.id]
        if isinstance(node, ast.Constant):
            return np.float64(node.value)
        if isinstance(node, ast.UnaryOp):
            return -ev(node.operand)
        if isinstance(node, ast.Call):
            if node.func.id == "grad":
                return env["grad"]
            return {"sqrt": np.sqrt, "exp": np.exp}[node.func.id](ev(node.args[0]))
        a, b = ev(node.left), ev(node.right)
        op = node.op
        if isinstance(op, ast.Add):
            return a + b
        if isinstance(op, ast.Sub):
            return a - b
        if isinstance(op, ast.Mult):
            return a * b
        if isinstance(op, ast.Div):
            return a / np.where(b == 0, 1.0, b)
        return a ** b
    with np.errstate(all="ignore"):
        return np.asarray(ev(tree), dtype=float)


@dataclass(frozen=True)
class InspectedLine:
    """One line at one step: its value per coordinate and the line with that step's numbers filled in."""

    line: Line
    value: np.ndarray  # (2,): the engine's value where it keeps one, else the line's
    computed: np.ndarray  # (2,): the line evaluated with the values above it (equal to ``value`` up to rounding)
    substituted: tuple[str, str]  # Unicode, per coordinate: "0.9·0.07744 + (1 − 0.9)·(−0.84)² = 0.1403"
    substituted_tex: tuple[str, str]


@dataclass(frozen=True)
class Inspection:
    """Step ``step`` of a run, from point ``step`` to point ``step + 1`` (the engine's t = step + 1)."""

    optimizer: str
    convention: str
    objective: str
    step: int
    t: int
    hyperparameters: dict[str, Any]
    x: np.ndarray  # (2,) the point the step starts from
    x_next: np.ndarray | None  # (2,) where it goes (NaN if the step left the bound); None at the last point
    gradient: np.ndarray | None  # (2,) the gradient of f the step read
    g: np.ndarray | None  # (2,) the gradient the rule used (with its noise, for SGD and any run at sigma > 0)
    state_before: dict[str, np.ndarray]
    state_after: dict[str, np.ndarray]
    effective_lr: np.ndarray | None  # (2,) the factor in front of g; None where the rule has none
    lines: tuple[InspectedLine, ...]
    diverged: bool  # this step left |x| <= BOUND

    @property
    def update(self) -> np.ndarray | None:
        """x_next - x: the step taken."""
        return None if self.x_next is None else self.x_next - self.x

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (NaN as None): what ``trajectories run ... --step N --json`` prints."""
        def plain(a):
            if a is None:
                return None
            a = np.asarray(a, dtype=float)
            return np.where(np.isfinite(a), a, None).tolist()
        return {
            "optimizer": self.optimizer, "convention": self.convention, "objective": self.objective,
            "step": self.step, "t": self.t, "hyperparameters": dict(self.hyperparameters),
            "x": plain(self.x), "x_next": plain(self.x_next), "update": plain(self.update),
            "gradient": plain(self.gradient), "g": plain(self.g),
            "state_before": {k: plain(v) for k, v in self.state_before.items()},
            "state_after": {k: plain(v) for k, v in self.state_after.items()},
            "effective_lr": plain(self.effective_lr), "diverged": self.diverged,
            "lines": [{"name": il.line.name, "role": il.line.role, "text": il.line.text, "latex": il.line.tex,
                       "value": plain(il.value), "substituted": list(il.substituted)} for il in self.lines],
        }

    def table(self, lang: str = DEFAULT) -> str:
        """The inspector as plain text: one line per equation, the step's numbers per coordinate."""
        rows = [("", "x1", "x2")] + [(il.line.text, *il.substituted) for il in self.lines]
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        body = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
        note = self.note_in(lang)
        return "\n".join([self.title_in(lang), *body, *([note] if note else [])])

    def title_in(self, lang: str = DEFAULT) -> str:
        """``rmsprop (d2l), step 3 → 4, t = 4``; in Chinese ``RMSProp算法（d2l），第3步 → 第4步，t = 4``."""
        lang = check_lang(lang)
        key = "inspector.title_last" if self.x_next is None else "inspector.title"
        return text(key, lang, name=term("optimizer", self.optimizer, lang), convention=self.convention,
                    step=self.step, next=self.step + 1, t=self.t)

    def note_in(self, lang: str = DEFAULT) -> str:
        """Why this step is special (it diverged), or "", in ``lang``."""
        return text("inspector.diverged", check_lang(lang), bound=fmt(BOUND)) if self.diverged else ""

    @property
    def title(self) -> str:
        """``rmsprop (d2l), step 3 → 4, t = 4``"""
        return self.title_in(DEFAULT)

    @property
    def note(self) -> str:
        """Why this step is special (it diverged), or ""."""
        return self.note_in(DEFAULT)


def _numeric(hp: Mapping[str, Any]) -> dict[str, Any]:
    """The settings a line can read: the numbers (not a choice, not a schedule's milestones)."""
    return {k: np.float64(v) for k, v in hp.items() if not isinstance(v, (str, bool, tuple))}


def inspect(trajectory: Trajectory, step: int) -> Inspection:
    """Step ``step`` of a single run: the lines of its rule with the engine's numbers at that step.

    Parameters
    ----------
    trajectory : Trajectory
        A single run (no batch), from :func:`trajectories.run`.
    step : int
        0 to ``trajectory.steps``: the update from point ``step`` to point ``step + 1``, as the app's highlighted
        step draws it. At the last point there is no update: the inspection holds the point alone. A run that
        diverged can be inspected up to the step that left the bound.

    Examples
    --------
    >>> from trajectories import run
    >>> i = inspect(run("rmsprop"), 3)
    >>> i.lines[2].substituted[0]
    '0.9·0.1661 + (1 − 0.9)·(−0.4746)² = 0.172'
    """
    if not isinstance(trajectory, Trajectory) or trajectory.batch_shape:
        got = f"a batch of shape {trajectory.batch_shape}" if isinstance(trajectory, Trajectory) else repr(trajectory)
        raise ValueError(f"The 'trajectory' parameter must be a single run from trajectories.run(). Got {got} "
                         "instead.")
    step = check_int(step, "step", 0, trajectory.steps)
    d = trajectory.diverged_at
    if d is not None and step >= d:
        raise ValueError(f"The 'step' parameter must be a step the run took: it diverged at step {d}, so 0 to "
                         f"{d - 1}. Got {step} instead.")
    rule, convention, hp = trajectory.optimizer, trajectory.convention, trajectory.hyperparameters
    t = step + 1
    x = trajectory.points[step]
    before = {k: v[step] for k, v in trajectory.state.items()}
    base = dict(objective=trajectory.objective.name, optimizer=rule, convention=convention, step=step, t=t,
                hyperparameters={k: v if isinstance(v, (str, bool)) else [int(n) for n in v] if isinstance(v, tuple)
                                 else float(v) for k, v in hp.items()}, x=x)
    if step == trajectory.steps:  # the last point: no update after it, the point alone
        point = next(ln for ln in equations(rule, convention, hp) if ln.role == "input")
        shown = InspectedLine(point, x, x, (fmt(x[0]), fmt(x[1])), (fmt(x[0], True), fmt(x[1], True)))
        return Inspection(**base, x_next=None, gradient=None, g=None, state_before=before, state_after={},
                          effective_lr=None, lines=(shown,), diverged=False)
    after = {k: v[step + 1] for k, v in trajectory.state.items()}
    lr = None if trajectory.effective_lr is None else trajectory.effective_lr[step]
    grad = trajectory.gradients[step]
    env: dict[str, Any] = {**_numeric(hp), "t": t, "x": x, "grad": grad, **before}
    if trajectory.rates is not None and np.isfinite(trajectory.rates[step]):  # a schedule: eta is eta_t here
        env["eta"] = float(trajectory.rates[step])
    noisy = _noisy(rule, hp)
    if noisy:  # the noise the run added: sigma xi (none without a seed)
        sigma = float(hp.get("sigma", 1.0))
        env["xi"] = np.zeros(2) if trajectory.seed is None else sigma * noise.table(int(trajectory.seed), t)[t - 1]
    engine: dict[str, Any] = {"x": trajectory.points[step + 1], **after}
    if lr is not None:
        engine["lr"] = lr
    if not noisy:
        engine["g"] = grad
    if trajectory.lookahead is not None:
        engine["x_look"] = trajectory.lookahead[step]
    lines = []
    for line in equations(rule, convention, hp):
        computed = evaluate(line.tree, env)
        value = computed if line.role == "input" else np.asarray(engine.get(line.name, computed), dtype=float)
        if not np.isfinite(value).all():  # the step that diverged: the engine keeps NaN, the line shows why
            value = np.where(np.isfinite(value), value, computed)
        per = [{k: (np.asarray(v)[i] if np.ndim(v) else v) for k, v in env.items()} for i in (0, 1)]
        subst = tuple(_substituted(line, per[i], value[i]) for i in (0, 1))
        subst_tex = tuple(_substituted(line, per[i], value[i], tex=True) for i in (0, 1))
        lines.append(InspectedLine(line, value, computed, subst, subst_tex))
        env[line.name] = value
    x_next = trajectory.points[step + 1]
    return Inspection(**base, x_next=x_next, gradient=grad, g=env["g"], state_before=before, state_after=after,
                      effective_lr=lr, lines=tuple(lines), diverged=not np.isfinite(x_next).all())


def _substituted(line: Line, values: Mapping[str, Any], result: float, tex: bool = False) -> str:
    """The line's right side with one coordinate's numbers, ending with its value (an input: the value alone)."""
    template = line.values_tex if tex else line.values
    if _SLOT.fullmatch(template):
        return fmt(result, tex)
    return f"{fill(template, values, tex)} = {fmt(result, tex)}"


# ---- the page's copy ------------------------------------------------------------------------------------------
_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "^"}


def tree_data(node: ast.expr) -> Any:
    """A line's right side as plain data for the page's evaluator: a name as its string, a number as itself,
    ``[op, a, b]`` for + - * / ^, ``["neg", a]``, ``[function, a]`` for sqrt, exp and grad."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.UnaryOp):
        return ["neg", tree_data(node.operand)]
    if isinstance(node, ast.Call):
        return [node.func.id, tree_data(node.args[0])]
    return [_OPS[type(node.op)], tree_data(node.left), tree_data(node.right)]


def templates() -> dict[str, Any]:
    """Every rule's lines under both conventions, for the page (``state.config()["inspector"]``).

    ``rules[convention][rule]`` holds ``by`` (the choice hyperparameters that pick a variant) and ``variants``, keyed
    as :func:`variant_key` makes them, each a list of indices into ``lines``; a line is its name, role, operator,
    Unicode text, template and right side (:func:`tree_data`), written once however many rules and conventions
    share it (107 lines are 33 different ones: a third of the bytes every page and saved notebook carries). The
    page fills the templates in order with its engine's numbers, and evaluates the lines whose value its engine does
    not keep, as :func:`inspect` does.
    """
    out: dict[str, Any] = {}
    lines: list[dict[str, Any]] = []
    index: dict[str, int] = {}

    def line_index(ln: Any) -> int:
        data = {"name": ln.name, "role": ln.role, "op": ln.op, "text": ln.text, "values": ln.values,
                "tree": tree_data(ln.tree)}
        key = json.dumps(data, sort_keys=True)
        if key not in index:
            index[key] = len(lines)
            lines.append(data)
        return index[key]

    for convention in CONVENTIONS:
        for rule in RULES:
            by = variant_names(rule, convention)
            variants = {}
            for combo in itertools.product(*(variant_choices(rule, convention, n) for n in by)):
                hp = dict(zip(by, combo, strict=True))
                variants[variant_key(rule, convention, hp)] = [line_index(ln)
                                                               for ln in equations(rule, convention, hp)]
            out.setdefault(convention, {})[rule] = {"by": list(by), "variants": variants}
    return {"digits": DIGITS, "labels": dict(LABELS), "lines": lines, "rules": out}
