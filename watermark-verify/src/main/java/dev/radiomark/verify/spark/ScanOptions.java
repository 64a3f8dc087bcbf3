package dev.radiomark.verify.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;

/**
 * Options of a {@link SparkScan}, with the defaults of {@code wm detect}.
 *
 * @param format the input format
 * @param alpha family-wise significance level in (0, 1) of each verdict
 * @param skipBad skip and count malformed JSONL lines (or Parquet rows) instead of failing
 * @param nfc apply Unicode NFC normalization before tokenizing
 * @param specialTokens token ids never scored
 */
public record ScanOptions(Format format, double alpha, boolean skipBad, boolean nfc, int[] specialTokens)
    implements Serializable {

  /** Input formats. */
  public enum Format {
    /** JSON Lines, one {@code {"text" or "tokens", "prompt" or "prompt_tokens", "id"}} object per line. */
    JSONL,
    /** Parquet with columns {@code text} (string) or {@code tokens} (array of int), optional
     * {@code id}, {@code prompt} (string) or {@code prompt_tokens} (array of int). */
    PARQUET
  }

  /**
   * Checks and copies the options.
   *
   * @throws IllegalArgumentException if alpha is not in (0, 1) or the format is null
   */
  public ScanOptions {
    if (format == null) {
      throw new IllegalArgumentException("format is null");
    }
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha is not in (0, 1): " + alpha);
    }
    specialTokens = specialTokens == null ? new int[0] : specialTokens.clone();
    for (int t : specialTokens) {
      if (t < 0) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, "special token is negative: %d", t));
      }
    }
  }

  /**
   * The defaults of {@code wm detect}: JSON Lines, alpha 1e-6, strict, no normalization, no special tokens.
   *
   * @return the defaults
   */
  public static ScanOptions defaults() {
    return new ScanOptions(Format.JSONL, 1e-6, false, false, new int[0]);
  }

  /**
   * A copy with another value.
   *
   * @param f the format
   * @return the copy
   */
  public ScanOptions withFormat(Format f) {
    return new ScanOptions(f, alpha, skipBad, nfc, specialTokens);
  }

  /**
   * A copy with another value.
   *
   * @param a the level in (0, 1)
   * @return the copy
   */
  public ScanOptions withAlpha(double a) {
    return new ScanOptions(format, a, skipBad, nfc, specialTokens);
  }

  /**
   * A copy with another value.
   *
   * @param skip whether to skip bad records
   * @return the copy
   */
  public ScanOptions withSkipBad(boolean skip) {
    return new ScanOptions(format, alpha, skip, nfc, specialTokens);
  }

  /**
   * A copy with another value.
   *
   * @param normalize whether to apply NFC
   * @return the copy
   */
  public ScanOptions withNfc(boolean normalize) {
    return new ScanOptions(format, alpha, skipBad, normalize, specialTokens);
  }

  /**
   * A copy with another value.
   *
   * @param ids token ids never scored
   * @return the copy
   */
  public ScanOptions withSpecialTokens(int... ids) {
    return new ScanOptions(format, alpha, skipBad, nfc, ids);
  }

  @Override
  public int[] specialTokens() {
    return specialTokens.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScanOptions s && s.format == format && Double.compare(s.alpha, alpha) == 0
        && s.skipBad == skipBad && s.nfc == nfc && Arrays.equals(s.specialTokens, specialTokens);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(specialTokens) * 31 + format.hashCode();
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "ScanOptions[%s, alpha %s, skipBad %s, nfc %s, %d special tokens]",
        format, alpha, skipBad, nfc, specialTokens.length);
  }
}
