package dev.radiomark.verify.stats;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Corrections for testing many hypotheses (keys, windows, modes, payloads) and keeping the best:
 * without one, the smallest of 20 null p-values is below 0.01 in 18% of texts.
 *
 * <p>All inputs and outputs are base-10 logarithms of p-values, in {@code [-inf, 0]}, so that
 * corrections of p-values far below {@code 1e-308} neither underflow nor round to 0.
 */
public final class MultipleTesting {

  private static final double LN10 = Math.log(10);
  private static final double LN2 = Math.log(2);

  private MultipleTesting() {}

  /**
   * Holm's step-down adjustment, controlling the family-wise error rate under any dependence.
   *
   * <p>With the p-values sorted ascending, {@code p(1) <= ... <= p(K)}, the adjusted value of
   * {@code p(i)} is {@code max_{j <= i} min(1, (K - j + 1) p(j))}. Rejecting every hypothesis
   * whose adjusted p-value is below {@code alpha} keeps the probability of any false rejection
   * at most {@code alpha}. Adjusted values are monotone in the raw values, at least the raw
   * values, and at most 0 (p = 1); ties keep their input order.
   *
   * @param log10P base-10 logs of the raw p-values, each in {@code [-inf, 0]}; not modified
   * @return a new array of the adjusted log10 p-values, in the input order
   * @throws IllegalArgumentException if an element is NaN or positive
   */
  public static double[] holm(double[] log10P) {
    final int m = log10P.length;
    for (int i = 0; i < m; i++) {
      Tails.checkLog10P("log10P[" + i + "]", log10P[i]);
    }
    final Integer[] order = new Integer[m];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparingDouble(i -> log10P[i]));
    final double[] adjusted = new double[m];
    double running = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < m; j++) {
      final int i = order[j];
      final double a = Math.min(0, log10P[i] + Math.log10(m - j));
      running = Math.max(running, a);
      adjusted[i] = running;
    }
    return adjusted;
  }

  /**
   * Bonferroni's correction for {@code m} tests: {@code log10(min(1, m p))}.
   *
   * @param log10P base-10 log of the smallest raw p-value, in {@code [-inf, 0]}
   * @param m number of tests tried, {@code >= 1}
   * @return the corrected log10 p-value, in {@code [log10P, 0]}
   * @throws IllegalArgumentException if {@code log10P} is NaN or positive or {@code m < 1}
   */
  public static double bonferroni(double log10P, long m) {
    Tails.checkLog10P("log10P", log10P);
    checkCount(m);
    return Math.min(0, log10P + Math.log10(m));
  }

  /**
   * Sidak's correction for the best of {@code m} independent tests (for example {@code m}
   * candidate payloads): {@code log10(1 - (1 - p)^m)}, the probability that at least one of
   * {@code m} independent null p-values is at most {@code p}.
   *
   * <p>Computed as {@code log(1 - exp(m log1p(-p)))} with {@code expm1}/{@code log1p}, so it
   * keeps full relative precision for tiny {@code p} (where it equals {@code log10(m p)} to
   * within {@code m p / 2} relative) as well as for {@code p} near 1. Never larger than
   * {@link #bonferroni(double, long)}.
   *
   * @param log10P base-10 log of the smallest raw p-value, in {@code [-inf, 0]}
   * @param m number of independent tests, {@code >= 1}
   * @return the corrected log10 p-value, in {@code [log10P, 0]}
   * @throws IllegalArgumentException if {@code log10P} is NaN or positive or {@code m < 1}
   */
  public static double sidak(double log10P, long m) {
    Tails.checkLog10P("log10P", log10P);
    checkCount(m);
    if (m == 1 || log10P == Double.NEGATIVE_INFINITY) {
      return log10P;
    }
    if (log10P < -300) {
      // m p <= 9.3e18 * 1e-300: 1 - (1 - p)^m = m p (1 - O(m p)) to far beyond double precision.
      return log10P + Math.log10(m);
    }
    final double x = m * Math.log1p(-Math.pow(10, log10P));
    // log(1 - e^x) for x <= 0, choosing the form that does not cancel (Maechler's log1mexp).
    final double log1mexp = x > -LN2 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
    // The clamps only absorb last-bit rounding: p <= 1 - (1 - p)^m <= min(1, m p).
    final double bonferroni = Math.min(0, log10P + Math.log10(m));
    return Math.max(log10P, Math.min(bonferroni, log1mexp / LN10));
  }

  private static void checkCount(long m) {
    if (m < 1) {
      throw new IllegalArgumentException(Tails.format("m is not in [1, inf): %d", m));
    }
  }
}
