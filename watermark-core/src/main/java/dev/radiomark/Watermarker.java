package dev.radiomark;

import dev.radiomark.key.WatermarkKey;
import dev.radiomark.scheme.Schemes;

/**
 * A watermark scheme bound to a key: the serving side ({@link #processor()}, {@link #sampler})
 * and the primitives detection is built on ({@link #windowSeed}, {@link #tupleSeed},
 * {@link #score}). Immutable and thread-safe.
 *
 * <p>Scoring model: at position t with window w (the h tokens before t), the scheme's keyed
 * function of the pair (w, x_t) gives a score whose law, for text written without the key, is
 * known exactly: Bernoulli(gamma) for the green list, Exp(1) for Gumbel, Binomial(m, 1/2) for the
 * tournament. Two positions with equal {@link #tupleSeed} and token always score the same, so
 * detectors count each such tuple once.
 */
public interface Watermarker {
  /**
   * Binds a spec to a key.
   *
   * @param key the secret key
   * @param spec the parameters
   * @return the watermarker
   */
  static Watermarker of(WatermarkKey key, WatermarkSpec spec) {
    return Schemes.create(key, spec);
  }

  /**
   * The parameters.
   *
   * @return the spec
   */
  WatermarkSpec spec();

  /**
   * The id of the key (never the secret).
   *
   * @return the key id
   */
  String keyId();

  /**
   * The public fingerprint of the key (never the secret), as {@link WatermarkKey#fingerprint()}.
   *
   * @return 32 lowercase hex digits
   */
  String keyFingerprint();

  /**
   * The in-place logits bias of the green-list scheme.
   *
   * @return the processor
   * @throws UnsupportedOperationException for Gumbel and tournament, which change the sampling
   *     rule rather than the logits: use {@link #sampler}
   */
  LogitsProcessor processor();

  /**
   * The watermarked sampler.
   *
   * @param config sampling parameters
   * @return the sampler
   */
  Sampler sampler(SamplingConfig config);

  /**
   * The seed of the window that precedes position {@code end}: tokens {@code [end - h, end)}.
   *
   * @param tokens token ids
   * @param end position of the token that follows the window; {@code h <= end <= tokens.length}
   * @return the window seed
   */
  long windowSeed(int[] tokens, int end);

  /**
   * {@link #windowSeed} of the windows that precede positions {@code from} to {@code to - 1}, bit
   * for bit: {@code out[off + (e - from)] = windowSeed(tokens, e)}. Implementations may hash
   * several windows per loop body.
   *
   * @param tokens token ids
   * @param from first end position; {@code h <= from <= to <= tokens.length}
   * @param to last end position, exclusive
   * @param out receives the seeds, {@code to - from} of them from index {@code off}
   * @param off first index of {@code out} written
   */
  default void windowSeeds(int[] tokens, int from, int to, long[] out, int off) {
    for (int e = from; e < to; e++) {
      out[off + (e - from)] = windowSeed(tokens, e);
    }
  }

  /**
   * The seed the keyed function actually uses for {@code token} after a window: the window seed
   * itself, except under the self-seeding rule where the token takes part. Detectors
   * de-duplicate on {@code (tupleSeed, token)}. A tuple seed is its own tuple seed,
   * {@code tupleSeed(tupleSeed(w, x), x) == tupleSeed(w, x)}, so {@code score(tupleSeed(w, x), x)
   * == score(w, x)}: a detector may score a tuple at its tuple seed.
   *
   * @param windowSeed a window seed
   * @param token token id
   * @return the tuple seed
   */
  long tupleSeed(long windowSeed, int token);

  /**
   * The tuple seeds of the positions {@code from} to {@code to - 1}, bit for bit:
   * {@code out[off + (e - from)] = tupleSeed(windowSeed(tokens, e), tokens[e])}. Detectors
   * call it once per run of positions instead of two calls per position.
   *
   * @param tokens token ids
   * @param from first position; {@code h <= from <= to <= tokens.length}
   * @param to last position, exclusive
   * @param out receives the tuple seeds, {@code to - from} of them from index {@code off}
   * @param off first index of {@code out} written
   * @throws IllegalArgumentException if the range or {@code off} is out of bounds
   */
  default void tupleSeeds(int[] tokens, int from, int to, long[] out, int off) {
    windowSeeds(tokens, from, to, out, off);
    for (int e = from; e < to; e++) {
      out[off + (e - from)] = tupleSeed(out[off + (e - from)], tokens[e]);
    }
  }

  /**
   * {@link #tupleSeed} of {@code n} (window seed, token) pairs, bit for bit:
   * {@code out[i] = tupleSeed(windowSeeds[from + i], tokens[from + i])} for i in [0, n).
   *
   * @param windowSeeds window seeds
   * @param tokens tokens, paired by index with {@code windowSeeds}
   * @param from first index of the pairs read
   * @param n number of pairs, {@code from + n} at most both arrays' lengths
   * @param out receives the tuple seeds from index 0; length at least {@code n}
   */
  default void tupleSeeds(long[] windowSeeds, int[] tokens, int from, int n, long[] out) {
    for (int i = 0; i < n; i++) {
      out[i] = tupleSeed(windowSeeds[from + i], tokens[from + i]);
    }
  }

  /**
   * {@link #score} of a token at one of its tuple seeds, without computing the tuple seed again:
   * when {@code tupleSeed == tupleSeed(w, token)} for some window seed w, the result is
   * {@code score(tupleSeed, token)} (equal to {@code score(w, token)}) bit for bit. For other
   * seeds the result is unspecified.
   *
   * @param tupleSeed a tuple seed of {@code token}
   * @param token token id
   * @return the score
   */
  default double scoreAtTupleSeed(long tupleSeed, int token) {
    return score(tupleSeed, token);
  }

  /**
   * {@link #scoreAtTupleSeed} of {@code n} (tuple seed, token) pairs, bit for bit:
   * {@code out[i] = scoreAtTupleSeed(tupleSeeds[i], tokens[i])} for i in [0, n).
   *
   * @param tupleSeeds tuple seeds, each a tuple seed of its token
   * @param tokens tokens, paired by index with {@code tupleSeeds}
   * @param n number of pairs, in [0, min(tupleSeeds.length, tokens.length, out.length)]
   * @param out receives the scores from index 0
   */
  default void scoresAtTupleSeeds(long[] tupleSeeds, int[] tokens, int n, double[] out) {
    for (int i = 0; i < n; i++) {
      out[i] = scoreAtTupleSeed(tupleSeeds[i], tokens[i]);
    }
  }

  /**
   * The detection score of {@code token} after a window: 1 or 0 (green or not), -ln(1 - u)
   * (Gumbel), or the number of g-values equal to 1 over the m layers (tournament).
   *
   * @param windowSeed a window seed
   * @param token token id
   * @return the score
   */
  double score(long windowSeed, int token);
}
