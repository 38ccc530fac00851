// A formula's tree written out: the canonical text kept in lessons and links (formula.canonical), its LaTeX
// (formula.latex, which Python's figures typeset) and MathML (what the page shows, as core/mathml.js does for the
// built-in objectives' LaTeX). No DOM: strings.
import { pyRepr } from "./format.js";

const DIGIT = /^[0-9]$/;

/** formula.number_text: the shortest text that reads back as x, Python's repr without its ".0" and exponent padding
 * (0.1, 2, 1e-6, 1.5e20). */
export function numberText(x) {
  return pyRepr(x).replace(/e([+-])0*(\d)/, (_, sign, digit) => `e${sign === "-" ? "-" : ""}${digit}`);
}

const PREC = { add: 1, sub: 1, mul: 2, div: 2, neg: 3, pow: 4 };
const prec = (n) => PREC[n.kind] ?? 5;

/** formula.canonical: the tree in the one form kept in lessons and links, `0.1*x1^2 + 2*x2^2`. */
export function canonical(n) {
  const k = n.kind;
  if (k === "num") return numberText(n.value);
  if (k === "var" || k === "const") return n.name;
  if (k === "call") return `${n.name}(${canonical(n.a)})`;
  if (k === "neg") return `-${wrap(n.a, prec(n.a) <= 3)}`;
  if (k === "pow") return `${wrap(n.a, prec(n.a) < 5)}^${wrap(n.b, prec(n.b) < 4)}`;
  const left = wrap(n.a, prec(n.a) < PREC[k]);
  const right = wrap(n.b, prec(n.b) <= PREC[k] || n.b.kind === "neg");
  if (k === "add" || k === "sub") return `${left} ${k === "add" ? "+" : "-"} ${right}`;
  return `${left}${k === "mul" ? "*" : "/"}${right}`;
}

function wrap(n, paren) {
  const text = canonical(n);
  return paren ? `(${text})` : text;
}

const LATEX_CALLS = { exp: "\\exp", log: "\\log", sin: "\\sin", cos: "\\cos", tan: "\\tan", tanh: "\\tanh",
  sinh: "\\sinh", cosh: "\\cosh", atan: "\\arctan" };

function latexNumber(x) {
  const text = numberText(x);
  const [mantissa, exponent] = text.split("e");
  if (exponent === undefined) return text;
  return mantissa === "1" ? `10^{${exponent}}` : `${mantissa} \\times 10^{${exponent}}`;
}

/** formula.latex: the tree as LaTeX, `0.1\,x_1^2 + 2\,x_2^2`. */
export function latex(n) {
  const k = n.kind;
  if (k === "num") return latexNumber(n.value);
  if (k === "var") return `x_${n.name[1]}`;
  if (k === "const") return n.name === "pi" ? "\\pi" : "e";
  if (k === "call") {
    if (n.name === "sqrt") return `\\sqrt{${latex(n.a)}}`;
    if (n.name === "abs") return `\\left|${latex(n.a)}\\right|`;
    return `${LATEX_CALLS[n.name]}(${latex(n.a)})`;
  }
  if (k === "neg") return `-${lwrap(n.a, ["add", "sub", "neg"].includes(n.a.kind))}`;
  if (k === "div") return `\\frac{${latex(n.a)}}{${latex(n.b)}}`;
  if (k === "pow") {
    const base = n.a;
    const plain = base.kind === "var" || base.kind === "const" || (base.kind === "num"
      && !numberText(base.value).includes("e")) || (base.kind === "call" && base.name === "abs");
    const exponent = latex(n.b);
    return `${lwrap(base, !plain)}^${exponent.length === 1 ? exponent : `{${exponent}}`}`;
  }
  if (k === "add" || k === "sub") {
    return `${latex(n.a)} ${k === "add" ? "+" : "-"} ${lwrap(n.b, ["add", "sub", "neg"].includes(n.b.kind))}`;
  }
  const left = lwrap(n.a, n.a.kind === "add" || n.a.kind === "sub");
  const right = lwrap(n.b, ["add", "sub", "neg"].includes(n.b.kind));
  let joint = " ";
  if (DIGIT.test(right[0]) || n.b.kind === "neg") joint = " \\cdot ";
  else if (leftmost(n.a).kind === "num" && (n.a.kind === "num" || n.a.kind === "pow")) joint = "\\,";
  return left + joint + right;
}

function lwrap(n, paren) {
  const text = latex(n);
  return paren ? `(${text})` : text;
}

function leftmost(n) {
  while (["add", "sub", "mul", "div", "pow"].includes(n.kind)) n = n.a;
  return n;
}

// ---- MathML -------------------------------------------------------------------------------------------------

const MATHML = "http://www.w3.org/1998/Math/MathML";
const FUNCTION_NAMES = { atan: "arctan" };
const escapeXml = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const mo = (op) => `<mo>${op}</mo>`;
const paren = (body) => `<mrow><mo stretchy="false">(</mo>${body}<mo stretchy="false">)</mo></mrow>`;

function mathNumber(x) {
  const [mantissa, exponent] = numberText(x).split("e");
  if (exponent === undefined) return `<mn>${mantissa}</mn>`;
  const power = `<msup><mn>10</mn><mn>${exponent.replace("-", "\u2212")}</mn></msup>`;
  return mantissa === "1" ? power : `<mrow><mn>${mantissa}</mn>${mo("\u00d7")}${power}</mrow>`;
}

function mwrap(n, wrapped) {
  const body = mrow(n);
  return wrapped ? paren(body) : body;
}

/** The tree as MathML, parenthesised where latex() parenthesises it. */
export function mrow(n) {
  const k = n.kind;
  if (k === "num") return mathNumber(n.value);
  if (k === "var") return `<msub><mi>x</mi><mn>${n.name[1]}</mn></msub>`;
  if (k === "const") return `<mi>${n.name === "pi" ? "\u03c0" : "e"}</mi>`;
  if (k === "call") {
    if (n.name === "sqrt") return `<msqrt>${mrow(n.a)}</msqrt>`;
    if (n.name === "abs") return `<mrow><mo stretchy="false">|</mo>${mrow(n.a)}<mo stretchy="false">|</mo></mrow>`;
    return `<mrow><mi>${FUNCTION_NAMES[n.name] ?? n.name}</mi><mo>\u2061</mo>${paren(mrow(n.a))}</mrow>`;
  }
  if (k === "neg") return `<mrow>${mo("\u2212")}${mwrap(n.a, ["add", "sub", "neg"].includes(n.a.kind))}</mrow>`;
  if (k === "div") return `<mfrac><mrow>${mrow(n.a)}</mrow><mrow>${mrow(n.b)}</mrow></mfrac>`;
  if (k === "pow") {
    const base = n.a;
    const plain = base.kind === "var" || base.kind === "const" || (base.kind === "num"
      && !numberText(base.value).includes("e")) || (base.kind === "call" && base.name === "abs");
    if (base.kind === "var") return `<msubsup><mi>x</mi><mn>${base.name[1]}</mn><mrow>${mrow(n.b)}</mrow></msubsup>`;
    return `<msup>${mwrap(base, !plain)}<mrow>${mrow(n.b)}</mrow></msup>`;
  }
  if (k === "add" || k === "sub") {
    return `<mrow>${mrow(n.a)}${mo(k === "add" ? "+" : "\u2212")}${mwrap(n.b, ["add", "sub", "neg"].includes(n.b.kind))}`
      + "</mrow>";
  }
  const left = mwrap(n.a, n.a.kind === "add" || n.a.kind === "sub");
  const right = mwrap(n.b, ["add", "sub", "neg"].includes(n.b.kind));
  let joint = mo("\u2062"); // invisible times
  if (DIGIT.test(latex(n.b)[0]) || n.b.kind === "neg") joint = mo("\u22c5");
  else if (leftmost(n.a).kind === "num" && (n.a.kind === "num" || n.a.kind === "pow")) {
    joint = '<mspace width="0.1667em"/>';
  }
  return `<mrow>${left}${joint}${right}</mrow>`;
}

/** The formula as one <math> element, "f = ..." with its LaTeX kept as an annotation (copying, screen readers). */
export function mathml(tree) {
  const row = `<mrow><mi>f</mi>${mo("=")}${mrow(tree)}</mrow>`;
  return `<math xmlns="${MATHML}"><semantics>${row}<annotation encoding="application/x-tex">`
    + `${escapeXml(`f = ${latex(tree)}`)}</annotation></semantics></math>`;
}
