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
    checkRun(tokens, from, to, out, off);
    if (ordered) {
      orderedSeeds(tokens, from, to, out, off);
    } else if (h > 0) {
      minHashSeeds(tokens, from - 1, to - from, h, out, off);
    } else {
      for (int e = from; e < to; e++) {
        out[off + (e - from)] = prf.minHashSeed(tokens, e, e);
      }
    }
  }

  /** Throws unless positions [from, to) have full windows and their seeds fit out from off. */
  private void checkRun(int[] tokens, int from, int to, long[] out, int off) {
    if (from < h || from > to || to > tokens.length) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "[from, to) is not within [%d, %d]: [%d, %d)", h, tokens.length, from, to));
    }
    if (off < 0 || off > out.length - (to - from)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "off is not in [0, %d]: %d", out.length - (to - from), off));
    }
  }

  /**
   * {@code g[i] = value(windowSeed, ids[i])} for i in [0, n); not self-seeding, in a loop of
   * {@code KeyedPrf.value} alone, which C2 can vectorise.
   */
  final void keyedValues(long windowSeed, int[] ids, int n, long[] g) {
    if (selfSeeding) {
      for (int i = 0; i < n; i++) {
        g[i] = value(windowSeed, ids[i]);
      }
    } else {
      for (int i = 0; i < n; i++) {
        g[i] = KeyedPrf.value(windowSeed, ids[i]);
      }
    }
  }

  @Override
  public final void tupleSeeds(int[] tokens, int from, int to, long[] out, int off) {
    if (!selfSeeding) {
      windowSeeds(tokens, from, to, out, off); // the tuple seed is the window seed
      return;
    }
    checkRun(tokens, from, to, out, off);
    // Self-seeding: the minimum of the window's h token hashes and the token's own, that is the
    // min-hash of the h + 1 tokens ending at the position.
    minHashSeeds(tokens, from, to - from, h + 1, out, off);
  }

  @Override
  public final void tupleSeeds(long[] windowSeeds, int[] tokens, int from, int n, long[] out) {
    int pairs = Math.min(windowSeeds.length, tokens.length);
    if (from < 0 || from > pairs) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "from is not in [0, %d]: %d", pairs, from));
    }
    int most = Math.min(pairs - from, out.length);
    if (n < 0 || n > most) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "n is not in [0, %d]: %d", most, n));
    }
    if (!selfSeeding) {
      System.arraycopy(windowSeeds, from, out, 0, n);
      return;
    }
    prf.tokenHashes(tokens, from, n, out, 0);
    for (int i = 0; i < n; i++) {
      out[i] = unsignedMinNoCompare(out[i], windowSeeds[from + i]);
    }
  }

  @Override
  public final double scoreAtTupleSeed(long tupleSeed, int token) {
    // A tuple seed is its own tuple seed: value(tupleSeed, token) without the tuple seed again.
    return scoreOf(KeyedPrf.value(tupleSeed, token));
  }

  @Override
  public final void scoresAtTupleSeeds(long[] tupleSeeds, int[] tokens, int n, double[] out) {
    int most = Math.min(Math.min(tupleSeeds.length, tokens.length), out.length);
    if (n < 0 || n > most) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "n is not in [0, %d]: %d", most, n));
    }
    for (int i = 0; i < n; i++) {
      out[i] = scoreOf(KeyedPrf.value(tupleSeeds[i], tokens[i]));
    }
  }

  /**
   * The score of a PRF value, {@code score(w, v) == scoreOf(value(w, v))}.
   *
   * @param value the keyed 64-bit value of a (window, token) pair
   * @return the score
   */
  abstract double scoreOf(long value);

  /**
   * The smaller of two longs compared as unsigned, without a branch (the comparison is a coin
   * toss): a signed minimum of the two with their sign bits flipped.
   */
  static long unsignedMin(long a, long b) {
    return Math.min(a ^ Long.MIN_VALUE, b ^ Long.MIN_VALUE) ^ Long.MIN_VALUE;
  }

  /**
   * {@link #unsignedMin} in arithmetic alone, so that a loop of it can be vectorised (C2 of Java
   * 17 does not vectorise a conditional move): the borrow of {@code a - b} (Hacker's Delight
   * 2-13), spread to a mask, selects a where a is below b.
   */
  static long unsignedMinNoCompare(long a, long b) {
    long below = ((~a & b) | ((~a | b) & (a - b))) >> 63; // all ones if a < b, unsigned
    return b ^ ((a ^ b) & below);
  }

  /**
   * Ordered window seeds ({@code prf.orderedSeeds}); for h = 1 read from a table of every
   * token's seed once enough windows were asked for to pay for it (see {@link #unigramSeeds}).
   */
  private void orderedSeeds(int[] tokens, int from, int to, long[] out, int off) {
    if (h == 1) {
      long[] table = unigramSeeds(to - from);
      if (table != null) {
        for (int e = from; e < to; e++) {
          int x = tokens[e - 1];
          // Ids outside the vocabulary (not for detection, which rejects them) are hashed.
          out[off + (e - from)] = x >= 0 && x < table.length ? table[x] : prf.orderedSeed(tokens, e - 1, e);
        }
        return;
      }
    }
    prf.orderedSeeds(tokens, from, to - from, h, out, off);
  }

  private volatile long[] unigramSeeds;
  /** Windows asked for before the unigram table exists (a racy count: it only times the build). */
  private long unigramRequests;

  /**
   * {@code prf.orderedSeed} of the one-token window of every token v of the vocabulary (8 bytes
   * per token), or null until at least vocabulary-size windows have been requested in total,
   * so that short uses never pay for the table.
   *
   * @param requested windows about to be computed
   */
  private long[] unigramSeeds(int requested) {
    long[] t = unigramSeeds;
    if (t == null) {
      long r = unigramRequests + requested;
      unigramRequests = r;
      if (r < spec.vocabSize()) {
        return null;
      }
      int v = spec.vocabSize();
      int[] ids = new int[v];
      for (int i = 0; i < v; i++) {
        ids[i] = i;
      }
      t = new long[v];
      // Window [i, i + 1) of ids is token i alone.
      prf.orderedSeeds(ids, 1, v, 1, t, 0);
      unigramSeeds = t;
    }
    return t;
  }

  /**
   * Min-hash seeds of {@code count} windows of {@code width} tokens, the first ending with token
   * {@code last}: {@code out[off + j]} = the unsigned minimum of {@code prf.tokenHash} over
   * {@code tokens[last + j - width + 1, last + j]}. Each token is hashed once: first {@code out}
   * receives the hash of each window's last token, then, from the last window back to the
   * first, each slot becomes the minimum of its window's hashes (the slots below it still hold
   * single token hashes; the tokens before {@code last} are hashed directly). Minima are taken
   * without branches (the comparisons are coin tosses).
   */
  private void minHashSeeds(int[] tokens, int last, int count, int width, long[] out, int off) {
    // Hashes are held with the sign bit flipped, so that the unsigned minimum is Math.min.
    prf.tokenHashes(tokens, last, count, out, off);
    for (int j = 0; j < count; j++) {
      out[off + j] ^= Long.MIN_VALUE;
    }
    int head = Math.min(count, width - 1);
    for (int j = count - 1; j >= head; j--) {
      long min = out[off + j];
      for (int k = 1; k < width; k++) {
        min = Math.min(min, out[off + j - k]);
      }
      out[off + j] = min ^ Long.MIN_VALUE;
    }
    for (int j = head - 1; j >= 0; j--) {
      long min = out[off + j];
      for (int k = 1; k < width; k++) {
        min = Math.min(min, j - k >= 0 ? out[off + j - k]
            : prf.tokenHash(tokens[last + j - k]) ^ Long.MIN_VALUE);
      }
      out[off + j] = min ^ Long.MIN_VALUE;
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
    return KeyedPrf.value(unsignedMin(tokenHash, windowSeed), token);
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
