package dev.radiomark.verify.radioactivity;

import dev.radiomark.verify.Evidence;
import dev.radiomark.verify.Verdict;
import java.util.List;

/**
 * The same radioactivity test run under every cohort key: each key's result, its raw and
 * Holm-corrected log10 p, and its verdict at the family-wise level alpha.
 *
 * @param alpha family-wise significance level
 * @param entries one entry per key, in the order given
 */
public record AttributionResult(double alpha, List<Entry> entries) {
  /** Copies the list. */
  public AttributionResult {
    entries = List.copyOf(entries);
  }

  /**
   * One cohort key.
   *
   * @param result the test under this key (its {@code log10P} is the raw p)
   * @param log10PCorrected Holm-adjusted log10 p over all keys
   * @param verdict the verdict at the corrected p ({@link Evidence}, family of all keys)
   */
  public record Entry(RadioactivityResult result, double log10PCorrected, Verdict verdict) {
    /** @return the key id */
    public String keyId() {
      return result.keyId();
    }

    /** @return the raw log10 p */
    public double log10PRaw() {
      return result.log10P();
    }
  }

  /**
   * Number of p-values corrected together (the keys).
   *
   * @return the family size
   */
  public int family() {
    return entries.size();
  }

  /**
   * The correction applied: {@code "holm"}, or {@code "none"} for one key.
   *
   * @return the name
   */
  public String correction() {
    return entries.size() > 1 ? "holm" : "none";
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
   * The key ids whose watermark the suspect carries beyond chance (verdict flagged).
   *
   * @return key ids, in input order; empty if none
   */
  public List<String> flaggedKeyIds() {
    return entries.stream().filter(e -> e.verdict() == Verdict.FLAGGED).map(Entry::keyId).toList();
  }

  /**
   * The keys the sentence of the family's verdict is about: the flagged keys when flagged, every
   * key otherwise.
   *
   * @return key ids, in input order
   */
  public List<String> claimKeys() {
    return verdict() == Verdict.FLAGGED ? flaggedKeyIds() : entries.stream().map(Entry::keyId).toList();
  }
}
