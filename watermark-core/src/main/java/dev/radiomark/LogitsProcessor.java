package dev.radiomark;

import java.nio.FloatBuffer;

/**
 * Green-list bias applied in place to logits: {@code logits[v] += delta} for every green token
 * {@code v} of the current window. Immutable and safe to share across threads; allocates nothing.
 *
 * <p>When the context holds fewer than h tokens nothing is changed (those positions are neither
 * watermarked nor scored).
 */
public interface LogitsProcessor {
  /**
   * Biases one full row.
   *
   * @param logits a row of exactly {@code vocabSize} logits, modified in place
   * @param tokens context token ids; {@code tokens[0, len)} precede the next token
   * @param len context length
   * @throws IllegalArgumentException if the row width is not the vocabulary size
   */
  void bias(float[] logits, int[] tokens, int len);

  /**
   * Biases one full row held in a buffer (heap or direct), in place and without copying it: the
   * row is the buffer's remaining floats; position and limit are not changed.
   *
   * @param logits a buffer with exactly {@code vocabSize} floats remaining, modified in place
   * @param tokens context token ids; {@code tokens[0, len)} precede the next token
   * @param len context length
   * @throws IllegalArgumentException if the row width is not the vocabulary size
   * @throws java.nio.ReadOnlyBufferException if the buffer is read-only
   */
  void bias(FloatBuffer logits, int[] tokens, int len);

  /**
   * Biases {@code batch} rows stored one after another.
   *
   * @param logits {@code batch * vocabSize} logits, row-major, modified in place
   * @param batch number of rows
   * @param tokens context of each row
   * @param lens context length of each row
   * @throws IllegalArgumentException if the sizes do not match
   */
  void biasBatch(float[] logits, int batch, int[][] tokens, int[] lens);

  /**
   * Biases the logits of candidate tokens a serving engine already selected (top-k mode).
   *
   * @param ids candidate token ids, each in [0, vocabSize)
   * @param logits their logits, modified in place
   * @param k number of candidates used from both arrays
   * @param tokens context token ids
   * @param len context length
   * @throws IllegalArgumentException if an id is out of range or k exceeds an array
   */
  void biasCandidates(int[] ids, float[] logits, int k, int[] tokens, int len);
}
