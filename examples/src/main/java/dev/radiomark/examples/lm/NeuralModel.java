package dev.radiomark.examples.lm;

/**
 * A feed-forward neural language model (Bengio et al. 2003 style): the embeddings of the
 * previous {@link #contextSize()} tokens, concatenated, feed one tanh hidden layer and a softmax
 * over an output vocabulary of the most frequent training tokens. Tokens outside the output
 * vocabulary are never predicted and get the floor log probability {@link #FLOOR_LOGIT}.
 */
public interface NeuralModel extends LanguageModel {

  /** Log probability reported for tokens outside the output vocabulary. */
  float FLOOR_LOGIT = -100f;

  /** Number of previous tokens the model reads. */
  int contextSize();

  /** Number of token ids the model can predict. */
  int outputVocabSize();

  /**
   * Top-1 predictions for many contexts in batched forward passes: {@code out[i]} receives the
   * argmax after {@code contexts[i][0, lens[i])}, for {@code i < contexts.length}.
   *
   * @throws IllegalArgumentException if the arrays have different lengths, {@code out} is too
   *     short or a {@code lens[i]} is out of range
   */
  void argmaxBatch(int[][] contexts, int[] lens, int[] out);
}
