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
    return scoreOf(value(windowSeed, token));
  }

  @Override
  double scoreOf(long value) {
    return scoreOf(value, threshold);
  }

  /**
   * The green score of a PRF value: 1.0 if {@code (value >>> 11) < threshold}, else 0.0.
   *
   * @param value the keyed value of a (window, token) pair
   * @param threshold the green threshold, in [0, 2^53]
   * @return 1.0 or 0.0
   */
  static double scoreOf(long value, long threshold) {
    // (value >>> 11) and threshold are in [0, 2^53]: the difference is negative iff green, so
    // its sign bit is the score (1.0 iff isGreen), converted exactly, without a branch (a
    // quarter of the tuples are green, at random: a branch would often be mispredicted).
    return (double) (((value >>> 11) - threshold) >>> 63);
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
  private volatile long[] sortedHashes;
  private volatile long[] seedBits;

  /**
   * Under the self-seeding rule, per token t: {@code rank << 1 | own}, where rank is the rank of
   * t's hash in the unsigned order of all token hashes (tokens of equal hash share the rank of the
   * first) and own is 1 when t is green under its own hash as seed, else 0. Token t's hash is below
   * a window seed (unsigned) exactly when {@code (seedBits()[t] >> 1) < hashesBelow(windowSeed)},
   * and then its tuple seed is its hash, so that part of the green list depends on the key alone.
   * Computed on first use with {@link #hashesBelow}'s table, 8 + 8 bytes per token.
   */
  long[] seedBits() {
    long[] bits = seedBits;
    if (bits == null) {
      long[] th = tokenHashes();
      long[] sorted = new long[th.length];
      for (int t = 0; t < th.length; t++) {
        sorted[t] = th[t] ^ Long.MIN_VALUE; // signed order of these = unsigned order of hashes
      }
      java.util.Arrays.sort(sorted);
      bits = new long[th.length];
      for (int t = 0; t < th.length; t++) {
        long rank = lowerBound(sorted, th[t] ^ Long.MIN_VALUE);
        long own = (KeyedPrf.value(th[t], t) >>> 11) < threshold ? 1 : 0;
        bits[t] = rank << 1 | own;
      }
      sortedHashes = sorted;
      seedBits = bits;
    }
    return bits;
  }

  /** How many token hashes are below the window seed (unsigned); {@link #seedBits} first. */
  int hashesBelow(long windowSeed) {
    return lowerBound(sortedHashes, windowSeed ^ Long.MIN_VALUE);
  }

  /** Index of the first element of the ascending {@code a} at or above x (a.length if none). */
  private static int lowerBound(long[] a, long x) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
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
   * Turns the window's green masks {@code gs[j]} of tokens t0 + j, j in [0, m)
   * ({@link #greenMasks}) into the masks under the self-seeding rule: -1 when the token is green,
   * else 0, where a token whose hash is below the window seed takes the green bit of its own seed
   * instead ({@link #seedBits}; {@code below} is {@link #hashesBelow} of the window seed). The table's
   * entries are first copied to {@code copy} (at least m long), so that the loop reads and writes
   * at the same index: a counted loop of 64-bit operations without branches, which C2 vectorises.
   */
  static void selfSeededMasks(long[] seedBits, int t0, int m, long below, long[] copy,
      long[] gs) {
    System.arraycopy(seedBits, t0, copy, 0, m);
    for (int j = 0; j < m; j++) {
      long sb = copy[j];
      long own = -(sb & 1);
      long diff = ((sb >> 1) - below) >> 63; // -1 iff the token's hash is below the window seed
      gs[j] = (diff & own) | (~diff & gs[j]);
    }
  }

  /** {@link #value} of token t, from the table of token hashes under the self-seeding rule. */
  private static long value(long windowSeed, int t, long[] tokenHashes) {
    return tokenHashes == null ? KeyedPrf.value(windowSeed, t) : selfSeededValue(windowSeed, tokenHashes[t], t);
  }

  /**
   * The largest biased logit of the candidates of {@code w}'s row, given the largest raw one: a
   * biased logit is at most {@code x + delta} (rounded), so only tokens with
   * {@code x + delta >= max} can beat {@code max}, which the token holding it reaches unbiased.
   * Those tokens are among the {@code near} tokens recorded in {@link Workspace#near} by the pass
   * that found {@code max} (each was within delta of the maximum so far); when more were found
   * than recorded, the whole row is read.
   */
  float biasedMax(long windowSeed, Workspace w, int count, float max, int near) {
    long[] th = selfSeeding ? tokenHashes() : null;
    int dx = Float.floatToRawIntBits(delta) ^ NEG_ZERO;
    float m = max;
    int[] nearIds = w.near;
    if (near <= nearIds.length) {
      for (int i = 0; i < near; i++) {
        int t = nearIds[i];
        float x = w.at(t);
        if (x + delta >= max) {
          m = Math.max(m, x + addend(value(windowSeed, t, th), threshold, dx));
        }
      }
      return m;
    }
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
   * The green masks of tokens t0 + j, j in [0, m), m at most {@link RowNucleus#SUB}, under the
   * window: {@link #greenMasks}, then under the self-seeding rule ({@code seeds} not null, from
   * {@link #seedBits}, {@code below} the count of hashes below the window seed)
   * {@link #selfSeededMasks}, {@code copy} its scratch.
   */
  private void masks(long windowSeed, int t0, int m, long[] seeds, int below, long[] copy,
      long[] gs) {
    greenMasks(windowSeed + (t0 + 1L) * GOLDEN, m, threshold, gs);
    if (seeds != null) {
      selfSeededMasks(seeds, t0, m, below, copy, gs);
    }
  }

  /**
   * The biased logits {@code ys[to + j]} of tokens t0 + j, j in [0, m), whose raw logits are
   * {@code a[from + j]}, m at most {@link RowNucleus#SUB}, as {@link #biasCandidates} biases them,
   * for the candidates (raw logit at least lo; -Infinity for the others), and their exponentials
   * {@code e = exp((ys[to + j] - max) * invT)}, added to {@code sum} in token order, which is
   * returned, and to their {@code hist} slot by biased logit ({@link RowNucleus#slot}). The
   * green masks first ({@link #masks}: loops of 64-bit operations only, vectorised by C2 where the
   * processor multiplies 64-bit lanes, e.g. AVX-512DQ; under the self-seeding rule {@code seeds}
   * not null, {@code below} and {@code copy} as there), then the additions, the exponentials and
   * the histogram in one loop.
   */
  double biasSubBlock(long windowSeed, float[] a, int from, int t0, int m, long[] seeds, int below,
      long[] copy, long[] gs, float[] ys, int to, float lo, float max, double invT, double[] hist,
      double sum) {
    double q = invT * RowNucleus.PER_NAT;
    int dx = Float.floatToRawIntBits(delta) ^ NEG_ZERO;
    masks(windowSeed, t0, m, seeds, below, copy, gs);
    for (int j = 0; j < m; j++) {
      float x = a[from + j];
      float y = x + Float.intBitsToFloat(((int) gs[j] & dx) ^ NEG_ZERO);
      float c = Float.NEGATIVE_INFINITY;
      if (x >= lo) { // candidates by their raw logit
        double e = Math.exp((y - max) * invT);
        sum += e;
        hist[RowNucleus.slot(max, y, q, j)] += e;
        c = y;
      }
      ys[to + j] = c;
    }
    return sum;
  }

  /**
   * {@code RowNucleus.histogram} of the biased candidates (biased as {@link #biasCandidates}),
   * which are also written to the whole row's {@link Workspace#biasedRow} (-Infinity for the
   * tokens that are not candidates): gathering the nucleus from it needs no keyed values.
   */
  double histogram(long windowSeed, float[] a, int b, int first, int len, float lo, float max,
      double invT, double[] hist, double sum, Workspace w) {
    float[] ys = w.biasedRow();
    long[] gs = w.greens;
    long[] seeds = selfSeeding ? seedBits() : null;
    int below = selfSeeding ? hashesBelow(windowSeed) : 0;
    for (int s0 = 0; s0 < len; s0 += RowNucleus.SUB) {
      int m = Math.min(RowNucleus.SUB, len - s0);
      int t0 = first + s0;
      sum = biasSubBlock(windowSeed, a, b + s0, t0, m, seeds, below, w.seedCopy, gs, ys, t0, lo,
          max, invT, hist, sum);
    }
    return sum;
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
    long[] seeds = selfSeeding ? seedBits() : null;
    int below = selfSeeding ? hashesBelow(ws) : 0;
    RowScratch s = ROW_SCRATCH.get();
    int off = logits.position();
    int v = spec.vocabSize();
    for (int t0 = 0; t0 < v; t0 += RowNucleus.SUB) {
      int m = Math.min(RowNucleus.SUB, v - t0);
      logits.get(off + t0, s.raw, 0, m);
      biasInPlace(ws, s.raw, 0, t0, m, seeds, below, s.seedCopy, s.greens);
      logits.put(off + t0, s.raw, 0, m);
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

  /**
   * Scratch of the whole-row bias, one per thread: the processor is shared across threads and
   * allocates nothing per row once a thread has its scratch.
   */
  private static final class RowScratch {
    final long[] greens = new long[RowNucleus.SUB];
    final float[] raw = new float[RowNucleus.SUB];
    final long[] seedCopy = new long[RowNucleus.SUB];
  }

  private static final ThreadLocal<RowScratch> ROW_SCRATCH = ThreadLocal.withInitial(RowScratch::new);

  /** The row biased in place, sub-block by sub-block ({@link #biasInPlace}). */
  private void biasRow(float[] logits, int off, int[] tokens, int len) {
    if (len < h) {
      return;
    }
    long ws = windowSeed(tokens, len);
    int v = spec.vocabSize();
    long[] seeds = selfSeeding ? seedBits() : null;
    int below = selfSeeding ? hashesBelow(ws) : 0;
    RowScratch s = ROW_SCRATCH.get();
    for (int t0 = 0; t0 < v; t0 += RowNucleus.SUB) {
      biasInPlace(ws, logits, off + t0, t0, Math.min(RowNucleus.SUB, v - t0), seeds, below,
          s.seedCopy, s.greens);
    }
  }

  /**
   * Adds the bias of tokens t0 + j to {@code a[from + j]}, j in [0, m), m at most
   * {@link RowNucleus#SUB}: the green masks first ({@link #masks}, vectorisable; under the
   * self-seeding rule {@code seeds}, {@code below} and {@code copy} as there), then the additions.
   */
  private void biasInPlace(long windowSeed, float[] a, int from, int t0, int m, long[] seeds,
      int below, long[] copy, long[] gs) {
    int dx = Float.floatToRawIntBits(delta) ^ NEG_ZERO;
    masks(windowSeed, t0, m, seeds, below, copy, gs);
    for (int j = 0; j < m; j++) {
      a[from + j] += Float.intBitsToFloat(((int) gs[j] & dx) ^ NEG_ZERO);
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
