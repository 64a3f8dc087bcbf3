package dev.radiomark.verify;

/**
 * The most significant contiguous segment of a text, with a p-value corrected for the search.
 *
 * @param start first text position of the segment (inclusive)
 * @param end last text position of the segment (exclusive)
 * @param tuplesScored scored tuples inside the segment
 * @param score summed score inside the segment
 * @param log10PRaw log10 p of the segment as if it had been chosen in advance (not valid alone)
 * @param log10P log10 p corrected for the search: Bonferroni, min(0, log10PRaw + log10 segmentsTried), for the
 *     dyadic grid; the scan-statistic bound times the number of lengths for {@link SegmentSearch#scan}
 * @param segmentsTried number of segments the search compared
 */
public record SegmentResult(int start, int end, long tuplesScored, double score, double log10PRaw,
    double log10P, long segmentsTried) {

  /**
   * Whether the corrected test rejects H0 at level alpha.
   *
   * @param alpha significance level in (0, 1)
   * @return true when the corrected p &lt;= alpha
   */
  public boolean reject(double alpha) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha is not in (0, 1): " + alpha);
    }
    return log10P <= Math.log10(alpha);
  }
}
