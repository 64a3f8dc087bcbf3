package dev.radiomark.examples.lm;

/**
 * A next-token distribution over a fixed token id space {@code [0, vocabSize())}.
 *
 * <p>All scores are natural-log probabilities ("logits" normalised so that
 * {@code sum(exp(logit)) = 1} over the model's support). A context is the prefix
 * {@code context[0, len)}; a model that looks at fewer tokens uses the most recent ones, and a
 * context shorter than the model's window means "start of a verse" (it is padded with an
 * internal beginning-of-sequence symbol). Implementations are immutable and thread-safe.
 */
public interface LanguageModel {

  /** Size of the token id space (o200k_base: 200019 = max id + 1, specials included). */
  int vocabSize();

  /**
   * Writes the {@code n = min(k, support)} most likely next tokens after {@code context[0, len)}
   * into {@code ids[0, n)} and their log probabilities into {@code logits[0, n)}, in no
   * particular order, and returns {@code n}.
   *
   * @param context token ids, each in {@code [0, vocabSize())}
   * @param len number of context tokens used, in {@code [0, context.length]}
   * @param k number of candidates wanted, at least 1
   * @param ids receives the token ids; length at least {@code min(k, support)}
   * @param logits receives the natural-log probabilities; length at least {@code min(k, support)}
   * @return the number of candidates written
   * @throws IllegalArgumentException if {@code len} or {@code k} is out of range or an output
   *     array is too short
   */
  int topCandidates(int[] context, int len, int k, int[] ids, float[] logits);

  /**
   * The single most likely next token after {@code context[0, len)} (ties: the smaller id or the
   * implementation's fixed order).
   *
   * @throws IllegalArgumentException if {@code len} is not in {@code [0, context.length]}
   */
  int argmax(int[] context, int len);

  /**
   * Writes the next-token log probabilities of every id into
   * {@code out[off, off + vocabSize())}. Tokens the model never predicts get a finite floor
   * value.
   *
   * @throws IllegalArgumentException if {@code len} or the output range is out of bounds
   */
  void logits(int[] context, int len, float[] out, int off);
}
