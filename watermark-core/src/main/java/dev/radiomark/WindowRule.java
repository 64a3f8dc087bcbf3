package dev.radiomark;

import java.util.Locale;

/** How the context window of width h seeds the PRF. */
public enum WindowRule {
  /** SipHash of the h previous tokens in order ("left hash" for h = 1; a fixed list for h = 0). */
  ORDERED,
  /** Smallest keyed token hash over the h previous tokens: robust to reordering and edits. */
  MIN_HASH,
  /**
   * Min-hash over the h previous tokens and the candidate token itself ("self hash"): the seed
   * of candidate v is min(min-hash of the window, tokenHash(v)).
   */
  SELF_SEEDING;

  /**
   * The name used in key files: lower case with dashes.
   *
   * @return for example {@code "min-hash"}
   */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Parses a label.
   *
   * @param label {@code ordered}, {@code min-hash} or {@code self-seeding}
   * @return the rule
   * @throws IllegalArgumentException for any other label
   */
  public static WindowRule fromLabel(String label) {
    for (WindowRule r : values()) {
      if (r.label().equals(label)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "window rule is not one of ordered, min-hash, self-seeding: " + label);
  }
}
