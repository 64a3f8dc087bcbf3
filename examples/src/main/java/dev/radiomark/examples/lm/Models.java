package dev.radiomark.examples.lm;

import java.util.Locale;

/** Static factories for the language models of this package. */
public final class Models {

  private Models() {}

  /**
   * Trains an interpolated Kneser-Ney model over the o200k_base id space
   * ({@value Corpus#O200K_VOCAB_SIZE} ids).
   *
   * @param order n-gram order, in [2, 5]
   * @param data training sequences (each one a verse), token ids in [0, 200019)
   * @throws IllegalArgumentException if order is out of range, data is empty or holds an id out
   *     of range
   */
  public static KneserNeyModel kneserNey(int order, int[][] data) {
    return kneserNey(order, data, Corpus.O200K_VOCAB_SIZE);
  }

  /**
   * Trains an interpolated Kneser-Ney model over the id space {@code [0, vocabSize)}.
   *
   * @param order n-gram order, in [2, 5]
   * @param data training sequences, token ids in [0, vocabSize)
   * @param vocabSize size of the id space, at least 1
   * @throws IllegalArgumentException if a parameter is out of range or data holds no tokens
   */
  public static KneserNeyModel kneserNey(int order, int[][] data, int vocabSize) {
    if (order < 2 || order > 5) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "order is not in [2, 5]: %d", order));
    }
    checkVocab(vocabSize);
    if (data == null) {
      throw new IllegalArgumentException("data is null");
    }
    return KneserNeyLm.train(order, data, vocabSize);
  }

  /**
   * Trains a feed-forward neural model with ND4J over the o200k_base id space.
   *
   * @param cfg architecture and training budget
   * @param data training sequences (each one a verse), token ids in [0, 200019)
   * @param seed seed of the weight initialisation and the example shuffle
   * @throws IllegalArgumentException if data is empty or holds an id out of range
   */
  public static NeuralModel neural(NeuralConfig cfg, int[][] data, long seed) {
    return neural(cfg, data, Corpus.O200K_VOCAB_SIZE, seed);
  }

  /**
   * Trains a feed-forward neural model with ND4J over the id space {@code [0, vocabSize)}.
   *
   * @param cfg architecture and training budget
   * @param data training sequences, token ids in [0, vocabSize)
   * @param vocabSize size of the id space, at least 1
   * @param seed seed of the weight initialisation and the example shuffle
   * @throws IllegalArgumentException if a parameter is out of range or data holds no tokens
   */
  public static NeuralModel neural(NeuralConfig cfg, int[][] data, int vocabSize, long seed) {
    if (cfg == null) {
      throw new IllegalArgumentException("cfg is null");
    }
    checkVocab(vocabSize);
    if (data == null) {
      throw new IllegalArgumentException("data is null");
    }
    return FeedForwardLm.train(cfg, data, vocabSize, seed);
  }

  private static void checkVocab(int vocabSize) {
    if (vocabSize < 1) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "vocabSize is not >= 1: %d", vocabSize));
    }
  }
}
