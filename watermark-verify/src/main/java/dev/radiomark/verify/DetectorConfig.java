package dev.radiomark.verify;

import java.util.Arrays;

/**
 * Immutable detector options. The defaults are the valid ones; the switches that turn a
 * protection off exist so that tests and calibration can show what goes wrong without it.
 *
 * @param dedup which repeats are skipped (default {@link Dedup#TUPLE})
 * @param excludePromptWindows skip positions whose window occurs in the prompt (default true)
 * @param specialTokens token ids never scored (for example end-of-text); sorted copy
 */
public record DetectorConfig(Dedup dedup, boolean excludePromptWindows, int[] specialTokens) {

  /** Checks and copies. */
  public DetectorConfig {
    if (dedup == null) {
      throw new IllegalArgumentException("dedup is null");
    }
    specialTokens = specialTokens == null ? new int[0] : specialTokens.clone();
    Arrays.sort(specialTokens);
  }

  /**
   * Tuple de-duplication, prompt windows excluded, no special tokens.
   *
   * @return the defaults
   */
  public static DetectorConfig defaults() {
    return new DetectorConfig(Dedup.TUPLE, true, new int[0]);
  }

  /**
   * @param d de-duplication mode
   * @return a copy with this mode
   */
  public DetectorConfig withDedup(Dedup d) {
    return new DetectorConfig(d, excludePromptWindows, specialTokens);
  }

  /**
   * @param exclude whether windows occurring in the prompt are skipped
   * @return a copy with this setting
   */
  public DetectorConfig withExcludePromptWindows(boolean exclude) {
    return new DetectorConfig(dedup, exclude, specialTokens);
  }

  /**
   * @param ids token ids never scored
   * @return a copy with these special tokens
   */
  public DetectorConfig withSpecialTokens(int... ids) {
    return new DetectorConfig(dedup, excludePromptWindows, ids);
  }

  /** @return a copy of the special token ids, sorted */
  @Override
  public int[] specialTokens() {
    return specialTokens.clone();
  }

  /**
   * Whether any token id is special (never scored).
   *
   * @return true if {@link #specialTokens()} is not empty
   */
  public boolean hasSpecialTokens() {
    return specialTokens.length > 0;
  }

  boolean isSpecial(int token) {
    return specialTokens.length > 0 && Arrays.binarySearch(specialTokens, token) >= 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DetectorConfig c && c.dedup == dedup && c.excludePromptWindows == excludePromptWindows
        && Arrays.equals(c.specialTokens, specialTokens);
  }

  @Override
  public int hashCode() {
    return dedup.hashCode() * 31 + Boolean.hashCode(excludePromptWindows) + Arrays.hashCode(specialTokens);
  }

  @Override
  public String toString() {
    return "DetectorConfig[dedup=" + dedup + ", excludePromptWindows=" + excludePromptWindows
        + ", specialTokens=" + Arrays.toString(specialTokens) + "]";
  }
}
