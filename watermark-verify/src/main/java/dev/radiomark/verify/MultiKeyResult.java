package dev.radiomark.verify;

import java.util.List;
import java.util.Locale;

/**
 * One text (or pool) tested under several keys, and with segments, corrected as one family by
 * {@link MultiKey}: each key's raw and Holm-corrected log10 p and verdict, and the family's verdict.
 *
 * @param alpha family-wise significance level
 * @param family number of p-values corrected together: the keys, times 2 with segments
 * @param entries one entry per key, in the order given
 */
public record MultiKeyResult(double alpha, int family, List<Entry> entries) {
  /** Copies the list. */
  public MultiKeyResult {
    entries = List.copyOf(entries);
  }

  /**
   * One key's result.
   *
   * @param result the raw whole-text detection under this key
   * @param wholeLog10PCorrected Holm-adjusted log10 p of the whole-text test
   * @param verdict this key's verdict, taken at {@link #log10PCorrected()}
   * @param segment the best segment under this key, or null without segment search
   * @param segmentLog10PCorrected Holm-adjusted log10 p of the best segment (its Bonferroni
   *     p-value adjusted in the family); NaN without segment search
   * @param segmentVerdict the verdict of the segment test alone, or null without segment search
   */
  public record Entry(DetectionResult result, double wholeLog10PCorrected, Verdict verdict, SegmentResult segment,
      double segmentLog10PCorrected, Verdict segmentVerdict) {
    /**
     * The corrected log10 p this key's verdict is taken at: the smaller of the whole-text and
     * segment values.
     *
     * @return log10 p, in [-inf, 0]
     */
    public double log10PCorrected() {
      return segment == null ? wholeLog10PCorrected : Math.min(wholeLog10PCorrected, segmentLog10PCorrected);
    }
  }

  /**
   * The correction applied: {@code "holm"}, or {@code "none"} for a family of one.
   *
   * @return the name
   */
  public String correction() {
    return family > 1 ? "holm" : "none";
  }

  /**
   * The family's verdict ({@link Evidence#combine}).
   *
   * @return flagged if any key is flagged, else inconclusive if any key is, else not_flagged
   */
  public Verdict verdict() {
    return Evidence.combine(entries.stream().map(Entry::verdict).toList());
  }

  /**
   * The smallest corrected log10 p of the family: the one the family's flagged verdict rests on.
   *
   * @return log10 p, in [-inf, 0]
   */
  public double log10PCorrected() {
    return entries.stream().mapToDouble(Entry::log10PCorrected).min().orElse(0.0);
  }

  /**
   * The keys the sentence of the family's verdict is about: the flagged keys when flagged, every
   * key otherwise.
   *
   * @return key ids, in key order
   */
  public List<String> claimKeys() {
    boolean flagged = verdict() == Verdict.FLAGGED;
    return entries.stream().filter(e -> !flagged || e.verdict() == Verdict.FLAGGED)
        .map(e -> e.result().keyId()).toList();
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "MultiKeyResult[%s, %s over %d, log10 p corrected %.2f]", verdict(),
        correction(), family, log10PCorrected());
  }
}
