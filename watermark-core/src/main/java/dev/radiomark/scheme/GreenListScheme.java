package dev.radiomark.scheme;

import dev.radiomark.LogitsProcessor;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.key.WatermarkKey;
import dev.radiomark.prf.KeyedPrf;
import java.nio.FloatBuffer;
import java.util.Locale;

/**
 * Green-list bias: token v is green after window w when {@code (value(w, v) >>> 11) < floor(gamma
 * * 2^53)}, independently per (window, token) pair, so the count of green tuples in text written
 * without the key is exactly Binomial(n, gamma).
 */
final class GreenListScheme extends SchemeCore implements LogitsProcessor {
  private final long threshold;
  private final float delta;

  GreenListScheme(WatermarkKey key, WatermarkSpec spec) {
    super(key, spec);
    this.threshold = KeyedPrf.greenThreshold(spec.gamma());
    this.delta = (float) spec.delta();
  }

  boolean isGreen(long windowSeed, int token) {
    return (value(windowSeed, token) >>> 11) < threshold;
  }

  @Override
  public double score(long windowSeed, int token) {
    // (value >>> 11) and threshold are in [0, 2^53]: the difference is negative iff green, so
    // its sign bit is the score (1.0 iff isGreen), converted exactly, without a branch (a
    // quarter of the tuples are green, at random: a branch would often be mispredicted).
    return (double) (((value(windowSeed, token) >>> 11) - threshold) >>> 63);
  }

  @Override
  public LogitsProcessor processor() {
    return this;
  }

  @Override
  double maxBias() {
    return delta;
  }

  /** Bits of -0.0f: adding -0.0f leaves every float, -0.0f and NaN included, bit-identical. */
  private static final int NEG_ZERO = 0x8000_0000;

  /**
   * The addend of a logit: {@code delta} when the value is green, else -0.0f, without a branch
   * (green tokens are random, so a branch would be mispredicted about a quarter of the time).
   */
  private static float addend(long value, long threshold, int deltaXorNegZero) {
    // (value >>> 11) and threshold are both in [0, 2^53]: the difference is negative iff green.
    int green = (int) (((value >>> 11) - threshold) >> 63);
    return Float.intBitsToFloat((green & deltaXorNegZero) ^ NEG_ZERO);
  }

  @Override
  void biasCandidates(long windowSeed, int[] ids, float[] vals, int n) {
    long thr = threshold;
    int dx = Float.floatToRawIntBits(delta) ^ NEG_ZERO;
    for (int i = 0; i < n; i++) {
      vals[i] += addend(value(windowSeed, ids[i]), thr, dx);
    }
  }

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private volatile byte[] ownGreen;

  /**
   * Under the self-seeding rule, whether each token is green under its own hash as seed (1 or 0):
   * the tuple seed of token t is its hash whenever that is below the window seed, so this part of
   * the green list depends on the key alone. Computed on first use, 1 byte per token.
   */
  byte[] ownGreen() {
    byte[] g = ownGreen;
    if (g == null) {
      long[] th = tokenHashes();
      g = new byte[th.length];
      for (int t = 0; t < g.length; t++) {
        g[t] = (byte) ((KeyedPrf.value(th[t], t) >>> 11) < threshold ? 1 : 0);
      }
      ownGreen = g;
    }
    return g;
  }

  /**
   * The addend of token t under the self-seeding rule, from the tables: the green bit of its own
   * seed when its hash is below the window seed (unsigned), else that of the window seed.
   */
  private static float selfSeededAddend(long windowSeed, long tokenHash, int ownGreen, int t,
      long threshold, int deltaXorNegZero) {
    long a = tokenHash;
    long b = windowSeed;
    long below = ((~a & b) | ((~a | b) & (a - b))) >> 63; // -1 iff a < b unsigned
    int windowGreen = (int) (((KeyedPrf.value(b, t) >>> 11) - threshold) >> 63); // -1 iff green
    int green = (int) below & -ownGreen | ~(int) below & windowGreen;
    return Float.intBitsToFloat((green & deltaXorNegZero) ^ NEG_ZERO);
  }

  /** {@code j * GOLDEN} for j in [0, SUB): the PRF argument of token t0 + j is z0 + STEPS[j]. */
  private static final long[] STEPS = new long[RowNucleus.SUB];

  static {
    for (int j = 0; j < STEPS.length; j++) {
      STEPS[j] = j * GOLDEN;
    }
  }

  /**
   * The green masks of m consecutive tokens of one window: {@code out[j]} is -1 when token
   * t0 + j is green, else 0, given {@code z0 = windowSeed + (t0 + 1) * GOLDEN} (so that
   * {@code z0 + j * GOLDEN} is the argument of {@code KeyedPrf.value(windowSeed, t0 + j)}).
   * A counted loop of 64-bit additions, shifts, xors and multiplications without calls or
   * branches, which C2 can vectorise; m at most {@link RowNucleus#SUB}.
   */
  static void greenMasks(long z0, int m, long threshold, long[] out) {
    long[] steps = STEPS;
    for (int j = 0; j < m; j++) {
      long z = z0 + steps[j];
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L; // KeyedPrf.mix64, inlined
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      z ^= z >>> 31;
      out[j] = ((z >>> 11) - threshold) >> 63; // -1 iff green: both terms are in [0, 2^53]
    }
  }

  /**
   * {@link #selfSeededAddend(long, long, int, int, long, int)} given the window's green mask of
   * the token ({@link #greenMasks}: -1 or 0).
   */
  private static float selfSeededAddend(long windowSeed, long tokenHash, int ownGreen,
      int windowGreen, int deltaXorNegZero) {
    long a = tokenHash;
    long b = windowSeed;
    int below = (int) (((~a & b) | ((~a | b) & (a - b))) >> 63); // -1 iff a < b unsigned
    int green = below & -ownGreen | ~below & windowGreen;
    return Float.intBitsToFloat((green & deltaXorNegZero) ^ NEG_ZERO);
  }

  /** {@link #value} of token t, from the table of token hashes under the self-seeding rule. */
  private static long value(long windowSeed, int t, long[] tokenHashes) {
    return tokenHashes == null ? KeyedPrf.value(windowSeed, t) : selfSeededValue(windowSeed, tokenHashes[t], t);
  }

  /**
   * The largest biased logit of the candidates of {@code w}'s row, given the largest raw one: a
   * biased logit is at most {@code x + delta} (rounded), so only tokens with
   * {@code x + delta >= max} can beat {@code max}, which the token holding it reaches unbiased.
   */
  float biasedMax(long windowSeed, Workspace w, int count, float max) {
    long[] th = selfSeeding ? tokenHashes() : null;
    int dx = Float.floatToRawIntBits(delta) ^ NEG_ZERO;
    float m = max;
    for (int c = 0, len; c < count; c += len) {
      len = w.blockLength(c, count);
      float[] a = w.block(c, len);
      int b = w.blockStart(c);
      for (int j = 0; j < len; j++) {
        float x = a[b + j];
        if (x + delta >= max) {
          m = Math.max(m, x + addend(value(windowSeed, c + j, th), threshold, dx));
        }
      }
    }
    return m;
  }

  /**
   * The biased logits {@code ys[0, m)} of tokens t0 + j, whose raw logits are {@code a[from + j]},
   * m at most {@link RowNucleus#SUB}, as {@link #biasCandidates} biases them. The window's green
   * masks first, in a loop of 64-bit operations only ({@link #greenMasks}, vectorised by C2 where
   * the processor multiplies 64-bit lanes, e.g. AVX-512DQ), then the additions. Under the
   * self-seeding rule ({@code th} and {@code own} not null) the choice between a window mask and
   * the token's own bit stays in the second loop: with the table of token hashes read in the
   * first, that loop ran slower than the single loop it replaced.
   */
  void biasSubBlock(long windowSeed, float[] a, int from, int t0, int m, long[] th, byte[] own,
      long[] gs, float[] ys) {
    int dx = Float.floatToRawIntBits(delta) ^ NEG_ZERO;
    greenMasks(windowSeed + (t0 + 1L) * GOLDEN, m, threshold, gs);
    if (th != null) {
      for (int j = 0; j < m; j++) {
        int t = t0 + j;
        ys[j] = a[from + j] + selfSeededAddend(windowSeed, th[t], own[t], (int) gs[j], dx);
      }
    } else {
      for (int j = 0; j < m; j++) {
        ys[j] = a[from + j] + Float.intBitsToFloat(((int) gs[j] & dx) ^ NEG_ZERO);
      }
    }
  }

  /** {@code RowNucleus.histogram} of the biased candidates (biased as {@link #biasCandidates}). */
  double histogram(long windowSeed, float[] a, int b, int first, int len, float lo, float max,
      double invT, double scale, double[] hist, double sum, Workspace w) {
    double[] es = w.es;
    float[] ys = w.ys;
    long[] gs = w.greens;
    long[] th = selfSeeding ? tokenHashes() : null;
    byte[] own = selfSeeding ? ownGreen() : null;
    for (int s0 = 0; s0 < len; s0 += RowNucleus.SUB) {
      int m = Math.min(RowNucleus.SUB, len - s0);
      int t0 = first + s0;
      biasSubBlock(windowSeed, a, b + s0, t0, m, th, own, gs, ys);
      for (int j = 0; j < m; j++) {
        double e = 0.0;
        if (a[b + s0 + j] >= lo) { // candidates by their raw logit
          e = Math.exp((ys[j] - max) * invT);
          sum += e;
        }
        es[j] = e;
      }
      RowNucleus.scatter(ys, 0, m, max, scale, es, hist);
    }
    return sum;
  }

  /** {@code RowNucleus.gather} of the biased candidates whose biased logit is at or above cut. */
  int gather(long windowSeed, float[] a, int b, int first, int len, float lo, float cut, Workspace w, int n) {
    long[] th = selfSeeding ? tokenHashes() : null;
    int dx = Float.floatToRawIntBits(delta) ^ NEG_ZERO;
    long[] keys = w.keys;
    for (int j = 0; j < len; j++) {
      float x = a[b + j];
      if (x + delta >= cut && x >= lo) { // a biased logit is at most x + delta
        int t = first + j;
        float y = x + addend(value(windowSeed, t, th), threshold, dx);
        if (y >= cut) {
          if (n == keys.length) {
            keys = w.growKeys();
          }
          keys[n++] = RowNucleus.key(y, t);
        }
      }
    }
    return n;
  }

  @Override
  public void bias(float[] logits, int[] tokens, int len) {
    spec.requireVocabulary(logits.length);
    biasRow(logits, 0, tokens, len);
  }

  @Override
  public void bias(FloatBuffer logits, int[] tokens, int len) {
    spec.requireVocabulary(logits.remaining());
    if (logits.hasArray()) {
      biasRow(logits.array(), logits.arrayOffset() + logits.position(), tokens, len);
      return;
    }
    if (logits.isReadOnly()) {
      throw new java.nio.ReadOnlyBufferException();
    }
    if (len < h) {
      return;
    }
    long ws = windowSeed(tokens, len);
    long[] th = selfSeeding ? tokenHashes() : null;
    int off = logits.position();
    int v = spec.vocabSize();
    int dx = Float.floatToRawIntBits(delta) ^ NEG_ZERO;
    for (int t = 0; t < v; t++) {
      logits.put(off + t, logits.get(off + t) + addend(value(ws, t, th), threshold, dx));
    }
  }

  @Override
  public void biasBatch(float[] logits, int batch, int[][] tokens, int[] lens) {
    int v = spec.vocabSize();
    if (batch < 0 || tokens.length < batch || lens.length < batch) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "batch %d does not fit %d contexts and %d lengths", batch, tokens.length, lens.length));
    }
    if ((long) batch * v != logits.length) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "logits has %d entries, not batch %d x vocabulary %d", logits.length, batch, v));
    }
    for (int b = 0; b < batch; b++) {
      biasRow(logits, b * v, tokens[b], lens[b]);
    }
  }

  private void biasRow(float[] logits, int off, int[] tokens, int len) {
    if (len < h) {
      return;
    }
    long ws = windowSeed(tokens, len);
    int v = spec.vocabSize();
    long thr = threshold;
    int dx = Float.floatToRawIntBits(delta) ^ NEG_ZERO;
    if (selfSeeding) {
      long[] th = tokenHashes();
      byte[] own = ownGreen();
      for (int t = 0; t < v; t++) {
        logits[off + t] += selfSeededAddend(ws, th[t], own[t], t, thr, dx);
      }
    } else {
      // Hot loop: one SplitMix64 finalisation per token, no tuple-seed or green branch.
      for (int t = 0; t < v; t++) {
        logits[off + t] += addend(KeyedPrf.value(ws, t), thr, dx);
      }
    }
  }

  @Override
  public void biasCandidates(int[] ids, float[] logits, int k, int[] tokens, int len) {
    StepSampler.checkCandidates(ids, logits, k, spec.vocabSize());
    if (len < h) {
      return;
    }
    biasCandidates(windowSeed(tokens, len), ids, logits, k);
  }
}
