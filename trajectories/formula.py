r"""A teacher's own objective: a formula f(x1, x2) in the project's own grammar, with its exact gradient.

The text is read once by a small recursive-descent parser into a tree; nothing in it ever reaches ``eval``,
``exec`` or a computer-algebra system, and limits on length, nesting, size and exponents hold before any work is
done. The tree is printed back in one canonical form (``0.1*x1^2 + 2*x2^2``: links, file names and the lesson
keep that form) and as LaTeX. For evaluation, constant parts are folded and the rest becomes a flat list of
operations, run on numpy arrays with forward-mode differentiation: every operation carries its value and its two
partial derivatives, so the gradient is exact (no finite differences) and costs a few operations per node.
``js/src/core/formula.js`` runs the same list operation by operation, so the two engines agree to the last bit
wherever only + - * / and sqrt are used (``^`` with an integer exponent is repeated multiplication).

The grammar, loosest first::

    expr  := term (("+" | "-") term)*
    term  := unary (("*" | "/") unary | unary-without-sign)*     # 2x1 and 2(x1 + 1): implicit product
    unary := ("-" | "+") unary | power                          # -x1^2 is -(x1^2)
    power := atom ("^" unary | "**" unary | "²" | "³")?          # right-associative: 2^3^2 is 2^9
    atom  := number | x1 | x2 | pi | e | function "(" expr ")" | "(" expr ")"

Names are case-insensitive: ``x`` and ``y`` stand for x1 and x2, ``ln`` for log, ``arctan`` for atan; a leading
``f =`` is dropped; the Unicode minus, times, dot, superscripts ² ³, subscripts ₁ ₂ and π are read as their ASCII
forms. Anything else outside ASCII is an error, so a lookalike letter never passes for x.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from .i18n import Message, MessageError

MAX_LENGTH = 500  # characters of a formula
MAX_DEPTH = 32  # nested parentheses, functions, signs and exponents
MAX_NODES = 200  # numbers, names and operations
MAX_NUMBERS = 50  # number literals
MAX_EXPONENT = 100  # |c| of a constant exponent
MESSAGE_ECHO = 80  # characters of the formula repeated in a message

FUNCTIONS = ("exp", "log", "sqrt", "sin", "cos", "tan", "tanh", "sinh", "cosh", "atan", "abs")
ALIASES = {"ln": "log", "arctan": "atan", "x": "x1", "y": "x2", "x_1": "x1", "x_2": "x2"}
CONSTANTS = {"pi": math.pi, "e": math.e}
VARIABLES = ("x1", "x2")
_UNICODE = {"\u2212": "-", "\u00d7": "*", "\u00b7": "*", "\u22c5": "*"}  # minus, times, middle dot, dot operator
_SUPERSCRIPTS = {"\u00b2": 2.0, "\u00b3": 3.0}
_SUBSCRIPTS = {chr(0x2080 + d): str(d) for d in range(10)}
_SPACE = " \t\n\r\u00a0"
_NUMBER = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
_NAME_START = re.compile(r"[A-Za-z_]", re.ASCII)
_NAME_CHAR = re.compile(r"[A-Za-z0-9_\u2080-\u2089]")
_PREFIX = re.compile(r"[ \t\n\r\u00a0]*f[ \t\n\r\u00a0]*(?:\([ \t\n\r\u00a0]*(?:x1?|x_1)[ \t\n\r\u00a0]*,"
                     r"[ \t\n\r\u00a0]*(?:x2|y|x_2)[ \t\n\r\u00a0]*\))?[ \t\n\r\u00a0]*=", re.IGNORECASE | re.ASCII)


class FormulaError(MessageError):
    """A formula that cannot be read, in one line: ``f = x1^2 + * x2: expected ... at position 8``; a message of
    the tables (``formula.*``), so the page says it in its language."""


class Node(NamedTuple):
    """One node of the tree. ``kind`` is num, var, const, neg, add, sub, mul, div, pow or call; ``pos`` is the
    1-based position of its first character, for messages."""

    kind: str
    pos: int
    a: Node | None = None
    b: Node | None = None
    value: float = 0.0  # num: the number; const: its value
    name: str = ""  # var: x1 or x2; const: pi or e; call: the function


def echo(text: str) -> str:
    """The formula as a message repeats it: on one line, at most :data:`MESSAGE_ECHO` characters, and nothing but
    printable ASCII and the characters the grammar reads (anything else shows as '?')."""
    shown = "".join(" " if c in _SPACE else c if " " <= c <= "~" or c in _ACCEPTED else "?" for c in text)
    return shown if len(shown) <= MESSAGE_ECHO else shown[:MESSAGE_ECHO - 3] + "..."


_ACCEPTED = set(_UNICODE) | set(_SUPERSCRIPTS) | set(_SUBSCRIPTS) | {"\u03c0"}


def _fail(text: str, what: Message, pos: int | None, hint: Message | None = None) -> FormulaError:
    where: str = "" if pos is None else Message("formula.at_end") if pos > len(text) else Message(
        "formula.at", pos=str(pos))
    return FormulaError("formula.error", formula=echo(text), what=what, where=where,
                        hint=Message("formula.hint", hint=hint) if hint is not None else "")


def _char(c: str) -> str | Message:
    if " " < c <= "~":
        return f"'{c}'"
    code = f"U+{ord(c):04X}"
    return code if ord(c) < 128 else Message("formula.not_ascii", code=code)


class Token(NamedTuple):
    kind: str  # num, name, op, sup, end
    text: str
    pos: int  # 1-based
    value: float = 0.0


class _Lexer:
    """Tokens one at a time, so that the first error in the text is the one reported."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0

    def next(self) -> Token:
        text, n = self.text, len(self.text)
        while self.i < n and text[self.i] in _SPACE:
            self.i += 1
        if self.i >= n:
            return Token("end", "", n + 1)
        i, c = self.i, text[self.i]
        if c in "0123456789" or (c == "." and i + 1 < n and text[i + 1] in "0123456789"):
            m = _NUMBER.match(text, i)
            assert m is not None  # a digit, or a dot before a digit, always starts a number
            self.i = m.end()
            value = float(m.group())
            if not math.isfinite(value):
                raise _fail(text, Message("formula.too_large", number=m.group()[:20]), i + 1)
            return Token("num", m.group(), i + 1, value)
        if _NAME_START.match(c):
            j = i + 1
            while j < n and _NAME_CHAR.match(text[j]):
                j += 1
            self.i = j
            word = "".join(_SUBSCRIPTS.get(ch, ch) for ch in text[i:j]).lower()
            return Token("name", word, i + 1)
        if c == "\u03c0":
            self.i += 1
            return Token("name", "pi", i + 1)
        if c in _SUPERSCRIPTS:
            self.i += 1
            return Token("sup", c, i + 1, _SUPERSCRIPTS[c])
        if c == "*" and text.startswith("**", i):
            self.i += 2
            return Token("op", "^", i + 1)
        op = _UNICODE.get(c, c)
        if op in "+-*/^()":
            self.i += 1
            return Token("op", op, i + 1)
        raise _fail(text, Message("formula.unexpected", character=_char(c)), i + 1)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.lexer = _Lexer(text)
        self.tok = self.lexer.next()
        self.nodes = 0
        self.numbers = 0

    def advance(self) -> Token:
        tok, self.tok = self.tok, self.lexer.next()
        return tok

    def error(self, what: Message, tok: Token | None = None, hint: Message | None = None) -> FormulaError:
        return _fail(self.text, what, (tok or self.tok).pos, hint)

    def node(self, kind: str, pos: int, **fields: Any) -> Node:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self.error(Message("formula.too_many_nodes", most=str(MAX_NODES)))
        return Node(kind, pos, **fields)

    def deeper(self, depth: int) -> int:
        if depth >= MAX_DEPTH:
            raise self.error(Message("formula.too_deep", most=str(MAX_DEPTH)))
        return depth + 1

    def is_op(self, ops: str) -> bool:
        return self.tok.kind == "op" and self.tok.text in ops

    def parse(self) -> Node:
        tree = self.expr(0)
        if self.tok.kind != "end":
            raise self.error(Message("formula.unmatched" if self.is_op(")") else "formula.expected_end"))
        return tree

    def expr(self, depth: int) -> Node:
        left = self.term(depth)
        while self.is_op("+-"):
            op = self.advance().text
            left = self.node("add" if op == "+" else "sub", left.pos, a=left, b=self.term(depth))
        return left

    def term(self, depth: int) -> Node:
        left = self.unary(depth)
        while True:
            if self.is_op("*/"):
                op = self.advance().text
                left = self.node("mul" if op == "*" else "div", left.pos, a=left, b=self.unary(depth))
            elif self.tok.kind == "name" or self.is_op("("):  # 2x1, 2 pi x1, 3(x1 + 1): an implicit product
                left = self.node("mul", left.pos, a=left, b=self.unary(depth))
            else:
                return left

    def unary(self, depth: int) -> Node:
        if self.is_op("+-"):
            tok = self.advance()
            operand = self.unary(self.deeper(depth))
            return self.node("neg", tok.pos, a=operand) if tok.text == "-" else operand
        return self.power(depth)

    def power(self, depth: int) -> Node:
        base = self.atom(depth)
        if self.tok.kind == "sup":
            tok = self.advance()
            return self.node("pow", base.pos, a=base, b=self.node("num", tok.pos, value=tok.value))
        if self.is_op("^"):
            self.advance()
            return self.node("pow", base.pos, a=base, b=self.unary(self.deeper(depth)))
        return base

    def atom(self, depth: int) -> Node:
        tok = self.tok
        if tok.kind == "num":
            self.numbers += 1
            if self.numbers > MAX_NUMBERS:
                raise self.error(Message("formula.too_many_numbers", most=str(MAX_NUMBERS)))
            self.advance()
            return self.node("num", tok.pos, value=tok.value)
        if tok.kind == "name":
            name = ALIASES.get(tok.text, tok.text)
            self.advance()
            if name in VARIABLES:
                return self.node("var", tok.pos, name=name)
            if name in CONSTANTS:
                return self.node("const", tok.pos, name=name, value=CONSTANTS[name])
            if name in FUNCTIONS:
                if not self.is_op("("):
                    raise self.error(Message("formula.expected_call", name=name))
                self.advance()
                arg = self.expr(self.deeper(depth))
                self.close()
                return self.node("call", tok.pos, a=arg, name=name)
            shown = tok.text if len(tok.text) <= 20 else tok.text[:17] + "..."
            raise self.error(Message("formula.unknown_name", name=shown), tok,
                             Message("formula.names", functions=", ".join(FUNCTIONS)))
        if self.is_op("("):
            self.advance()
            inner = self.expr(self.deeper(depth))
            self.close()
            return inner
        raise self.error(Message("formula.expected_operand"))

    def close(self) -> None:
        if not self.is_op(")"):
            raise self.error(Message("formula.expected_close"))
        self.advance()


# ---- printing ---------------------------------------------------------------------------------------------------

def number_text(x: float) -> str:
    """The shortest text that reads back as ``x``: ``0.1``, ``2``, ``1e-6``, ``1.5e20`` (as Python's repr, without
    its ``.0`` and exponent padding; formula.js writes the same)."""
    mantissa, _, exponent = repr(float(x)).partition("e")
    if mantissa.endswith(".0"):
        mantissa = mantissa[:-2]
    return f"{mantissa}e{int(exponent)}" if exponent else mantissa


_PREC = {"add": 1, "sub": 1, "mul": 2, "div": 2, "neg": 3, "pow": 4}


def _prec(node: Node) -> int:
    return _PREC.get(node.kind, 5)


def canonical(node: Node) -> str:
    """The tree as text in the one form the project keeps: ``0.1*x1^2 + 2*x2^2``. Parsing it gives the same tree."""
    k = node.kind
    if k == "num":
        return number_text(node.value)
    if k in ("var", "const"):
        return node.name
    if k == "call":
        return f"{node.name}({canonical(node.a)})"
    if k == "neg":
        return "-" + _wrap(node.a, _prec(node.a) <= 3)
    if k == "pow":
        return _wrap(node.a, _prec(node.a) < 5) + "^" + _wrap(node.b, _prec(node.b) < 4)
    left = _wrap(node.a, _prec(node.a) < _PREC[k])
    right = _wrap(node.b, _prec(node.b) <= _PREC[k] or node.b.kind == "neg")
    return f"{left} {'+' if k == 'add' else '-'} {right}" if k in ("add", "sub") else \
        f"{left}{'*' if k == 'mul' else '/'}{right}"


def _wrap(node: Node, paren: bool) -> str:
    text = canonical(node)
    return f"({text})" if paren else text


_LATEX_CALLS = {"exp": r"\exp", "log": r"\log", "sin": r"\sin", "cos": r"\cos", "tan": r"\tan", "tanh": r"\tanh",
                "sinh": r"\sinh", "cosh": r"\cosh", "atan": r"\arctan"}


def _latex_number(x: float) -> str:
    text = number_text(x)
    mantissa, _, exponent = text.partition("e")
    if not exponent:
        return text
    return f"10^{{{exponent}}}" if mantissa == "1" else rf"{mantissa} \times 10^{{{exponent}}}"


def latex(node: Node) -> str:
    """The tree as LaTeX for matplotlib's mathtext and KaTeX: ``0.1\\,x_1^2 + 2\\,x_2^2``."""
    k = node.kind
    if k == "num":
        return _latex_number(node.value)
    if k == "var":
        return "x_" + node.name[1]
    if k == "const":
        return r"\pi" if node.name == "pi" else "e"
    if k == "call":
        if node.name == "sqrt":
            return rf"\sqrt{{{latex(node.a)}}}"
        if node.name == "abs":
            return rf"\left|{latex(node.a)}\right|"
        return f"{_LATEX_CALLS[node.name]}({latex(node.a)})"
    if k == "neg":
        return "-" + _lwrap(node.a, node.a.kind in ("add", "sub", "neg"))
    if k == "div":
        return rf"\frac{{{latex(node.a)}}}{{{latex(node.b)}}}"
    if k == "pow":
        base = node.a
        plain = base.kind in ("var", "const") or (base.kind == "num" and "e" not in number_text(base.value)) or \
            (base.kind == "call" and base.name == "abs")
        exponent = latex(node.b)
        return _lwrap(base, not plain) + "^" + (exponent if len(exponent) == 1 else f"{{{exponent}}}")
    if k in ("add", "sub"):
        right = _lwrap(node.b, node.b.kind in ("add", "sub", "neg"))
        return f"{latex(node.a)} {'+' if k == 'add' else '-'} {right}"
    left = _lwrap(node.a, node.a.kind in ("add", "sub"))
    right = _lwrap(node.b, node.b.kind in ("add", "sub", "neg"))
    if right[0].isdigit() or node.b.kind == "neg":
        joint = r" \cdot "
    elif _leftmost(node.a).kind == "num" and node.a.kind in ("num", "pow"):
        joint = r"\,"
    else:
        joint = " "
    return left + joint + right


def _lwrap(node: Node, paren: bool) -> str:
    text = latex(node)
    return f"({text})" if paren else text


def _leftmost(node: Node) -> Node:
    while node.kind in ("add", "sub", "mul", "div", "pow"):
        node = node.a
    return node


# ---- analysis -----------------------------------------------------------------------------------------------

def degree(node: Node, constants: dict[int, float | None] | None = None) -> float:
    """The polynomial degree of the tree in (x1, x2), or infinity if it is not a polynomial (as written)."""
    constants = fold(node) if constants is None else constants
    k = node.kind
    if k in ("num", "const"):
        return 0
    if k == "var":
        return 1
    if k == "neg":
        return degree(node.a, constants)
    if k in ("add", "sub"):
        return max(degree(node.a, constants), degree(node.b, constants))
    if k == "mul":
        return degree(node.a, constants) + degree(node.b, constants)
    if k == "div":
        return degree(node.a, constants) if degree(node.b, constants) == 0 else math.inf
    if k == "pow":
        base, c = degree(node.a, constants), constants[id(node.b)]
        if c is None:
            return math.inf
        return 0 if base == 0 else base * int(c) if c >= 0 and c == int(c) else math.inf
    return 0 if degree(node.a, constants) == 0 else math.inf  # a function of a constant is a constant


def variables(node: Node) -> frozenset[str]:
    if node.kind == "var":
        return frozenset((node.name,))
    out: frozenset[str] = frozenset()
    for child in (node.a, node.b):
        if child is not None:
            out |= variables(child)
    return out


# ---- evaluation -------------------------------------------------------------------------------------------------

_CALLS: dict[str, Callable[[Any], Any]] = {
    "exp": np.exp, "log": np.log, "sqrt": np.sqrt, "sin": np.sin, "cos": np.cos, "tan": np.tan, "tanh": np.tanh,
    "sinh": np.sinh, "cosh": np.cosh, "atan": np.arctan, "abs": np.abs}


def _ipow(a: Any, n: int) -> Any:
    """a^n for an integer n >= 1 by repeated squaring, in a fixed order that formula.js repeats."""
    result, base = None, a
    while n:
        if n & 1:
            result = base if result is None else result * base
        n >>= 1
        if n:
            base = base * base
    return result


_ONE = np.float64(1.0)  # numpy's scalars, not Python's floats: 1/0 is inf, as on arrays, not an exception


def _power(a: Any, c: float) -> Any:
    """a^c for a constant c: repeated multiplication for an integer c (a^0 is 1), the C library's pow otherwise."""
    if c == int(c):
        n = int(c)
        if n == 0:
            return _ONE
        return _ipow(a, n) if n > 0 else 1.0 / _ipow(a, -n)
    return np.power(a, c)


def fold(tree: Node) -> dict[int, float | None]:
    """The value of every subtree without variables (computed as the engine would), keyed by ``id(node)``; None
    for the others. Exponents outside [-MAX_EXPONENT, MAX_EXPONENT] are left to :func:`_check` to refuse."""
    out: dict[int, float | None] = {}

    def visit(node: Node) -> float | None:
        k = node.kind
        a = visit(node.a) if node.a is not None else None
        b = visit(node.b) if node.b is not None else None
        if k in ("num", "const"):
            value: float | None = node.value
        elif k == "var" or a is None or (node.b is not None and b is None):
            value = None
        else:
            with np.errstate(all="ignore"):
                x = np.float64(a)
                if k == "neg":
                    value = float(-x)
                elif k == "call":
                    value = float(_CALLS[node.name](x))
                elif k == "add":
                    value = float(x + b)
                elif k == "sub":
                    value = float(x - b)
                elif k == "mul":
                    value = float(x * b)
                elif k == "div":
                    value = float(x / b)
                elif math.isfinite(b) and abs(b) <= MAX_EXPONENT:
                    value = float(_power(x, b))
                else:
                    value = math.nan
        out[id(node)] = value
        return value

    visit(tree)
    return out


def _check(text: str, node: Node, constants: dict[int, float | None]) -> None:
    """Every constant part finite, every constant exponent within [-MAX_EXPONENT, MAX_EXPONENT]; children first,
    so that the message names the innermost culprit."""
    for child in (node.a, node.b):
        if child is not None:
            _check(text, child, constants)
    if node.kind == "pow":
        c = constants[id(node.b)]
        if c is not None and math.isfinite(c) and not abs(c) <= MAX_EXPONENT:
            raise _fail(text, Message("formula.exponent", exponent=canonical(node.b)[:20], most=str(MAX_EXPONENT)),
                        node.b.pos)
    c = constants[id(node)]
    if c is not None and not math.isfinite(c):
        shown = canonical(node)
        shown = shown if len(shown) <= 30 else shown[:27] + "..."
        raise _fail(text, Message("formula.not_finite", part=shown), node.pos)


# What one step of a formula costs, in steps of a built-in objective, as the page's landscape sweep measured it
# (js/src/core/formula_tape.js runs the list of operations; a built-in objective's gradient is a few inlined
# multiply-adds): a fixed COST_FIXED for running the list at all, plus a weight per operation, in BUILTIN_COST-ths
# of a built-in step. Measured with Adam over a 48 x 48 map of 100 steps against Himmelblau's built-in (medians of
# 9, 2-core machine at load 30): x1^2 + x2^2 2.9 (model 4), the book's quadratic written out 4.3 (5), Himmelblau's
# 6.1 (8), exp(-x1^2 - x2^2) + ... 8.3 (10), 86 multiplications and powers 34 (38), 62 operations with 12 sin/cos
# 37 (38). formula.js has the same table.
COST_WEIGHTS = {"const": 0, "x1": 0, "x2": 0, "neg": 3, "call": 6, "ipow": 3, "pow": 6, "add": 3, "sub": 3, "mul": 3,
                "div": 3, "vpow": 8}
COST_FIXED = 4
BUILTIN_COST = 4


class Op(NamedTuple):
    """One step of the evaluation: register ``out`` gets ``kind`` of registers ``a`` and ``b`` (or of ``c``)."""

    kind: str  # const, x1, x2, neg, add, sub, mul, div, ipow, pow (constant exponent), vpow (variable one), call
    a: int = -1
    b: int = -1
    c: float = 0.0  # const: its value; ipow/pow: the exponent
    name: str = ""  # call: the function
    d1: bool = False  # whether the result depends on x1 (its derivative is not structurally zero)
    d2: bool = False


def compile_tape(node: Node, constants: dict[int, float | None] | None = None) -> tuple[Op, ...]:
    """The tree as a flat list of operations in evaluation order, constant parts folded to one number each."""
    constants = fold(node) if constants is None else constants
    tape: list[Op] = []

    def emit(n: Node) -> int:
        c = constants[id(n)]
        if c is not None:
            tape.append(Op("const", c=c))
        elif n.kind == "var":
            tape.append(Op(n.name, d1=n.name == "x1", d2=n.name == "x2"))
        elif n.kind in ("neg", "call"):
            a = emit(n.a)
            tape.append(Op(n.kind, a, name=n.name, d1=tape[a].d1, d2=tape[a].d2))
        elif n.kind == "pow" and constants[id(n.b)] is not None:
            a, e = emit(n.a), float(constants[id(n.b)])
            moves = e != 0  # x^0 is 1: its derivatives are structurally zero
            tape.append(Op("ipow" if e == int(e) else "pow", a, c=e, d1=tape[a].d1 and moves, d2=tape[a].d2 and moves))
        else:
            a, b = emit(n.a), emit(n.b)
            kind = "vpow" if n.kind == "pow" else n.kind
            tape.append(Op(kind, a, b, d1=tape[a].d1 or tape[b].d1, d2=tape[a].d2 or tape[b].d2))
        return len(tape) - 1

    emit(node)
    return tuple(tape)


def _dcall(name: str, a: Any, v: Any) -> Any:
    """phi'(a) for phi = name, given v = phi(a): the factor in front of da."""
    if name == "exp":
        return v
    if name == "log":
        return 1.0 / a
    if name == "sqrt":
        return 0.5 / v
    if name == "sin":
        return np.cos(a)
    if name == "cos":
        return -np.sin(a)
    if name == "tan":
        return 1.0 + v * v
    if name == "tanh":
        return 1.0 - v * v
    if name == "sinh":
        return np.cosh(a)
    if name == "cosh":
        return np.sinh(a)
    if name == "atan":
        return 1.0 / (1.0 + a * a)
    return np.sign(a)  # abs: 0 at 0


def run_tape(tape: tuple[Op, ...], x1: Any, x2: Any, derivatives: bool = True) -> tuple[Any, Any, Any]:
    """Value and partial derivatives of the last register at (x1, x2) (numpy arrays or scalars, never Python
    floats); a structurally zero derivative is None.

    The order of every operation is part of the contract with formula.js: change one side, change both.
    """
    val: list[Any] = []
    d1: list[Any] = []
    d2: list[Any] = []
    for op in tape:
        k = op.kind
        if k == "const":
            v, g1, g2 = np.float64(op.c), None, None
        elif k == "x1":
            v, g1, g2 = x1, _ONE, None
        elif k == "x2":
            v, g1, g2 = x2, None, _ONE
        else:
            a = val[op.a]
            if k == "neg":
                v = -a
                g1, g2 = (None if d is None else -d for d in (d1[op.a], d2[op.a]))
            elif k == "call":
                v = _CALLS[op.name](a)
                factor = _dcall(op.name, a, v) if derivatives and (op.d1 or op.d2) else None
                g1, g2 = (None if d is None else factor * d for d in (d1[op.a], d2[op.a]))
            elif k in ("ipow", "pow"):
                c = op.c
                if k == "ipow":
                    n = int(c)
                    v = _power(a, c)
                    if not derivatives or n == 0:
                        factor = None
                    elif n == 1:
                        factor = _ONE
                    elif n > 0:
                        factor = c * _ipow(a, n - 1)
                    else:
                        factor = c / _ipow(a, 1 - n)
                else:
                    v = np.power(a, c)
                    factor = c * np.power(a, c - 1.0) if derivatives else None
                g1, g2 = (None if d is None or factor is None else factor * d for d in (d1[op.a], d2[op.a]))
            else:
                b = val[op.b]
                da, db = (d1[op.a], d2[op.a]), (d1[op.b], d2[op.b])
                if k == "add":
                    v = a + b
                    g1, g2 = (_add(p, q) for p, q in zip(da, db, strict=True))
                elif k == "sub":
                    v = a - b
                    g1, g2 = (_sub(p, q) for p, q in zip(da, db, strict=True))
                elif k == "mul":
                    v = a * b
                    g1, g2 = (_add(None if p is None else p * b, None if q is None else a * q)
                              for p, q in zip(da, db, strict=True))
                elif k == "div":
                    v = a / b
                    g1, g2 = (_quotient(p, q, v, b) for p, q in zip(da, db, strict=True))
                else:  # vpow: a^b with b a variable expression
                    v = np.power(a, b)
                    if derivatives:
                        log_a = np.log(a)
                        g1, g2 = (_vpow(p, q, a, b, v, log_a) for p, q in zip(da, db, strict=True))
                    else:
                        g1 = g2 = None
        if not derivatives:
            g1 = g2 = None
        val.append(v)
        d1.append(g1)
        d2.append(g2)
    return val[-1], d1[-1], d2[-1]


def _add(p: Any, q: Any) -> Any:
    if p is None:
        return q
    return p if q is None else p + q


def _sub(p: Any, q: Any) -> Any:
    if q is None:
        return p
    return -q if p is None else p - q


def _quotient(p: Any, q: Any, v: Any, b: Any) -> Any:
    """d(a/b) = (da - v db) / b with v = a/b."""
    if q is None:
        return None if p is None else p / b
    if p is None:
        return -(v * q) / b
    return (p - v * q) / b


def _vpow(p: Any, q: Any, a: Any, b: Any, v: Any, log_a: Any) -> Any:
    """d(a^b) = v (db log a + b da / a)."""
    if p is None and q is None:
        return None
    if p is None:
        return v * (q * log_a)
    if q is None:
        return v * (b * p / a)
    return v * (q * log_a + b * p / a)


# ---- the public face ------------------------------------------------------------------------------------------

class Formula:
    """A parsed formula: its canonical text, LaTeX, variables and polynomial degree, and f and its gradient.

    ``f`` and ``grad`` take floats or arrays that broadcast, never warn (overflow is inf, a pole NaN, as the
    engine's divergence expects) and return arrays of the broadcast shape.
    """

    __slots__ = ("text", "latex", "variables", "degree", "tape", "tree")

    def __init__(self, tree: Node, constants: dict[int, float | None] | None = None) -> None:
        constants = fold(tree) if constants is None else constants
        self.tree = tree
        self.text = canonical(tree)
        self.latex = latex(tree)
        self.variables = tuple(v for v in VARIABLES if v in variables(tree))
        self.degree = degree(tree, constants)
        self.tape = compile_tape(tree, constants)

    def __repr__(self) -> str:
        return f"Formula({self.text!r})"

    @property
    def cost(self) -> int:
        """How many built-in objectives' gradients one step of this formula costs (at least 1): what the landscape's
        budget divides by, so that a long formula gets a coarser map rather than a longer wait."""
        total = COST_FIXED + sum(COST_WEIGHTS[op.kind] for op in self.tape)
        return max(1, -(-total // BUILTIN_COST))

    @property
    def quadratic(self) -> bool:
        """True if the formula, as written, is a polynomial of degree at most 2 (its Hessian is constant)."""
        return self.degree <= 2

    def f(self, x1: Any, x2: Any) -> np.ndarray:
        x1, x2, shape = _inputs(x1, x2)
        with np.errstate(all="ignore"):
            v, _, _ = run_tape(self.tape, x1, x2, derivatives=False)
        return _shaped(v, shape)

    def grad(self, x1: Any, x2: Any) -> tuple[np.ndarray, np.ndarray]:
        x1, x2, shape = _inputs(x1, x2)
        with np.errstate(all="ignore"):
            _, g1, g2 = run_tape(self.tape, x1, x2)
        return _shaped(0.0 if g1 is None else g1, shape), _shaped(0.0 if g2 is None else g2, shape)

    def value_and_grad(self, x1: Any, x2: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        x1, x2, shape = _inputs(x1, x2)
        with np.errstate(all="ignore"):
            v, g1, g2 = run_tape(self.tape, x1, x2)
        return (_shaped(v, shape), _shaped(0.0 if g1 is None else g1, shape),
                _shaped(0.0 if g2 is None else g2, shape))


def _inputs(x1: Any, x2: Any) -> tuple[np.ndarray, np.ndarray, tuple[int, ...]]:
    a, b = np.asarray(x1, dtype=float), np.asarray(x2, dtype=float)
    return a, b, np.broadcast_shapes(a.shape, b.shape)


def _shaped(v: Any, shape: tuple[int, ...]) -> np.ndarray:
    v = np.asarray(v, dtype=float)
    return v if v.shape == shape else np.array(np.broadcast_to(v, shape))


def strip(text: str) -> str:
    """The formula part of what was typed: spaces at either end and a leading ``f =`` or ``f(x1, x2) =`` dropped."""
    m = _PREFIX.match(text)
    return (text[m.end():] if m else text).strip(_SPACE)


def parse(text: Any) -> Formula:
    """Read a formula (``"0.1*x1^2 + 2*x2^2"``) into a :class:`Formula`; a bad one raises :class:`FormulaError`
    with one line that names the position and what was expected there."""
    if not isinstance(text, str):
        raise FormulaError("formula.not_text", type=type(text).__name__)
    if len(text) > 4 * MAX_LENGTH:  # checked before anything else reads the text
        raise FormulaError("formula.error", formula=echo(text[:MESSAGE_ECHO + 1]), where="", hint="",
                           what=Message("formula.too_long", count=str(len(text)), most=str(MAX_LENGTH)))
    return _parse(text)


@functools.lru_cache(maxsize=256)
def _parse(text: str) -> Formula:
    body = strip(text)
    if len(body) > MAX_LENGTH:
        raise FormulaError("formula.error", formula=echo(body), where="", hint="",
                           what=Message("formula.too_long", count=str(len(body)), most=str(MAX_LENGTH)))
    if not body:
        raise _fail(body, Message("formula.expected_operand"), 1)
    tree = _Parser(body).parse()
    constants = fold(tree)
    _check(body, tree, constants)
    return Formula(tree, constants)


def canonical_text(text: str) -> str:
    """The canonical form of a formula (raises :class:`FormulaError` if it does not parse)."""
    return parse(text).text


def slug(text: str) -> str:
    """A short, safe piece of a file name for a formula: a readable prefix and a hash of the canonical text
    (FNV-1a, 32 bits; formula.js computes the same): ``0.1_x1_2+2_x2_2-8c5d8a5e``."""
    canon = canonical_text(text)
    readable = re.sub(r"[^A-Za-z0-9.+-]+", "_", canon.replace(" ", "")).strip("_.")[:24].rstrip("_.")
    h = 0x811C9DC5
    for byte in canon.encode():
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return f"{readable}-{h:08x}"

