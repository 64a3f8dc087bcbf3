package dev.radiomark.verify.stats;

import java.util.Locale;
import org.apache.commons.statistics.distribution.BinomialDistribution;

/**
 * Tail bound of the discrete scan statistic of independent Bernoulli(p) trials: the largest
 * number of successes in any window of L consecutive trials among n.
 *
 * <p>With S_t the count in the window starting at t (t = 1..n-L+1), the maximum reaches k only
 * if the first window does, or if some later window reaches k while the one before it did not
 * (an up-crossing). An up-crossing at t needs the trial entering the window to be a success,
 * the trial leaving it a failure, and the L - 1 trials they share to hold exactly k - 1
 * successes. The union bound over these events is
 * <pre>
 *   P(max_t S_t &gt;= k) &lt;= P(Bin(L, p) &gt;= k) + (n - L) p (1 - p) P(Bin(L - 1, p) = k - 1),
 * </pre>
 * valid for every n, L and k (no approximation). It counts a run of overlapping significant
 * windows once, which a Bonferroni correction over the n - L + 1 windows does not: for rare
 * events the bound is close to the exact tail (it is the expected number of up-crossings).
 */
public final class ScanBound {
  private static final double LN10 = Math.log(10);

  private ScanBound() {}

  /**
   * log10 of the bound above on {@code P(max over windows of length L of the count >= k)}.
   *
   * @param n number of trials, at least 1
   * @param length window length L, in [1, n]
   * @param k observed maximum count, in [0, L]
   * @param p success probability, in (0, 1)
   * @return log10 of the bound, capped at 0
   * @throws IllegalArgumentException if an argument is out of range; the message names it
   */
  public static double log10Bernoulli(long n, int length, int k, double p) {
    if (n < 1) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "n is not in [1, inf): %d", n));
    }
    if (length < 1 || length > n) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "length is not in [1, %d]: %d", n, length));
    }
    if (k < 0 || k > length) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "k is not in [0, %d]: %d", length, k));
    }
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "p is not in (0, 1): %s", p));
    }
    if (k == 0) {
      return 0.0;
    }
    double first = Tails.log10BinomialSurvival(length, k, p);
    if (n == length) {
      return first;
    }
    double lnCross = BinomialDistribution.of(length - 1, p).logProbability(k - 1);
    double cross = (Math.log((double) (n - length) * p * (1 - p)) + lnCross) / LN10;
    double hi = Math.max(first, cross);
    double lo = Math.min(first, cross);
    if (hi == Double.NEGATIVE_INFINITY) {
      return hi;
    }
    return Math.min(0.0, hi + Math.log10(1 + Math.pow(10, lo - hi)));
  }
}
