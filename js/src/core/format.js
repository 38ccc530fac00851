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

// x (finite, >= 0) is exactly the decimal `digits` x 10 ** (exponent - digits.length + 1): both sides as BigInt.
function isExactly(x, digits, exponent) {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0), lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const m = ((BigInt(hi & 0xfffff) << 32n) | BigInt(lo)) | (biased ? 1n << 52n : 0n);
  const e2 = (biased || 1) - 1075, e10 = exponent - digits.length + 1;
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
