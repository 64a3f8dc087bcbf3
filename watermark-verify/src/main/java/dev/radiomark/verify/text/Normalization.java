package dev.radiomark.verify.text;

import java.text.Normalizer;
import java.util.Objects;

/**
 * Unicode normalization applied to text before it is tokenized.
 *
 * <p>The same visible text can arrive as different code point sequences (a precomposed
 * U+00E9 or U+0065 followed by the combining acute accent U+0301). Byte-level BPE
 * tokenizers give different tokens for the two forms, so a copy that went through a
 * normalizing editor or web form may lose its watermark. {@link #NFC} maps both forms to the
 * same tokens; {@link #NONE} tokenizes exactly what was given, which is what a generator that
 * decoded the tokens itself produced.
 */
public enum Normalization {
  /** Tokenize the text exactly as given. */
  NONE,
  /** Apply Unicode canonical composition ({@link Normalizer.Form#NFC}) before tokenizing. */
  NFC;

  /**
   * Applies this normalization.
   *
   * @param text the text, not null
   * @return the normalized text ({@code text} itself when nothing changes)
   * @throws NullPointerException if {@code text} is null
   */
  public String apply(String text) {
    if (this == NONE) {
      return Objects.requireNonNull(text, "text");
    }
    // isNormalized is a fast scan; it avoids copying text that is already NFC (the common case).
    return Normalizer.isNormalized(text, Normalizer.Form.NFC)
        ? text
        : Normalizer.normalize(text, Normalizer.Form.NFC);
  }
}
