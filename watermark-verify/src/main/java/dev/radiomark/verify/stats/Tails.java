package dev.radiomark.verify.stats;

import java.util.Locale;

import org.apache.commons.numbers.gamma.LogGamma;
import org.apache.commons.numbers.gamma.RegularizedBeta;
import org.apache.commons.numbers.gamma.RegularizedGamma;

/**
 * Exact upper-tail probabilities of the detection nulls, as base-10 logarithms.
 *
 * <p>Every method returns {@code log10 p} for an upper-tail probability {@code p}. The value is
 * finite and at most 0 for every valid input whose probability is not exactly zero; it does
 * not underflow when {@code p} is far below {@link Double#MIN_VALUE} (the tail {@code P[X >= n]}
 * of {@code Binomial(1e6, 0.25)}, {@code 4^-1000000}, is returned as {@code -602059.99...}).
 *
 * <p>Where {@code p >= 1e-280} the value comes from Commons Numbers' regularized incomplete
 * beta and gamma functions (Boost ports, accurate to a few ulp). Below that the Commons value
 * is near or past the end of the double range, so the tail is summed in log space from its
 * leading term, computed with Loader's saddle-point expansion (the method behind R's
 * {@code dbinom}/{@code dpois}), which avoids the cancellation of {@code lgamma(n + 1) -
 * lgamma(k + 1) - lgamma(n - k + 1)} for large {@code n}. Both paths agree with 60-digit mpmath
 * reference values to {@code 1e-9 * max(1, |log10 p|)}.
 */
public final class Tails {

  /** Below this probability the log-space path is used (well above the subnormal range). */
  static final double LOG_SPACE_BELOW = 1e-280;

  private static final double LN10 = Math.log(10);
  private static final double LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
  /** Relative size of the neglected remainder of a tail series. */
  private static final double SERIES_EPS = 1e-17;

  private Tails() {}

  /**
   * Returns {@code log10 P[X >= k]} for {@code X ~ Binomial(n, p)}, the p-value of observing
   * {@code k} or more successes (green tokens) in {@code n} independent trials.
   *
   * <p>Equal to {@code log10 I_p(k, n - k + 1)}, the regularized incomplete beta function.
   * Returns {@code 0.0} when {@code k <= 0} or {@code p == 1}. The only input whose result is
   * not finite is {@code p == 0} with {@code k >= 1}: the probability is exactly zero and the
   * result is {@link Double#NEGATIVE_INFINITY}.
   *
   * @param n number of trials, {@code n >= 0}; exact up to {@code 2^53}
   * @param k observed number of successes, {@code k <= n}
   * @param p success probability under the null, in {@code [0, 1]}
   * @return {@code log10 P[X >= k]}, in {@code [n log10 p, 0]}
   * @throws IllegalArgumentException if {@code n < 0}, {@code k > n}, or {@code p} is not in
   *     {@code [0, 1]} (including NaN)
   */
  public static double log10BinomialSurvival(long n, long k, double p) {
    if (n < 0) {
      throw new IllegalArgumentException(format("n is not in [0, inf): %d", n));
    }
    if (k > n) {
      throw new IllegalArgumentException(format("k is not in (-inf, n = %d]: %d", n, k));
    }
    checkProbability("p", p);
    if (k <= 0 || p == 1) {
      return 0.0;
    }
    if (p == 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (k == n) {
      // P[X >= n] = p^n exactly; also avoids stirlerr(0) in the saddle-point form.
      return n * Math.log10(p);
    }
    final double a = k;
    final double b = (double) (n - k) + 1;
    final double v = RegularizedBeta.value(p, a, b);
    if (v >= LOG_SPACE_BELOW) {
      return Math.log10(v);
    }
    return logBinomialTail(n, k, p) / LN10;
  }

  /**
   * Returns {@code log10 P[Y >= x]} for {@code Y ~ Gamma(shape, scale 1)}, the p-value of the
   * Gumbel score {@code x = sum of -ln(1 - u)} over {@code shape} scored tuples.
   *
   * <p>Equal to {@code log10 Q(shape, x)}, the regularized upper incomplete gamma function.
   * Returns {@code 0.0} when {@code x == 0}.
   *
   * @param shape shape of the gamma distribution (the number of tuples), finite and
   *     {@code > 0}; tested up to {@code 1e7}
   * @param x observed score, finite and {@code >= 0}
   * @return {@code log10 Q(shape, x)}, finite and {@code <= 0}
   * @throws IllegalArgumentException if {@code shape} is not in {@code (0, inf)} or {@code x}
   *     is not in {@code [0, inf)} (including NaN)
   */
  public static double log10GammaSurvival(double shape, double x) {
    if (!(shape > 0 && shape < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(format("shape is not in (0, inf): %s", shape));
    }
    if (!(x >= 0 && x < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(format("x is not in [0, inf): %s", x));
    }
    if (x == 0) {
      return 0.0;
    }
    final double q = RegularizedGamma.Q.value(shape, x);
    if (q >= LOG_SPACE_BELOW) {
      return Math.log10(q);
    }
    return logGammaTail(shape, x) / LN10;
  }

  /**
   * Converts a base-10 log probability back to a probability, {@code 10^log10P}.
   *
   * <p>For display only: the result is 0 for {@code log10P < -323.3} (double underflow).
   * Decisions should compare log values, e.g. {@code log10P < Math.log10(alpha)}.
   *
   * @param log10P base-10 logarithm of a probability, {@code <= 0} or -infinity
   * @return {@code 10^log10P}, in {@code [0, 1]}
   * @throws IllegalArgumentException if {@code log10P} is NaN or positive
   */
  public static double pFromLog10(double log10P) {
    checkLog10P("log10P", log10P);
    return Math.pow(10, log10P);
  }

  // ---------------------------------------------------------------------------------------
  // Log-space paths. Only reached for p < LOG_SPACE_BELOW, i.e. far into the upper tail,
  // where the series below converge geometrically.

  /** Natural log of P[X >= k], 0 < k < n, by the log of the pmf at k plus a ratio series. */
  private static double logBinomialTail(long n, long k, double p) {
    final double q = 1 - p;
    final double odds = p / q;
    final double nn = n;
    // Sum of pmf(j) / pmf(k) for j >= k: term(j + 1) = term(j) * (n - j) / (j + 1) * odds.
    // The ratio falls with j, so once it is below 1 the remainder is at most t * r / (1 - r).
    double sum = 1;
    double term = 1;
    for (long j = k; j < n; j++) {
      final double r = (nn - j) / (j + 1) * odds;
      term *= r;
      sum += term;
      if (r < 1 && term * r / (1 - r) <= SERIES_EPS * sum) {
        break;
      }
    }
    return logBinomialPmf(nn, k, p, q) + Math.log(sum);
  }

  /** Natural log of the Binomial(n, p) pmf at 0 < k < n (Loader 2000, saddle point). */
  private static double logBinomialPmf(double n, double k, double p, double q) {
    final double nk = n - k;
    return stirlerr(n) - stirlerr(k) - stirlerr(nk)
      - bd0(k, n * p) - bd0(nk, n * q)
      + 0.5 * Math.log(n / (k * nk)) - LN_SQRT_2PI;
  }

  /**
   * Natural log of Q(a, x) for x > a (the only region reached), from
   * Gamma(a, x) = x^(a-1) e^-x (1 + (a-1)/x + (a-1)(a-2)/x^2 + ...). For integer a the series
   * is finite (the Poisson identity); otherwise it is asymptotic, but each term once
   * j > a - 1 bounds the remainder, and the terms there are far below the tolerance.
   */
  private static double logGammaTail(double a, double x) {
    double sum = 1;
    double term = 1;
    for (int j = 1; j < 100_000_000; j++) {
      final double r = (a - j) / x;
      term *= r;
      if (term == 0) {
        break;
      }
      sum += term;
      final double remainder = j > a - 1 ? Math.abs(term) : Math.abs(term) * r / (1 - r);
      if (r < 1 && remainder <= SERIES_EPS * sum) {
        break;
      }
    }
    // log(x^(a-1) e^-x / Gamma(a)) = log(x^a e^-x / Gamma(a + 1)) + log(a / x), and the
    // first factor is the Poisson(x) "pmf" at a in saddle-point form.
    final double logPrefix = -stirlerr(a) - bd0(a, x) - 0.5 * Math.log(a) - LN_SQRT_2PI
      + Math.log(a / x);
    return logPrefix + Math.log(sum);
  }

  /**
   * Stirling's error, {@code ln Gamma(n + 1) - (n + 1/2) ln n + n - ln sqrt(2 pi)}, n > 0.
   * The asymptotic series is used where it is accurate to double precision.
   */
  static double stirlerr(double n) {
    if (n <= 15) {
      return LogGamma.value(n + 1) - (n + 0.5) * Math.log(n) + n - LN_SQRT_2PI;
    }
    final double s0 = 1.0 / 12;
    final double s1 = 1.0 / 360;
    final double s2 = 1.0 / 1260;
    final double s3 = 1.0 / 1680;
    final double s4 = 1.0 / 1188;
    final double nn = n * n;
    if (n > 500) {
      return (s0 - s1 / nn) / n;
    }
    if (n > 80) {
      return (s0 - (s1 - s2 / nn) / nn) / n;
    }
    if (n > 35) {
      return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n;
    }
    return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n;
  }

  /**
   * Deviance term {@code x ln(x / m) + m - x >= 0}, computed without cancellation when
   * {@code x} is close to {@code m} (Loader 2000).
   */
  static double bd0(double x, double m) {
    final double d = x - m;
    if (Math.abs(d) < 0.1 * (x + m)) {
      final double v = d / (x + m);
      double s = d * v;
      double ej = 2 * x * v;
      final double vv = v * v;
      for (int j = 1; j < 1000; j++) {
        ej *= vv;
        final double s1 = s + ej / (2 * j + 1);
        if (s1 == s) {
          return s1;
        }
        s = s1;
      }
      return s;
    }
    return x * Math.log(x / m) + m - x;
  }

  // ---------------------------------------------------------------------------------------
  // Validation shared by the package.

  static void checkProbability(String name, double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException(format("%s is not in [0, 1]: %s", name, p));
    }
  }

  static void checkLog10P(String name, double log10P) {
    if (!(log10P <= 0)) {
      throw new IllegalArgumentException(format("%s is not in [-inf, 0]: %s", name, log10P));
    }
  }

  static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
