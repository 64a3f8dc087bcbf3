package dev.radiomark.verify;

import java.util.Collection;
import java.util.Locale;

/**
 * The one rule that turns a (corrected) p-value into a {@link Verdict}. Every result of the
 * detector, the radioactivity tests, the command line and the demo takes its verdict from here.
 *
 * <p>With n distinct tuples scored and the corrected p-value p, at level alpha, in a family of F
 * hypotheses corrected together (Holm; F = 1 for a single test):
 * <ol>
 *   <li>p undefined (NaN): {@link Verdict#INCONCLUSIVE};
 *   <li>p &lt;= alpha: {@link Verdict#FLAGGED}, whatever n;
 *   <li>n &lt; {@link #minTuples()}: {@link Verdict#INCONCLUSIVE} (this includes n = 0: nothing
 *       scored, the rate is NaN);
 *   <li>otherwise {@link Verdict#NOT_FLAGGED}: no evidence at alpha, which is not evidence of
 *       absence.
 * </ol>
 *
 * <p>{@link #minTuples()} is the larger of two counts, both taken at the level alpha / F that the
 * most significant member of a Holm family must reach:
 * <ul>
 *   <li>the <b>extreme</b> count: the smallest n at which the most extreme score possible (every
 *       tuple green for the green list: gamma^n &lt;= alpha / F; every g-value 1 for the
 *       tournament: 2^(-n m) &lt;= alpha / F) reaches the level. Below it, not even a perfect
 *       text could be flagged. Gumbel scores are unbounded, so this count is 1;
 *   <li>the <b>minimum-evidence</b> count: the smallest n at which a typical watermarked text,
 *       whose score per tuple equals {@link NullModel#watermarkedMeanPerTuple()} (green list:
 *       gamma e^delta / (1 + gamma (e^delta - 1)) with the spec's delta; Gumbel: 2, twice the
 *       null mean; tournament: m (3/4 - 1/(4|V|))), reaches the level. Below it, a "not flagged"
 *       would mostly reflect a text too short to show a watermark that is there.
 * </ul>
 * At gamma 0.25, delta 2 and alpha 1e-6 the counts are 10 and 27 tuples. When a watermarked text
 * cannot be told from the null (delta = 0), no n is enough: every unflagged result is
 * inconclusive. For radioactivity the lift of a student is far smaller than that of watermarked
 * text, so a not_flagged verdict there says only "no evidence at alpha", never "did not train".
 *
 * <p>Instances are immutable; build one per null model, level and family size and reuse it (the
 * counts take a bisection of up to a few dozen tail evaluations).
 */
public final class Evidence {
  /** Searches stop here: a level that needs more tuples is treated as unreachable. */
  private static final long MAX_TUPLES = 1L << 40;

  private final double log10Alpha;
  private final long extremeTuples;
  private final long minTuples;

  private Evidence(double log10Alpha, long extremeTuples, long minTuples) {
    this.log10Alpha = log10Alpha;
    this.extremeTuples = extremeTuples;
    this.minTuples = minTuples;
  }

  /**
   * The rule for one test at level alpha.
   *
   * @param nullModel the null of the scheme
   * @param alpha significance level in (0, 1)
   * @return the rule
   * @throws IllegalArgumentException if alpha is not in (0, 1)
   */
  public static Evidence of(NullModel nullModel, double alpha) {
    return of(nullModel, alpha, 1);
  }

  /**
   * The rule for a member of a family of {@code family} hypotheses corrected together at
   * family-wise level alpha.
   *
   * @param nullModel the null of the scheme
   * @param alpha family-wise significance level in (0, 1)
   * @param family number of hypotheses corrected together, at least 1
   * @return the rule
   * @throws IllegalArgumentException if alpha is not in (0, 1) or family is less than 1
   */
  public static Evidence of(NullModel nullModel, double alpha, int family) {
    checkAlpha(alpha);
    if (family < 1) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "family is not in [1, 2147483647]: %d", family));
    }
    double level = Math.log10(alpha) - Math.log10(family);
    double max = nullModel.maxPerTuple();
    long extreme = Double.isInfinite(max) ? 1 : tuplesToReach(nullModel, max, level);
    long typical = tuplesToReach(nullModel, nullModel.watermarkedMeanPerTuple(), level);
    return new Evidence(Math.log10(alpha), extreme, Math.max(extreme, typical));
  }

  /**
   * The verdict of one test, by the rule in the class comment.
   *
   * @param tuplesScored distinct tuples scored, n
   * @param log10PCorrected log10 of the p-value after every correction applied to it
   * @return flagged, not_flagged or inconclusive
   */
  public Verdict verdict(long tuplesScored, double log10PCorrected) {
    if (Double.isNaN(log10PCorrected)) {
      return Verdict.INCONCLUSIVE;
    }
    if (log10PCorrected <= log10Alpha) {
      return Verdict.FLAGGED;
    }
    return tuplesScored < minTuples ? Verdict.INCONCLUSIVE : Verdict.NOT_FLAGGED;
  }

  /**
   * One-off form of {@link #verdict(long, double)} for a single test.
   *
   * @param nullModel the null of the scheme
   * @param tuplesScored distinct tuples scored
   * @param log10P log10 of the p-value
   * @param alpha significance level in (0, 1)
   * @return the verdict
   * @throws IllegalArgumentException if alpha is not in (0, 1)
   */
  public static Verdict verdict(NullModel nullModel, long tuplesScored, double log10P, double alpha) {
    return of(nullModel, alpha).verdict(tuplesScored, log10P);
  }

  /**
   * The verdict of a family (one text under several keys, one suspect under several cohorts):
   * flagged if any member is flagged; otherwise inconclusive if any member is (that key could not
   * be ruled out); otherwise not_flagged. An empty family is inconclusive.
   *
   * @param verdicts the members' verdicts
   * @return the family's verdict
   */
  public static Verdict combine(Collection<Verdict> verdicts) {
    if (verdicts.contains(Verdict.FLAGGED)) {
      return Verdict.FLAGGED;
    }
    if (verdicts.isEmpty() || verdicts.contains(Verdict.INCONCLUSIVE)) {
      return Verdict.INCONCLUSIVE;
    }
    return Verdict.NOT_FLAGGED;
  }

  /**
   * Smallest n at which a perfect text could reach the level (1 for Gumbel).
   *
   * @return the count, or {@link Long#MAX_VALUE} if none
   */
  public long extremeTuples() {
    return extremeTuples;
  }

  /**
   * Tuples needed before an unflagged result counts as not_flagged: the larger of the extreme
   * and the minimum-evidence counts.
   *
   * @return the count, or {@link Long#MAX_VALUE} when a watermarked text never reaches the
   *     level (delta = 0)
   */
  public long minTuples() {
    return minTuples;
  }

  /** Smallest n with log10P(n, n mean) &lt;= level, by doubling then bisection. */
  private static long tuplesToReach(NullModel nul, double mean, double level) {
    if (!(mean > nul.meanPerTuple())) {
      return Long.MAX_VALUE;
    }
    long hi = 1;
    while (!reaches(nul, hi, mean, level)) {
      if (hi >= MAX_TUPLES) {
        return Long.MAX_VALUE;
      }
      hi *= 2;
    }
    long lo = hi / 2; // fails (or 0)
    while (hi - lo > 1) {
      long mid = (lo + hi) >>> 1;
      if (reaches(nul, mid, mean, level)) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return hi;
  }

  private static boolean reaches(NullModel nul, long n, double mean, double level) {
    return nul.log10P(n, n * mean) <= level;
  }

  static void checkAlpha(double alpha) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "alpha is not in (0, 1): %s", alpha));
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "Evidence[log10 alpha=%.3f, extreme n=%d, min n=%d]", log10Alpha,
        extremeTuples, minTuples);
  }
}
