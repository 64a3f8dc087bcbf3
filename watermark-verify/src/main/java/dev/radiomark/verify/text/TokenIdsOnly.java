package dev.radiomark.verify.text;

import java.util.Locale;

/**
 * The vocabulary of a model whose tokenizer the verifier does not have: token ids
 * {@code [0, size)} only. Records give {@code "tokens"} (and {@code "prompt_tokens"}) instead of
 * text; encoding text is refused with a message that says so. Named {@code ids:SIZE}.
 */
final class TokenIdsOnly implements TextTokenizer {
  static final String PREFIX = "ids:";

  private final int size;

  private TokenIdsOnly(int size) {
    this.size = size;
  }

  /** Parses {@code ids:SIZE}, SIZE in [2, 2^31 - 1]. */
  static TokenIdsOnly parse(String name) {
    String n = name.substring(PREFIX.length());
    long v;
    try {
      v = Long.parseLong(n);
    } catch (NumberFormatException e) {
      v = -1;
    }
    if (v < 2 || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "the vocabulary size of %s is not an integer in [2, %d]: %s", name, Integer.MAX_VALUE, n));
    }
    return new TokenIdsOnly((int) v);
  }

  @Override
  public String name() {
    return PREFIX + size;
  }

  @Override
  public int vocabSize() {
    return size;
  }

  @Override
  public Normalization normalization() {
    return Normalization.NONE;
  }

  @Override
  public TextTokenizer withNormalization(Normalization normalization) {
    return this;
  }

  @Override
  public int[] encode(String text) {
    throw new IllegalArgumentException(name() + " has token ids only, no tokenizer: give \"tokens\" (and "
        + "\"prompt_tokens\") instead of \"text\" (and \"prompt\")");
  }

  /** The ids themselves, space-separated (there is no text to decode to). */
  @Override
  public String decode(int[] tokens, int off, int len) {
    StringBuilder b = new StringBuilder();
    for (int i = off; i < off + len; i++) {
      if (tokens[i] < 0 || tokens[i] >= size) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "token %d is not in [0, %d): %d", i, size, tokens[i]));
      }
      b.append(i == off ? "" : " ").append(tokens[i]);
    }
    return b.toString();
  }
}
