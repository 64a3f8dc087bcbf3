package dev.radiomark.verify.radioactivity;

import java.util.List;

/**
 * The same radioactivity test run under every cohort key: each key's result, its raw and
 * Holm-corrected log10 p, and which cohorts' outputs the suspect learned from at the
 * family-wise level alpha.
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
   * @param learned whether the corrected p is at most alpha
   */
  public record Entry(RadioactivityResult result, double log10PCorrected, boolean learned) {
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
   * The key ids of the cohorts whose outputs the suspect learned from.
   *
   * @return key ids, in input order; empty if none
   */
  public List<String> learnedFrom() {
    return entries.stream().filter(Entry::learned).map(Entry::keyId).toList();
  }
}
