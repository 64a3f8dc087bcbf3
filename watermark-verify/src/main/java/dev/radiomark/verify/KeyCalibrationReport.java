package dev.radiomark.verify;

import dev.radiomark.verify.stats.BinomialInterval;
import dev.radiomark.verify.stats.TestResult;
import java.util.List;

/**
 * The per-document false-positive rate of one deployed key, measured on documents written
 * without it ({@link Calibration#ofKey}).
 *
 * <p>A document with no scored tuple has p = 1 and cannot fire: it is counted in
 * {@code unscored} and left out of every rate's denominator.
 *
 * @param keyId public id of the key (never its secret)
 * @param documents documents read
 * @param unscored documents with no scored tuple
 * @param meanTuplesScored mean tuples scored per scored document (0 when none was scored)
 * @param levels one entry per alpha of {@link Calibration#KEY_ALPHAS}, in that order
 */
public record KeyCalibrationReport(String keyId, int documents, int unscored, double meanTuplesScored,
    List<Level> levels) {

  /** Copies the levels. */
  public KeyCalibrationReport {
    levels = List.copyOf(levels);
  }

  /**
   * The count at one alpha.
   *
   * @param alpha the nominal level
   * @param flagged scored documents with p &lt;= alpha
   * @param scored scored documents (the denominator)
   * @param interval95 95% Clopper-Pearson interval of the key's per-document false-positive rate
   * @param excess exact one-sided binomial test of "rate &lt;= alpha": statistic {@code flagged},
   *     {@code log10 P[Binomial(scored, alpha) >= flagged]}
   */
  public record Level(double alpha, long flagged, long scored, BinomialInterval interval95, TestResult excess) {

    /** @return {@code flagged / scored}, 0 when nothing was scored */
    public double rate() {
      return scored == 0 ? 0 : (double) flagged / scored;
    }

    /**
     * Whether the key's rate is provably above alpha: the excess test rejects at
     * {@link Calibration#KEY_FAIL_LEVEL} divided by the number of alphas (Bonferroni), that is
     * the one-sided Clopper-Pearson lower bound at that confidence exceeds alpha.
     *
     * @return true if the rate is significantly above alpha
     */
    public boolean aboveNominal() {
      return excess.reject(Calibration.KEY_FAIL_LEVEL / Calibration.KEY_ALPHAS.size());
    }
  }

  /**
   * The criterion: the key passes unless its rate is provably above nominal at some alpha. A key
   * whose rate is at most nominal at every alpha fails with probability at most
   * {@link Calibration#KEY_FAIL_LEVEL} (documents drawn independently of the key).
   *
   * @return true unless some level is {@link Level#aboveNominal()}
   */
  public boolean pass() {
    return levels.stream().noneMatch(Level::aboveNominal);
  }
}
