package dev.radiomark.verify;

import java.util.List;

/**
 * Detection under several keys at once (for example every tenant key): each key's raw result,
 * its family-wise corrected log10 p (Holm), and whether it fires at the level used.
 *
 * @param alpha family-wise significance level
 * @param entries one entry per key, in the order given
 */
public record MultiKeyResult(double alpha, List<Entry> entries) {
  /** Copies the list. */
  public MultiKeyResult {
    entries = List.copyOf(entries);
  }

  /**
   * One key's result.
   *
   * @param result the raw detection under this key
   * @param log10PCorrected Holm-adjusted log10 p over all keys
   * @param fires whether the corrected p is at most alpha
   */
  public record Entry(DetectionResult result, double log10PCorrected, boolean fires) {}

  /** @return whether any key fires */
  public boolean anyFires() {
    return entries.stream().anyMatch(Entry::fires);
  }
}
