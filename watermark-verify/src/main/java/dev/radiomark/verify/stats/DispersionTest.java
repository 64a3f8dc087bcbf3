package dev.radiomark.verify.stats;

/**
 * Tests whether counts vary more than chance allows, for example the false positives of many
 * keys on the same documents: with no key effect the counts are independent with variance at
 * most their mean (binomial or Poisson), and an excess shows that some keys fire more often.
 */
public final class DispersionTest {

  private DispersionTest() {}

  /**
   * The index-of-dispersion test: {@code D = sum_k (c_k - mean)^2 / mean} over {@code K} counts,
   * compared with the chi-square law on {@code K - 1} degrees of freedom, the law of D for
   * independent Poisson counts with one mean. Binomial counts (variance {@code mean (1 - p)})
   * make it conservative. The p-value {@code P[chi2(K - 1) >= D] = Q((K - 1) / 2, D / 2)} is
   * computed in log space ({@link Tails#log10GammaSurvival}). When every count is 0 the test has
   * no information: {@code D = 0} and {@code log10 p = 0}.
   *
   * @param counts the counts, each {@code >= 0}, at least two
   * @return D and {@code log10 P[chi2(K - 1) >= D]}
   * @throws IllegalArgumentException if fewer than two counts are given or one is negative
   */
  public static TestResult poisson(long[] counts) {
    if (counts.length < 2) {
      throw new IllegalArgumentException(Tails.format("counts.length is not in [2, inf): %d", counts.length));
    }
    double sum = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] < 0) {
        throw new IllegalArgumentException(Tails.format("counts[%d] is not in [0, inf): %d", i, counts[i]));
      }
      sum += counts[i];
    }
    if (sum == 0) {
      return new TestResult(0, 0);
    }
    double mean = sum / counts.length;
    double d = 0;
    for (long c : counts) {
      d += (c - mean) * (c - mean);
    }
    d /= mean;
    return new TestResult(d, Tails.log10GammaSurvival((counts.length - 1) / 2.0, d / 2));
  }
}
