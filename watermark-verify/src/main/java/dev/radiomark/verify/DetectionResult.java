package dev.radiomark.verify;

/**
 * One detection: what was read and counted, the statistic and its exact p-value (as log10, which
 * never underflows). Shaped like Commons Statistics' {@code SignificanceResult}.
 *
 * @param keyId key the text was scored under
 * @param tokensRead tokens of text read (prompt tokens not included)
 * @param tokensScored distinct tuples scored (the n of the null)
 * @param skippedRepeats positions skipped because their tuple (or window) was already scored
 * @param skippedPrompt positions skipped because their window occurs in the prompt
 * @param skippedOther positions skipped otherwise: fewer than h tokens of context, a special
 *     token, a repeated window in the same text (tournament), or outside the window filter
 * @param score summed score S
 * @param nullMean expected score per tuple under H0
 * @param rateScale divisor that turns a mean score into a rate (1, or m for the tournament)
 * @param log10P log10 of P[S' &gt;= S] under H0; 0 when nothing was scored
 */
public record DetectionResult(
    String keyId,
    long tokensRead,
    long tokensScored,
    long skippedRepeats,
    long skippedPrompt,
    long skippedOther,
    double score,
    double nullMean,
    double rateScale,
    double log10P) {

  /**
   * The p-value as a double: for display only, it underflows to 0 below about 1e-308; use
   * {@link #log10P()} for decisions.
   *
   * @return 10^log10P
   */
  public double pValue() {
    return Math.pow(10, log10P);
  }

  /**
   * Whether H0 is rejected at level alpha.
   *
   * @param alpha significance level in (0, 1)
   * @return true when p &lt;= alpha
   */
  public boolean reject(double alpha) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha is not in (0, 1): " + alpha);
    }
    return log10P <= Math.log10(alpha);
  }

  /**
   * Mean score per tuple divided by the rate scale: the green rate for the green list, the mean
   * g-value for the tournament, the mean -ln(1-u) for Gumbel. NaN when nothing was scored.
   *
   * @return the observed rate
   */
  public double rate() {
    return tokensScored == 0 ? Double.NaN : score / tokensScored / rateScale;
  }

  /**
   * The rate expected under H0 (gamma, 1/2 or 1).
   *
   * @return the null rate
   */
  public double nullRate() {
    return nullMean / rateScale;
  }
}
