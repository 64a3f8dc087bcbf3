package dev.radiomark.verify.radioactivity;

import dev.radiomark.verify.Verdict;
import java.util.Locale;

/**
 * The anytime-valid test of one run (see {@link dev.radiomark.verify.stats.AnytimeTest}): a
 * betting martingale over the same scored tuples as the fixed-budget test, whose p-value stays
 * valid however the run was stopped or extended.
 *
 * @param log10P log10 of the anytime p-value {@code min(1, 1 / max_{s <= t} M_s)} after the
 *     {@code tuples} scored, in (-inf, 0]
 * @param tuples tuples the martingale consumed (the run's {@code tuplesScored})
 * @param supTuples tuples after which the wealth M was largest (where {@code log10P} was
 *     reached); 0 if M never exceeded 1
 * @param stopAlpha the run stopped at the first tuple where the anytime p was at most this level,
 *     in (0, 1)
 * @param budgetReached whether the run scored its whole budget
 */
public record AnytimeResult(double log10P, long tuples, long supTuples, double stopAlpha, boolean budgetReached) {

  /**
   * Whether the run stopped because the anytime p reached {@code stopAlpha}.
   *
   * @return {@code log10P <= log10(stopAlpha)}
   */
  public boolean stopped() {
    return log10P <= Math.log10(stopAlpha);
  }

  /**
   * The verdict at level alpha: {@link Verdict#FLAGGED} when the anytime p is at most alpha,
   * {@link Verdict#NOT_FLAGGED} when the whole budget was spent without reaching it, and
   * {@link Verdict#INCONCLUSIVE} when the input ran out first (more input can still decide, and
   * continuing the same stream keeps the p-value valid).
   *
   * @param alpha the level, in (0, 1)
   * @return the verdict
   * @throws IllegalArgumentException if alpha is not in (0, 1)
   */
  public Verdict verdict(double alpha) {
    return verdict(log10P, alpha);
  }

  /**
   * The verdict of a corrected anytime p-value of this run (for example Holm's over keys), by
   * the rule of {@link #verdict(double)}.
   *
   * @param log10PCorrected the corrected log10 p, in (-inf, 0]
   * @param alpha the family-wise level, in (0, 1)
   * @return the verdict
   * @throws IllegalArgumentException if alpha is not in (0, 1)
   */
  public Verdict verdict(double log10PCorrected, double alpha) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "alpha is not in (0, 1): %s", alpha));
    }
    if (log10PCorrected <= Math.log10(alpha)) {
      return Verdict.FLAGGED;
    }
    return budgetReached ? Verdict.NOT_FLAGGED : Verdict.INCONCLUSIVE;
  }
}
