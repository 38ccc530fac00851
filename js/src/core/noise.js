// Gradient noise, the same bits as trajectories/noise.py: N(0, 1) per (seed, step, coordinate), no state.
//
// Philox4x32-10 (Random123's counter-based generator; counter (t, 0, 0, 0), key (seed, 0x6e6f6973)) makes four
// 32-bit words per step; each pair is one 52-bit uniform u = (k + 1/2) / 2^52 in (0, 1), turned normal by Wichura's
// AS241 with fdlibm's logarithm. Only 32-bit integer products, exclusive or, and +, -, *, /, sqrt on doubles,
// which IEEE 754 rounds correctly in every browser: no Math.log, whose last bit may differ from Python's.

const M0 = 0xd2511f53, M1 = 0xcd9e8d57; // Philox4x32 multipliers
const W0 = 0x9e3779b9, W1 = 0xbb67ae85; // Weyl increments of the key
export const STREAM = 0x6e6f6973; // "nois"
const ROUNDS = 10;

// The high 32 bits of the 64-bit product of two 32-bit words (the low ones are Math.imul's), from 16-bit halves:
// every partial product is below 2^32, exact in a double.
function mulhi(a, b) {
  const al = a & 0xffff, ah = a >>> 16, bl = b & 0xffff, bh = b >>> 16;
  const lo = al * bl, mid1 = ah * bl, mid2 = al * bh;
  const carry = ((lo >>> 16) + (mid1 & 0xffff) + (mid2 & 0xffff)) >>> 16;
  return (ah * bh + (mid1 >>> 16) + (mid2 >>> 16) + carry) >>> 0;
}

/** Philox4x32-`rounds` of (counter: 4 words, key: 2 words) into `out` (4 words); returns `out`. */
export function philox4x32(c0, c1, c2, c3, k0, k1, out = new Uint32Array(4), rounds = ROUNDS) {
  c0 >>>= 0; c1 >>>= 0; c2 >>>= 0; c3 >>>= 0; k0 >>>= 0; k1 >>>= 0;
  for (let r = 0; r < rounds; r++) {
    if (r) {
      k0 = (k0 + W0) >>> 0;
      k1 = (k1 + W1) >>> 0;
    }
    const hi0 = mulhi(M0, c0), lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi(M1, c2), lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
  }
  out[0] = c0; out[1] = c1; out[2] = c2; out[3] = c3;
  return out;
}

/** (k + 1/2) / 2^52 for the 52-bit k made of one word and the top 20 bits of another: exact, in (0, 1). */
export function uniform(high, low) {
  return ((high >>> 0) * 1048576 + ((low >>> 0) >>> 12) + 0.5) * 2 ** -52;
}

// fdlibm e_log.c: log(x) = k ln2 + log(1 + f), log(1 + f) = f - (f^2/2 - s (f^2/2 + R(s^2))), s = f / (2 + f).
const LN2_HI = 6.93147180369123816490e-01, LN2_LO = 1.90821492927058770002e-10;
const LG1 = 6.666666666666735130e-01, LG2 = 3.999999999940941908e-01, LG3 = 2.857142874366239149e-01,
  LG4 = 2.222219843214978396e-01, LG5 = 1.818357216161805012e-01, LG6 = 1.531383769920937332e-01,
  LG7 = 1.479819860511658591e-01;
const SQRT_HALF = 0.7071067811865476;
const view = new DataView(new ArrayBuffer(8));

/** Natural logarithm of a positive normal double by fdlibm's algorithm: the same bits as noise.py's log. */
export function log(x) {
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  let e = ((hi >>> 20) & 0x7ff) - 1022; // x = m 2^e, m in [1/2, 1), as numpy's frexp
  view.setUint32(0, (hi & 0x800fffff) | 0x3fe00000);
  let m = view.getFloat64(0);
  if (m < SQRT_HALF) {
    m *= 2;
    e -= 1;
  }
  const k = e, f = m - 1.0;
  const s = f / (2.0 + f), z = s * s, w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const r = t2 + t1;
  const hfsq = 0.5 * f * f;
  return k * LN2_HI - ((hfsq - (s * (hfsq + r) + k * LN2_LO)) - f);
}

// Wichura's AS241 (PPND16), Horner's scheme from the top coefficient, as noise.py.
const A = [2.5090809287301226727e+3, 3.3430575583588128105e+4, 6.7265770927008700853e+4, 4.5921953931549871457e+4,
  1.3731693765509461125e+4, 1.9715909503065514427e+3, 1.3314166789178437745e+2, 3.3871328727963666080e+0];
const B = [5.2264952788528545610e+3, 2.8729085735721942674e+4, 3.9307895800092710610e+4, 2.1213794301586595867e+4,
  5.3941960214247511077e+3, 6.8718700749205790830e+2, 4.2313330701600911252e+1, 1.0];
const C = [7.7454501427834140764e-4, 2.2723844989269184583e-2, 2.4178072517745061177e-1, 1.2704582524523683826e+0,
  3.6478483247632046050e+0, 5.7694972214606914055e+0, 4.6303378461565452959e+0, 1.4234371107496835773e+0];
const D = [1.0507500716444168432e-9, 5.4759380849953449460e-4, 1.5198666563616457197e-2, 1.4810397642748007459e-1,
  6.8976733498510000455e-1, 1.6763848301838038494e+0, 2.0531916266377588219e+0, 1.0];
const E = [2.0103343992922881327e-7, 2.7115555687434875782e-5, 1.2426609473880784386e-3, 2.6532189526576123093e-2,
  2.9656057182850489123e-1, 1.7848265399172913358e+0, 5.4637849111641143699e+0, 6.6579046435011037772e+0];
const F = [2.0442631033899397856e-15, 1.4215117583164458887e-7, 1.8463183175100546818e-5, 7.8686913114561329059e-4,
  1.4875361290850614853e-2, 1.3692988092273580531e-1, 5.9983220655588793769e-1, 1.0];

function horner(c, r) {
  let acc = c[0] * r + c[1];
  for (let i = 2; i < c.length; i++) acc = acc * r + c[i];
  return acc;
}

/** The standard normal quantile of p in (0, 1) by AS241. */
export function inverseNormal(p) {
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return q * horner(A, r) / horner(B, r);
  }
  const tail = Math.sqrt(-log(q <= 0.0 ? p : 1.0 - p));
  const x = tail <= 5.0 ? horner(C, tail - 1.6) / horner(D, tail - 1.6) : horner(E, tail - 5.0) / horner(F, tail - 5.0);
  return q < 0.0 ? -x : x;
}

const words = new Uint32Array(4);

/**
 * The N(0, 1) pairs added to (g1, g2) at steps 1..`steps` of a run with `seed` (an integer in [0, 2^32)), as
 * noise.table: a Float64Array of 2 * steps numbers, step t's pair at [2t - 2, 2t - 1].
 */
export function table(seed, steps, out = new Float64Array(2 * steps)) {
  for (let t = 1; t <= steps; t++) {
    philox4x32(t, 0, 0, 0, seed, STREAM, words);
    out[2 * t - 2] = inverseNormal(uniform(words[0], words[1]));
    out[2 * t - 1] = inverseNormal(uniform(words[2], words[3]));
  }
  return out;
}

// The tables drawn so far, by seed, each as long as the longest run that asked: a spread's seeds are drawn once
// and a slider move draws nothing. At most CACHED seeds are kept, the least recently used going first.
const CACHED = 512;
const drawn = new Map();

/** table(seed, steps), from the cache when it holds enough steps of that seed. */
export function tableFor(seed, steps) {
  let t = drawn.get(seed);
  if (t && t.length >= 2 * steps) {
    drawn.delete(seed);
    drawn.set(seed, t);
    return t;
  }
  t = table(seed, steps);
  drawn.delete(seed);
  drawn.set(seed, t);
  if (drawn.size > CACHED) drawn.delete(drawn.keys().next().value);
  return t;
}
