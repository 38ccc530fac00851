// An objective's formula as MathML, which every browser the app supports draws itself (MathML Core): the LaTeX
// Python writes (objectives.py's `latex`, general()'s coefficients) is a small language, numbers, x_1 and x_2,
// powers, parentheses, + - = and thin spaces, and this reads exactly that. Anything else is shown as its text.
// No DOM: a string, for innerHTML.

const MATHML = "http://www.w3.org/1998/Math/MathML";
const TOKEN = /\s+|\\,|(\d+(?:\.\d+)?(?:e[+-]\d+)?)|([a-z])(?:_(\d|\{\d+\}))?|([-+=()])|\^(\d|\{\d+\})/gy;

const escape = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const unbrace = (text) => text.replace(/^\{|\}$/g, "");

// The LaTeX as a list of MathML atoms, a power attached to the atom before it (a parenthesis: the group it
// closes), or null if the text is not of this small language.
function atoms(latex) {
  const out = [], opened = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < latex.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(latex);
    if (!m || m.index !== at) return null;
    const [text, number, letter, sub, op, power] = m;
    if (text === "\\,") out.push('<mspace width="0.1667em"/>');
    else if (number !== undefined) out.push(`<mn>${number}</mn>`);
    else if (letter !== undefined) {
      out.push(sub === undefined ? `<mi>${letter}</mi>` : `<msub><mi>${letter}</mi><mn>${unbrace(sub)}</mn></msub>`);
    } else if (op === "(") {
      opened.push(out.length);
      out.push('<mo stretchy="false">(</mo>');
    } else if (op === ")") {
      if (!opened.length) return null;
      const first = opened.pop();
      out.push(`<mrow>${out.splice(first).join("")}<mo stretchy="false">)</mo></mrow>`);
    } else if (op !== undefined) out.push(`<mo>${op === "-" ? "\u2212" : op}</mo>`);
    else if (power !== undefined) {
      const base = out.pop();
      if (base === undefined) return null;
      const exponent = `<mn>${unbrace(power)}</mn>`;
      out.push(base.startsWith("<msub>")
        ? base.replace(/^<msub>(.*)<\/msub>$/, `<msubsup>$1${exponent}</msubsup>`)
        : `<msup>${base}${exponent}</msup>`);
    }
  }
  return opened.length ? null : out;
}

/** `latex` as one <math> element (its LaTeX kept as an annotation, for copying and screen readers). */
export function mathml(latex) {
  const body = atoms(latex);
  const row = body ? `<mrow>${body.join("")}</mrow>` : `<mtext>${escape(latex)}</mtext>`;
  return `<math xmlns="${MATHML}"><semantics>${row}<annotation encoding="application/x-tex">${escape(latex)}`
    + "</annotation></semantics></math>";
}
