package dev.radiomark;

import dev.radiomark.scheme.Schemes;
import java.nio.FloatBuffer;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * One sampling step: temperature, top-k, top-p and the scheme's sampling rule (multinomial after
 * the green-list bias, Gumbel argmax, or tournament reweighting). Immutable and thread-safe;
 * per-sequence data lives in a {@link DecodeState}. Logits are read, never modified.
 *
 * <p>Only candidates within {@link SamplingConfig#margin()} of the largest tempered logit are
 * evaluated; the law sampled is still the exact one up to float rounding. On real logits most of
 * the vocabulary usually lies within the margin, so the margin bounds the work rather than
 * removing it: the green-list bias costs one SplitMix64 step per candidate, while the Gumbel and
 * tournament rules run only on the candidates left after top-k and top-p.
 */
public interface Sampler {
  /**
   * A sampler without any watermark: the baseline that the watermarked samplers are measured
   * against, and what serving code uses when watermarking is off.
   *
   * @param vocabSize logits row width
   * @param config sampling parameters
   * @return the plain sampler
   */
  static Sampler plain(int vocabSize, SamplingConfig config) {
    return Schemes.plainSampler(vocabSize, config);
  }

  /**
   * The vocabulary size (row width) this sampler accepts.
   *
   * @return the vocabulary size
   */
  int vocabSize();

  /**
   * New per-sequence state.
   *
   * @param random non-keyed randomness for multinomial draws (the Gumbel rule never uses it)
   * @return a fresh state
   */
  DecodeState newState(UniformRandomProvider random);

  /**
   * Samples the next token from a full logits row.
   *
   * @param logits exactly {@code vocabSize} finite or -Infinity logits
   * @param tokens context token ids; {@code tokens[0, len)} precede the next token
   * @param len context length
   * @param state this sequence's state
   * @return the token id
   * @throws IllegalArgumentException on a row of the wrong width, a NaN logit, or a row
   *     without any finite logit
   */
  int sample(float[] logits, int[] tokens, int len, DecodeState state);

  /**
   * Samples the next token from a full logits row held in a buffer, as ONNX Runtime, llama.cpp
   * bindings and Jlama return them: the row is the buffer's remaining floats, heap or direct, in
   * the buffer's byte order. The row is not copied (a heap buffer's array is read in place, a
   * direct buffer in blocks of a few thousand floats); the buffer's position, limit and contents
   * are not changed. Same token as {@link #sample(float[], int[], int, DecodeState)} on the same
   * values.
   *
   * @param logits a buffer with exactly {@code vocabSize} floats remaining, finite or -Infinity
   * @param tokens context token ids; {@code tokens[0, len)} precede the next token
   * @param len context length
   * @param state this sequence's state
   * @return the token id
   * @throws IllegalArgumentException on a row of the wrong width, a NaN logit, or a row
   *     without any finite logit
   */
  int sample(FloatBuffer logits, int[] tokens, int len, DecodeState state);

  /**
   * Samples among candidates a serving engine already selected (for example its top 50).
   *
   * @param ids candidate ids in [0, vocabSize)
   * @param logits their logits
   * @param k number of candidates used
   * @param tokens context token ids
   * @param len context length
   * @param state this sequence's state
   * @return the token id, one of the candidates
   */
  int sampleCandidates(int[] ids, float[] logits, int k, int[] tokens, int len, DecodeState state);

  /**
   * Samples one token for each of {@code batch} rows stored one after another.
   *
   * @param logits {@code batch * vocabSize} logits, row-major
   * @param batch number of rows
   * @param tokens context of each row
   * @param lens context length of each row
   * @param states state of each row's sequence
   * @param out receives the token of each row
   */
  void sampleBatch(float[] logits, int batch, int[][] tokens, int[] lens, DecodeState[] states, int[] out);
}
