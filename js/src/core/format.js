// Numbers written as Python writes them, so a link or a label made here reads the same as one made by Python.

// The shortest digits that round-trip and the decimal exponent of the first one: 0.0004 -> ["4", -4].
function shortest(x) {
  const [mantissa, exponent] = Math.abs(x).toExponential().split("e");
  return [mantissa.replace(".", ""), Number(exponent)];
}

function scientific(digits, exponent) {
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const e = Math.abs(exponent) < 10 ? `0${Math.abs(exponent)}` : `${Math.abs(exponent)}`;
  return `${mantissa}e${exponent < 0 ? "-" : "+"}${e}`;
}

function fixed(digits, exponent) {
  if (exponent < 0) return `0.${"0".repeat(-exponent - 1)}${digits}`;
  if (digits.length <= exponent + 1) return digits + "0".repeat(exponent + 1 - digits.length);
  return `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}

/**
 * Python's repr() of a float without a trailing ".0" (lesson._fmt): 0.4, 1e-06, 20, 1e+16, -5.5.
 * Python switches to scientific notation below 1e-4 and from 1e16 on; JavaScript's own toString at other points.
 */
export function pyRepr(x) {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const sign = x < 0 ? "-" : "";
  const [digits, exponent] = shortest(x);
  return sign + (exponent < -4 || exponent >= 16 ? scientific(digits, exponent) : fixed(digits, exponent));
}

/** A finite x as [m, e] with x === m * 2 ** e exactly, m a BigInt (negative for negative x). */
export function decompose(x) {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0), lo = view.getUint32(4);
  let e = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (e === 0) e = 1; else m |= 1n << 52n;
  return [hi >>> 31 ? -m : m, e - 1075];
}

// x (finite, >= 0) is exactly the decimal `digits` x 10 ** (exponent - digits.length + 1): both sides as BigInt.
function isExactly(x, digits, exponent) {
  const [m, e2] = decompose(x);
  const e10 = exponent - digits.length + 1;
  let left = BigInt(digits), right = m;
  if (e10 >= 0) left *= 10n ** BigInt(e10); else right *= 10n ** BigInt(-e10);
  if (e2 >= 0) right <<= BigInt(e2); else left <<= BigInt(-e2);
  return left === right;
}

/**
 * Python's format(x, ".{precision}g"): `precision` significant digits, trailing zeros dropped, scientific
 * notation when the exponent is below -4 or at least `precision` (0.0001 -> "0.0001", 1e-05 -> "1e-05").
 * A value exactly halfway between two roundings goes to the even one, as Python does (1234565 -> "1.23456e+06");
 * toExponential would round it up.
 */
export function pyG(x, precision = 6) {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const sign = x < 0 ? "-" : "";
  const a = Math.abs(x);
  let [mantissa, e] = a.toExponential(precision - 1).split("e");
  const [longer, longerE] = a.toExponential(precision).split("e");
  const extra = longer.replace(".", "");
  if (extra.endsWith("5") && isExactly(a, extra, Number(longerE)) && Number(extra[precision - 1]) % 2 === 0) {
    mantissa = extra.slice(0, precision);
    e = longerE;
  }
  const exponent = Number(e);
  const digits = mantissa.replace(".", "").replace(/0+$/, "") || "0";
  return sign + (exponent < -4 || exponent >= precision ? scientific(digits, exponent) : fixed(digits, exponent));
}

/**
 * Python's format(x, "f"): fixed, 6 decimals, the exact binary value rounded half to even, the sign kept on
 * values that round to zero (-1e-9 -> "-0.000000") and on -0. toFixed() would round ties away from zero.
 */
export function formatF(x) {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  if (x === 0) return `${sign}0.000000`;
  const [m, e] = decompose(Math.abs(x));
  let q;
  if (e >= 0) {
    q = (m << BigInt(e)) * 1000000n;
  } else {
    const num = m * 1000000n, den = 1n << BigInt(-e);
    q = num / den;
    const twice = 2n * (num - q * den);
    if (twice > den || (twice === den && (q & 1n))) q += 1n;
  }
  const digits = q.toString().padStart(7, "0");
  return `${sign}${digits.slice(0, -6)}.${digits.slice(-6)}`;
}

/** float(f"{value:.{digits}g}"): value to `digits` significant digits, rounded as Python rounds (see pyG). */
export function roundSignificant(value, digits = 3) {
  return Number.isFinite(value) && value !== 0 ? Number(pyG(value, digits)) : value;
}

// Python's str.strip() whitespace, which keys and names lose: ASCII's and \x1c-\x1f, \x85, and Unicode's spaces.
const SPACE = "\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const STRIP = new RegExp(`^[${SPACE}]+|[${SPACE}]+$`, "g");

/** Python's str.strip(): the whitespace Python drops at either end of a link's key or name. */
export function pyStrip(text) {
  return text.replace(STRIP, "");
}

/** Python's repr() of a str, for ASCII text (other characters are written as they are). */
export function pyStrRepr(s) {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const escaped = s.replace(/[\\'"\x00-\x1f\x7f]/g, (ch) => {
    if (ch === "\\") return "\\\\";
    if (ch === "'" || ch === '"') return ch === quote ? `\\${ch}` : ch;
    return { "\t": "\\t", "\n": "\\n", "\r": "\\r" }[ch] ?? `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`;
  });
  return `${quote}${escaped}${quote}`;
}
