r"""Gradient noise that both engines draw bit for bit alike: N(0, 1) per (seed, step, coordinate), no state.

The browser runs its own engine and must draw the very same numbers as Python for any seed, step and number of
seeds (a spread of 100 seeds over 500 steps is 100,000 pairs: too many to send). So the draws are a pure function
built only from operations that give the same bits everywhere:

- **Uniforms: Philox4x32-10** (Salmon, Moraes, Dror, Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC 2011;
  the generator of Random123, cuRAND and TensorFlow), a counter-based generator: the counter is (t, 0, 0, 0), the
  key (seed, 0x6e6f6973), and one call gives four 32-bit words, of which each pair makes one 52-bit uniform
  u = (k + 1/2) / 2^52, strictly inside (0, 1). Only 32-bit integer products, exclusive or and addition.
- **Normals: the inverse of the normal CDF**, Wichura's algorithm AS241 (Applied Statistics 37, 1988; the one
  Python's ``statistics.NormalDist.inv_cdf`` uses, accurate to about 1e-16), one uniform per draw, so there is no
  rejection loop. Its tails need a logarithm; a library's ``log`` may differ from another's in the last bit, so
  the logarithm here is fdlibm's algorithm (``e_log.c``: the exponent split off exactly, then a fixed polynomial),
  evaluated with +, -, *, / and sqrt only, which IEEE 754 rounds correctly on every machine and in JavaScript.

``js/src/core/noise.js`` is the same code, operation for operation; ``js/test/golden.json`` holds draws made here,
and the node tests check that the browser's are identical to the last bit.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_M0, _M1 = 0xD2511F53, 0xCD9E8D57  # Philox4x32 multipliers
_W0, _W1 = 0x9E3779B9, 0xBB67AE85  # Weyl increments of the key
_MASK = 0xFFFFFFFF
STREAM = 0x6E6F6973  # "nois": the key's second word, so that other uses of (seed, t) would draw other numbers
ROUNDS = 10


def philox4x32(counter: Any, key: Any, rounds: int = ROUNDS) -> tuple[np.ndarray, ...]:
    """Philox4x32-``rounds`` of Random123: four 32-bit words per (counter, key); arrays broadcast.

    ``counter`` is a sequence of four arrays of 32-bit words, ``key`` of two; the result is four uint64 arrays
    holding 32-bit words.
    """
    c0, c1, c2, c3 = (np.asarray(c, dtype=np.uint64) & _MASK for c in counter)
    k0, k1 = (np.asarray(k, dtype=np.uint64) & _MASK for k in key)
    c0, c1, c2, c3, k0, k1 = np.broadcast_arrays(c0, c1, c2, c3, k0, k1)
    for r in range(rounds):
        if r:
            k0 = (k0 + np.uint64(_W0)) & np.uint64(_MASK)
            k1 = (k1 + np.uint64(_W1)) & np.uint64(_MASK)
        p0 = c0 * np.uint64(_M0)  # exact: both factors are below 2**32
        p1 = c2 * np.uint64(_M1)
        hi0, lo0 = p0 >> np.uint64(32), p0 & np.uint64(_MASK)
        hi1, lo1 = p1 >> np.uint64(32), p1 & np.uint64(_MASK)
        c0, c1, c2, c3 = hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0
    return c0, c1, c2, c3


def uniform(high: np.ndarray, low: np.ndarray) -> np.ndarray:
    """(k + 1/2) / 2^52 for the 52-bit k made of a 32-bit word and the top 20 bits of another: exact, in (0, 1)."""
    k = (high << np.uint64(20)) | (low >> np.uint64(12))
    return (k.astype(np.float64) + 0.5) * 2.0 ** -52


# fdlibm e_log.c: log(x) = k ln2 + log(1 + f), log(1 + f) = f - (f^2/2 - s (f^2/2 + R(s^2))), s = f / (2 + f).
_LN2_HI, _LN2_LO = 6.93147180369123816490e-01, 1.90821492927058770002e-10
_LG = (6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01, 2.222219843214978396e-01,
       1.818357216161805012e-01, 1.531383769920937332e-01, 1.479819860511658591e-01)
_SQRT_HALF = 0.7071067811865476


def log(x: Any) -> np.ndarray:
    """Natural logarithm of positive normal doubles by fdlibm's algorithm, with correctly rounded operations only.

    Within one unit in the last place of the true value; the same bits as ``noise.js``'s ``log`` everywhere.
    """
    m, e = np.frexp(np.asarray(x, dtype=float))  # x = m 2^e, m in [1/2, 1): exact
    low = m < _SQRT_HALF
    m = np.where(low, m * 2.0, m)  # 1 + f in [sqrt(1/2), sqrt(2))
    k = (e - low).astype(float)
    f = m - 1.0
    s = f / (2.0 + f)
    z = s * s
    w = z * z
    t1 = w * (_LG[1] + w * (_LG[3] + w * _LG[5]))
    t2 = z * (_LG[0] + w * (_LG[2] + w * (_LG[4] + w * _LG[6])))
    r = t2 + t1
    hfsq = 0.5 * f * f
    return k * _LN2_HI - ((hfsq - (s * (hfsq + r) + k * _LN2_LO)) - f)


# Wichura's AS241 (PPND16): rational approximations in three ranges of p, Horner's scheme from the top coefficient.
_A = (2.5090809287301226727e+3, 3.3430575583588128105e+4, 6.7265770927008700853e+4, 4.5921953931549871457e+4,
      1.3731693765509461125e+4, 1.9715909503065514427e+3, 1.3314166789178437745e+2, 3.3871328727963666080e+0)
_B = (5.2264952788528545610e+3, 2.8729085735721942674e+4, 3.9307895800092710610e+4, 2.1213794301586595867e+4,
      5.3941960214247511077e+3, 6.8718700749205790830e+2, 4.2313330701600911252e+1, 1.0)
_C = (7.7454501427834140764e-4, 2.2723844989269184583e-2, 2.4178072517745061177e-1, 1.2704582524523683826e+0,
      3.6478483247632046050e+0, 5.7694972214606914055e+0, 4.6303378461565452959e+0, 1.4234371107496835773e+0)
_D = (1.0507500716444168432e-9, 5.4759380849953449460e-4, 1.5198666563616457197e-2, 1.4810397642748007459e-1,
      6.8976733498510000455e-1, 1.6763848301838038494e+0, 2.0531916266377588219e+0, 1.0)
_E = (2.0103343992922881327e-7, 2.7115555687434875782e-5, 1.2426609473880784386e-3, 2.6532189526576123093e-2,
      2.9656057182850489123e-1, 1.7848265399172913358e+0, 5.4637849111641143699e+0, 6.6579046435011037772e+0)
_F = (2.0442631033899397856e-15, 1.4215117583164458887e-7, 1.8463183175100546818e-5, 7.8686913114561329059e-4,
      1.4875361290850614853e-2, 1.3692988092273580531e-1, 5.9983220655588793769e-1, 1.0)


def _horner(coefficients: tuple[float, ...], r: np.ndarray) -> np.ndarray:
    acc = coefficients[0] * r + coefficients[1]
    for c in coefficients[2:]:
        acc = acc * r + c
    return acc


def inverse_normal(p: Any) -> np.ndarray:
    """The standard normal quantile of p in (0, 1) by AS241, with :func:`log` for the tails."""
    p = np.asarray(p, dtype=float)
    q = p - 0.5
    r = 0.180625 - q * q
    central = q * _horner(_A, r) / _horner(_B, r)
    tail = np.sqrt(-log(np.where(q <= 0.0, p, 1.0 - p)))
    near = tail - 1.6
    far = tail - 5.0
    x = np.where(tail <= 5.0, _horner(_C, near) / _horner(_D, near), _horner(_E, far) / _horner(_F, far))
    return np.where(np.abs(q) <= 0.425, central, np.where(q < 0.0, -x, x))


def gaussian(seed: Any, t: Any) -> np.ndarray:
    """The N(0, 1) pair added to (g1, g2) at step ``t`` of a run with ``seed``: shape (2,) + broadcast(seed, t).

    ``seed`` is an integer in [0, 2**32) (or an array of them), ``t`` the 1-based step (or an array): a pure
    function, so a run with seed 7 meets the same draws whatever it is batched with.
    """
    seed = np.asarray(seed, dtype=np.uint64)
    t = np.asarray(t, dtype=np.uint64)
    zero = np.zeros((), np.uint64)
    w0, w1, w2, w3 = philox4x32((t, zero, zero, zero), (seed, np.uint64(STREAM)))
    return np.stack([inverse_normal(uniform(w0, w1)), inverse_normal(uniform(w2, w3))])


def table(seed: Any, steps: int) -> np.ndarray:
    """Every step's pair for steps 1..``steps``: shape (steps, 2) + shape(seed)."""
    seed = np.asarray(seed, dtype=np.uint64)
    t = np.arange(1, steps + 1, dtype=np.uint64).reshape((steps,) + (1,) * seed.ndim)
    return np.moveaxis(gaussian(seed, t), 0, 1)
