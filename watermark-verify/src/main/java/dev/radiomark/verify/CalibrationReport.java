package dev.radiomark.verify;

import dev.radiomark.verify.stats.BinomialInterval;
import dev.radiomark.verify.stats.TestResult;

/**
 * Calibration of a detector on text written without the key, under many fresh keys.
 *
 * @param keys number of keys (one p-value each)
 * @param meanTuplesScored mean tuples scored per key
 * @param uniformity Kolmogorov-Smirnov test of the randomized p-values against U(0, 1)
 * @param falsePositives1e2 keys with p &lt;= 0.01
 * @param interval1e2 95% Clopper-Pearson interval of the false-positive rate at 0.01
 * @param falsePositives1e3 keys with p &lt;= 0.001
 * @param interval1e3 95% Clopper-Pearson interval of the false-positive rate at 0.001
 * @param log10P each key's log10 p (the reported, conservative p-value)
 * @param randomizedP each key's randomized p-value (exactly uniform under H0)
 */
public record CalibrationReport(
    int keys,
    double meanTuplesScored,
    TestResult uniformity,
    long falsePositives1e2,
    BinomialInterval interval1e2,
    long falsePositives1e3,
    BinomialInterval interval1e3,
    double[] log10P,
    double[] randomizedP) {

  /** Copies the arrays. */
  public CalibrationReport {
    log10P = log10P.clone();
    randomizedP = randomizedP.clone();
  }

  /** @return a copy of each key's log10 p */
  @Override
  public double[] log10P() {
    return log10P.clone();
  }

  /** @return a copy of each key's randomized p-value */
  @Override
  public double[] randomizedP() {
    return randomizedP.clone();
  }

  /**
   * The family-wise level of {@link #pass()}: {@value}, split equally over its three checks.
   */
  public static final double FAIL_LEVEL = 0.01;

  /**
   * The plain verdict of this calibration: false (fail) when any of three checks rejects at
   * {@link #FAIL_LEVEL} / 3 (Bonferroni, so a correct detector fails at most 1% of the time): the
   * Kolmogorov-Smirnov test of the randomized p-values against U(0, 1), or the exact one-sided
   * binomial test that the false-positive rate at 0.01, or at 0.001, is above its nominal value.
   *
   * @return true when no check shows the p-values to be invalid
   */
  public boolean pass() {
    double log10Level = Math.log10(FAIL_LEVEL / 3);
    return !(uniformity.log10P() <= log10Level
        || dev.radiomark.verify.stats.Tails.log10BinomialSurvival(keys, falsePositives1e2, 1e-2) <= log10Level
        || dev.radiomark.verify.stats.Tails.log10BinomialSurvival(keys, falsePositives1e3, 1e-3) <= log10Level);
  }
}
