package dev.radiomark.verify;

/**
 * The three words every result is reported with, in JSON, tables, stderr and the demo.
 *
 * <ul>
 *   <li>{@link #FLAGGED}: the (corrected) p-value is at or below alpha;
 *   <li>{@link #NOT_FLAGGED}: the test had enough evidence to reach alpha and did not;
 *   <li>{@link #INCONCLUSIVE}: the evidence could not decide (nothing scored, too few tuples for
 *       even a fully watermarked text to reach alpha, or an undefined rate).
 * </ul>
 */
public enum Verdict {
  /** The p-value, after every correction, is at or below alpha. */
  FLAGGED("flagged"),
  /** Enough evidence to decide, and the p-value is above alpha. */
  NOT_FLAGGED("not_flagged"),
  /** Too little evidence to decide either way. */
  INCONCLUSIVE("inconclusive");

  private final String word;

  Verdict(String word) {
    this.word = word;
  }

  /** @return the word used in every output: flagged, not_flagged or inconclusive */
  public String word() {
    return word;
  }

  @Override
  public String toString() {
    return word;
  }
}
