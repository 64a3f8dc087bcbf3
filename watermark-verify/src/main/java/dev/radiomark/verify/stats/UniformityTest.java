package dev.radiomark.verify.stats;

import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;

/**
 * Tests that p-values are uniform on {@code [0, 1]}, as they must be under the null when the
 * detector is calibrated (and stochastically larger, never smaller, for discrete tests).
 */
public final class UniformityTest {

  private static final double LN10 = Math.log(10);

  private UniformityTest() {}

  /**
   * One-sample, two-sided Kolmogorov-Smirnov test of {@code values} against {@code U(0, 1)}.
   *
   * <p>The statistic is {@code D = sup_u |F_n(u) - u|}. The p-value is computed by Commons
   * Statistics Inference 1.2 with its default method (the exact Kolmogorov distribution for
   * small samples, its accurate approximations for large ones). Where that p-value underflows
   * to 0, the Dvoretzky-Kiefer-Wolfowitz-Massart bound {@code P[D >= d] <= 2 exp(-2 n d^2)} is
   * reported instead: a finite, conservative value.
   *
   * <p>Discrete p-values (binomial tails on short texts) are super-uniform under the null, so
   * this test can reject them for being too large; use it on continuous scores or large
   * {@code n}, or look at the lower tail with a binomial count.
   *
   * @param values the sample, e.g. null p-values; each in {@code [0, 1]}, at least one
   * @return the statistic {@code D} and its log10 p-value
   * @throws IllegalArgumentException if {@code values} is empty or an element is not in
   *     {@code [0, 1]}
   */
  public static TestResult kolmogorovSmirnov(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("values.length is not in [1, inf): 0");
    }
    for (int i = 0; i < values.length; i++) {
      Tails.checkProbability("values[" + i + "]", values[i]);
    }
    final KolmogorovSmirnovTest.OneResult r =
      KolmogorovSmirnovTest.withDefaults().test(values, u -> u);
    final double d = r.getStatistic();
    final double p = r.getPValue();
    if (p > 0) {
      return new TestResult(d, Math.min(0, Math.log10(p)));
    }
    final double log10Bound = (Math.log(2) - 2.0 * values.length * d * d) / LN10;
    return new TestResult(d, Math.min(0, log10Bound));
  }
}
