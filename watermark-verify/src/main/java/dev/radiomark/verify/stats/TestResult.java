package dev.radiomark.verify.stats;

/**
 * The outcome of a significance test: the test statistic and the p-value as {@code log10 p}.
 *
 * <p>Shaped like Commons Statistics' {@code SignificanceResult}, but the p-value is carried in
 * log10 space so that evidence far below {@code 1e-308} survives.
 *
 * @param statistic the test statistic (its meaning and units are defined by the test)
 * @param log10P base-10 logarithm of the p-value, in {@code [-inf, 0]}
 */
public record TestResult(double statistic, double log10P) {

  /**
   * Validates the components.
   *
   * @param statistic the test statistic, not NaN
   * @param log10P base-10 logarithm of the p-value, in {@code [-inf, 0]}
   * @throws IllegalArgumentException if {@code statistic} is NaN or {@code log10P} is NaN or
   *     positive
   */
  public TestResult {
    if (Double.isNaN(statistic)) {
      throw new IllegalArgumentException("statistic is not a number: NaN");
    }
    Tails.checkLog10P("log10P", log10P);
  }

  /**
   * Returns the p-value, {@code 10^log10P}, for display. It is 0 below {@code 1e-323}; decide
   * with {@link #reject(double)} or by comparing {@link #log10P()} instead.
   *
   * @return the p-value in {@code [0, 1]}
   */
  public double pValue() {
    return Tails.pFromLog10(log10P);
  }

  /**
   * Returns true if the null hypothesis is rejected at significance level {@code alpha}, that
   * is if {@code p < alpha}, compared in log10 space.
   *
   * @param alpha significance level, in {@code (0, 1)}
   * @return {@code log10P < log10(alpha)}
   * @throws IllegalArgumentException if {@code alpha} is not in {@code (0, 1)}
   */
  public boolean reject(double alpha) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException(Tails.format("alpha is not in (0, 1): %s", alpha));
    }
    return log10P < Math.log10(alpha);
  }
}
