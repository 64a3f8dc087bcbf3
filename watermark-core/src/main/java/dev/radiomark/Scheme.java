package dev.radiomark;

/**
 * The watermark schemes, each with a frozen version. A change of any output is a new version
 * with a new domain label; old versions keep their test vectors.
 */
public enum Scheme {
  /** Green-list bias (Kirchenbauer et al.): +delta on the logits of a keyed gamma-fraction. */
  GREEN_LIST("green-list", 1),
  /** Gumbel / exponential sampling (Aaronson): emit argmax u^(1/p); distortion-free. */
  GUMBEL("gumbel", 1),
  /** Tournament sampling with binary g-values, N = 2 closed form (SynthID-Text); distortion-free. */
  TOURNAMENT("tournament", 1);

  private final String label;
  private final int version;

  Scheme(String label, int version) {
    this.label = label;
    this.version = version;
  }

  /**
   * The stable name used in key files and reports.
   *
   * @return for example {@code "green-list"}
   */
  public String label() {
    return label;
  }

  /**
   * The current version of this scheme.
   *
   * @return version number, from 1
   */
  public int version() {
    return version;
  }

  /**
   * The PRF domain label of this scheme and version, for example {@code "green-list/v1"}.
   *
   * @return the domain label
   */
  public String domain() {
    return label + "/v" + version;
  }

  /**
   * Parses a label.
   *
   * @param label one of {@code green-list}, {@code gumbel}, {@code tournament}
   * @return the scheme
   * @throws IllegalArgumentException for any other label
   */
  public static Scheme fromLabel(String label) {
    for (Scheme s : values()) {
      if (s.label.equals(label)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "scheme is not one of green-list, gumbel, tournament: " + label);
  }
}
