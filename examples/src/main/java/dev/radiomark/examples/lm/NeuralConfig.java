package dev.radiomark.examples.lm;

import java.util.Locale;

/**
 * Architecture and training budget of a {@link NeuralModel}; immutable, validated on
 * construction.
 *
 * @param contextSize previous tokens read, in [1, 8]
 * @param embeddingDim embedding width per token, in [1, 1024]
 * @param hiddenDim tanh hidden units, in [1, 4096]
 * @param outputVocab number of most frequent training tokens the softmax covers, in [1, 65536]
 * @param batchSize examples per Adam step, in [1, 65536]
 * @param epochs passes over the training examples, in [1, 1000]
 * @param learningRate Adam step size, in (0, 1]
 * @param maxTrainTokens training positions used (the first ones, in data order), at least 1
 */
public record NeuralConfig(int contextSize, int embeddingDim, int hiddenDim, int outputVocab,
    int batchSize, int epochs, double learningRate, int maxTrainTokens) {

  /** Validates the components. @throws IllegalArgumentException naming the bad component */
  public NeuralConfig {
    check("contextSize", contextSize, 1, 8);
    check("embeddingDim", embeddingDim, 1, 1024);
    check("hiddenDim", hiddenDim, 1, 4096);
    check("outputVocab", outputVocab, 1, 65536);
    check("batchSize", batchSize, 1, 65536);
    check("epochs", epochs, 1, 1000);
    check("maxTrainTokens", maxTrainTokens, 1, Integer.MAX_VALUE);
    if (!(learningRate > 0 && learningRate <= 1)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "learningRate is not in (0, 1]: %s", learningRate));
    }
  }

  /**
   * Defaults sized for the demo on 2 CPU cores: context 3, embedding 48, hidden 96, output
   * vocabulary 2048, batch 512, 1 epoch, Adam learning rate 0.005, 150,000 training tokens.
   * Training time is linear in the tokens: 150,000 took 26 s on the shared 2-core build machine
   * (300,000 took 46-51 s there and give a lower perplexity; see examples/LM-NOTES.md).
   */
  public static NeuralConfig withDefaults() {
    return new NeuralConfig(3, 48, 96, 2048, 512, 1, 0.005, 150_000);
  }

  /** A copy with {@code contextSize} replaced. */
  public NeuralConfig withContextSize(int v) {
    return new NeuralConfig(v, embeddingDim, hiddenDim, outputVocab, batchSize, epochs,
        learningRate, maxTrainTokens);
  }

  /** A copy with {@code embeddingDim} replaced. */
  public NeuralConfig withEmbeddingDim(int v) {
    return new NeuralConfig(contextSize, v, hiddenDim, outputVocab, batchSize, epochs,
        learningRate, maxTrainTokens);
  }

  /** A copy with {@code hiddenDim} replaced. */
  public NeuralConfig withHiddenDim(int v) {
    return new NeuralConfig(contextSize, embeddingDim, v, outputVocab, batchSize, epochs,
        learningRate, maxTrainTokens);
  }

  /** A copy with {@code outputVocab} replaced. */
  public NeuralConfig withOutputVocab(int v) {
    return new NeuralConfig(contextSize, embeddingDim, hiddenDim, v, batchSize, epochs,
        learningRate, maxTrainTokens);
  }

  /** A copy with {@code batchSize} replaced. */
  public NeuralConfig withBatchSize(int v) {
    return new NeuralConfig(contextSize, embeddingDim, hiddenDim, outputVocab, v, epochs,
        learningRate, maxTrainTokens);
  }

  /** A copy with {@code epochs} replaced. */
  public NeuralConfig withEpochs(int v) {
    return new NeuralConfig(contextSize, embeddingDim, hiddenDim, outputVocab, batchSize, v,
        learningRate, maxTrainTokens);
  }

  /** A copy with {@code learningRate} replaced. */
  public NeuralConfig withLearningRate(double v) {
    return new NeuralConfig(contextSize, embeddingDim, hiddenDim, outputVocab, batchSize, epochs,
        v, maxTrainTokens);
  }

  /** A copy with {@code maxTrainTokens} replaced. */
  public NeuralConfig withMaxTrainTokens(int v) {
    return new NeuralConfig(contextSize, embeddingDim, hiddenDim, outputVocab, batchSize, epochs,
        learningRate, v);
  }

  private static void check(String name, int v, int lo, int hi) {
    if (v < lo || v > hi) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "%s is not in [%d, %d]: %d", name, lo, hi, v));
    }
  }
}
