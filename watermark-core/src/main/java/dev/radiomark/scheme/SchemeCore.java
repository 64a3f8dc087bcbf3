package dev.radiomark.scheme;

import dev.radiomark.LogitsProcessor;
import dev.radiomark.Sampler;
import dev.radiomark.SamplingConfig;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.WindowRule;
import dev.radiomark.key.WatermarkKey;
import dev.radiomark.prf.KeyedPrf;
import java.util.Locale;

/** What the three schemes share: the key, the window rule and the sampler hooks. */
abstract class SchemeCore implements Watermarker {
  final WatermarkSpec spec;
  final String keyId;
  private final String keyFingerprint;
  final KeyedPrf prf;
  final int h;
  final boolean selfSeeding;
  private final boolean ordered;

  SchemeCore(WatermarkKey key, WatermarkSpec spec) {
    this.spec = spec;
    this.keyId = key.id();
    this.keyFingerprint = key.fingerprint();
    this.prf = key.prf(spec.scheme().domain());
    this.h = spec.contextWidth();
    this.ordered = spec.windowRule() == WindowRule.ORDERED;
    this.selfSeeding = spec.windowRule() == WindowRule.SELF_SEEDING;
  }

  @Override
  public final WatermarkSpec spec() {
    return spec;
  }

  @Override
  public final String keyId() {
    return keyId;
  }

  @Override
  public final String keyFingerprint() {
    return keyFingerprint;
  }

  @Override
  public LogitsProcessor processor() {
    throw new UnsupportedOperationException(
        spec.scheme().label() + " changes the sampling rule, not the logits: use sampler()");
  }

  @Override
  public final Sampler sampler(SamplingConfig config) {
    return new StepSampler(this, spec.vocabSize(), spec.scheme().label(), config);
  }

  @Override
  public final long windowSeed(int[] tokens, int end) {
    if (end < h || end > tokens.length) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "end is not in [%d, %d]: %d", h, tokens.length, end));
    }
    return ordered ? prf.orderedSeed(tokens, end - h, end) : prf.minHashSeed(tokens, end - h, end);
  }

  @Override
  public final void windowSeeds(int[] tokens, int from, int to, long[] out, int off) {
    if (from < h || from > to || to > tokens.length) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "[from, to) is not within [%d, %d]: [%d, %d)", h, tokens.length, from, to));
    }
    if (off < 0 || off > out.length - (to - from)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "off is not in [0, %d]: %d", out.length - (to - from), off));
    }
    if (ordered) {
      prf.orderedSeeds(tokens, from, to - from, h, out, off);
    } else if (h > 0) {
      minHashSeeds(tokens, from, to, out, off);
    } else {
      for (int e = from; e < to; e++) {
        out[off + (e - from)] = prf.minHashSeed(tokens, e, e);
      }
    }
  }

  /**
   * Min-hash seeds of the windows ending at {@code from..to-1}, each token hashed once: first
   * {@code out} receives the hash of each window's last token, then, from the last window back
   * to the first, each slot becomes the unsigned minimum of its window's h hashes (the slots
   * below it still hold single token hashes; the h - 1 tokens before {@code from} are hashed
   * directly).
   */
  private void minHashSeeds(int[] tokens, int from, int to, long[] out, int off) {
    int count = to - from;
    for (int j = 0; j < count; j++) {
      out[off + j] = prf.tokenHash(tokens[from - 1 + j]);
    }
    for (int j = count - 1; j >= 0; j--) {
      long min = out[off + j];
      for (int k = 1; k < h; k++) {
        long x = j - k >= 0 ? out[off + j - k] : prf.tokenHash(tokens[from - 1 + j - k]);
        if (Long.compareUnsigned(x, min) < 0) {
          min = x;
        }
      }
      out[off + j] = min;
    }
  }

  @Override
  public final long tupleSeed(long windowSeed, int token) {
    if (selfSeeding) {
      long th = prf.tokenHash(token);
      return Long.compareUnsigned(th, windowSeed) < 0 ? th : windowSeed;
    }
    return windowSeed;
  }

  private volatile long[] tokenHashes;

  /**
   * {@code prf.tokenHash(v)} of every token v of the vocabulary (8 bytes per token), computed on
   * first use: whole-row loops under the self-seeding rule read it instead of hashing each token.
   */
  final long[] tokenHashes() {
    long[] t = tokenHashes;
    if (t == null) {
      t = new long[spec.vocabSize()];
      for (int v = 0; v < t.length; v++) {
        t[v] = prf.tokenHash(v);
      }
      tokenHashes = t;
    }
    return t;
  }

  /** {@link #value} under the self-seeding rule, given the token's hash. */
  static long selfSeededValue(long windowSeed, long tokenHash, int token) {
    // Unsigned minimum without a branch (the comparison is a coin toss): the borrow of
    // tokenHash - windowSeed (Hacker's Delight 2-13) selects tokenHash.
    long a = tokenHash;
    long b = windowSeed;
    long less = ((~a & b) | ((~a | b) & (a - b))) >> 63;
    return KeyedPrf.value(b ^ ((a ^ b) & less), token);
  }

  /** The keyed 64-bit value of (window, token). */
  final long value(long windowSeed, int token) {
    return KeyedPrf.value(tupleSeed(windowSeed, token), token);
  }

  /** Largest amount the scheme adds to a raw logit (widens the candidate margin). */
  double maxBias() {
    return 0.0;
  }

  /** Adjusts the raw logits of the candidates (green list). */
  void biasCandidates(long windowSeed, int[] ids, float[] vals, int n) {}

  /** Whether a window already used in this sequence is sampled without watermark. */
  boolean masksRepeatedWindows() {
    return false;
  }

  /**
   * Picks the index of the emitted candidate given normalised probabilities; the default is a
   * multinomial draw.
   */
  int pick(long windowSeed, int[] ids, double[] p, int n, Workspace w) {
    return StepSampler.multinomial(p, n, w.random);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + spec.describe() + ", key " + keyId + "]";
  }
}
