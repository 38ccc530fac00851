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

/**
 * Python's format(x, ".{precision}g"): `precision` significant digits, trailing zeros dropped, scientific
 * notation when the exponent is below -4 or at least `precision` (0.0001 -> "0.0001", 1e-05 -> "1e-05").
 */
export function pyG(x, precision = 6) {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const sign = x < 0 ? "-" : "";
  const [mantissa, e] = Math.abs(x).toExponential(precision - 1).split("e");
  const exponent = Number(e);
  const digits = mantissa.replace(".", "").replace(/0+$/, "") || "0";
  return sign + (exponent < -4 || exponent >= precision ? scientific(digits, exponent) : fixed(digits, exponent));
}
