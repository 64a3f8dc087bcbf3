"""Generates tail-pvalues-extra.tsv (data rows). mpmath 1.3.0, Python 3.11."""
import mpmath

mpmath.mp.dps = 50


def log10_sf(n, k, p):
    # log pmf(k) by loggamma at 50 digits, times sum_{j >= k} pmf(j) / pmf(k), summed exactly.
    p = mpmath.mpf(p)
    q = 1 - p
    lt = (mpmath.loggamma(n + 1) - mpmath.loggamma(k + 1) - mpmath.loggamma(n - k + 1)
          + k * mpmath.log(p) + (n - k) * mpmath.log(q))
    s = mpmath.mpf(1)
    t = mpmath.mpf(1)
    j = k
    odds = p / q
    while j < n:
        t *= mpmath.mpf(n - j) / (j + 1) * odds
        s += t
        j += 1
        if t < s * mpmath.mpf(10) ** -45:
            break
    return (lt + mpmath.log(s)) / mpmath.log(10)


BINOMIAL = [(10**9, 250_000_000 + 36 * 13693, 0.25), (10**9, 250_000_000 + 40 * 13693, 0.25),
            (10**9, 500_000_000 + 700_000, 0.5), (10**9, 501_000_000, 0.5),
            (3 * 10**9, 1_500_000_000 + 1_100_000, 0.5), (3 * 10**9, 900_000_000 + 900_000, 0.3),
            (10**9, 100_000_000 + 300_000, 0.1)]
GAMMA = [(10**7, 10130000.0), (10**7, 10200000.0), (2500.5, 4000.0), (0.5, 800.0), (37.5, 900.0),
         (12345.25, 16000.0)]

for n, k, p in BINOMIAL:
    print("binomial\t%d\t%d\t%r\t%s" % (n, k, p, mpmath.nstr(log10_sf(n, k, p), 25)))
for a, x in GAMMA:
    v = mpmath.gammainc(mpmath.mpf(a), a=x, regularized=True)
    print("gamma\t%s\t%r\t1\t%s" % (mpmath.nstr(mpmath.mpf(a), 12), x, mpmath.nstr(mpmath.log10(v), 25)))
