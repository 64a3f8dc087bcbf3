package dev.radiomark.examples.lm;

/**
 * An interpolated Kneser-Ney n-gram model over token ids, smoothed down to a uniform
 * distribution over the whole id space so that every id has a nonzero probability.
 *
 * <p>With {@code h} the last {@code k - 1} tokens and {@code h'} its suffix of length
 * {@code k - 2}, each order {@code k >= 2} is
 * <pre>
 *   p_k(w | h) = max(c_k(h w) - D_k, 0) / c_k(h) + D_k * T_k(h) / c_k(h) * p_{k-1}(w | h')
 * </pre>
 * where {@code c_k} is the raw count at the highest order and the continuation count (number of
 * distinct left extensions) below it, {@code c_k(h) = sum_w c_k(h w)}, {@code T_k(h)} is the
 * number of distinct {@code w} after {@code h}, and {@code p_k = p_{k-1}} when {@code h} was never
 * seen. The unigram level uses continuation counts and interpolates with {@code 1 / vocabSize()}.
 * The discount per order is {@code D_k = n1 / (n1 + 2 n2)} (Ney, Essen and Kneser 1994) clamped
 * to {@code [0.05, 0.95]}, or 0.5 when {@code n1} or {@code n2} is zero.
 * Sequences are padded on the left with {@code order - 1} beginning-of-sequence symbols; no
 * end-of-sequence token is modelled.
 */
public interface KneserNeyModel extends LanguageModel {

  /** The n-gram order, in {@code [2, 5]}. */
  int order();

  /** Number of distinct token ids seen in training. */
  int typeCount();

  /**
   * The probability of {@code token} after {@code context[0, len)}, in {@code (0, 1]}.
   *
   * @throws IllegalArgumentException if {@code len} or {@code token} is out of range
   */
  double probability(int[] context, int len, int token);
}
