package dev.radiomark.examples.lm;

import java.util.Locale;

/** Argument checks shared by the models; messages name the parameter, value and range. */
final class Checks {

  private Checks() {}

  /** Checks len and the last {@code window} context tokens that a model reads. */
  static void context(int[] context, int len, int vocabSize, int window) {
    if (context == null) {
      throw new IllegalArgumentException("context is null");
    }
    if (len < 0 || len > context.length) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "len is not in [0, %d]: %d", context.length, len));
    }
    for (int i = Math.max(0, len - window); i < len; i++) {
      if (context[i] < 0 || context[i] >= vocabSize) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "context[%d] is not in [0, %d): %d", i, vocabSize, context[i]));
      }
    }
  }

  /** Checks training data: no null sequence, every id in [0, vocabSize). */
  static void data(int[][] data, int vocabSize) {
    for (int s = 0; s < data.length; s++) {
      int[] seq = data[s];
      if (seq == null) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, "data[%d] is null", s));
      }
      for (int t = 0; t < seq.length; t++) {
        if (seq[t] < 0 || seq[t] >= vocabSize) {
          throw new IllegalArgumentException(String.format(Locale.ROOT,
              "data[%d][%d] is not in [0, %d): %d", s, t, vocabSize, seq[t]));
        }
      }
    }
  }

  static void token(int token, int vocabSize) {
    if (token < 0 || token >= vocabSize) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "token is not in [0, %d): %d", vocabSize, token));
    }
  }

  /** Checks k and the output arrays; returns min(k, support). */
  static int candidates(int k, int support, int[] ids, float[] logits) {
    if (k < 1) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "k is not >= 1: %d", k));
    }
    int n = Math.min(k, support);
    if (ids.length < n) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "ids.length is not >= min(k, support) = %d: %d", n, ids.length));
    }
    if (logits.length < n) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "logits.length is not >= min(k, support) = %d: %d", n, logits.length));
    }
    return n;
  }

  static void range(String name, int length, int off, int count) {
    if (off < 0 || off > length - count) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "%s offset is not in [0, %d]: %d", name, length - count, off));
    }
  }
}
