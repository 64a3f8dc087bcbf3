package dev.radiomark.benchmarks;

import dev.radiomark.prf.KeyedPrf;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The shape of the green-list bias loop over a full row, in sub-blocks of 1,024 tokens as the
 * sampler runs it (biased logits into a scratch array): {@code *Scalar} is the loop as it was
 * (the keyed value, the green decision and the addition in one loop, the PRF argument a second
 * induction variable), {@code *Split} the loop the core now runs (the green masks of the
 * sub-block in a loop of 64-bit operations only, from a table of {@code j * GOLDEN}, then the
 * additions; self-seeding: see {@code selfSplit} and {@code selfMasksFused}). Same arithmetic,
 * same biased logits; this compares how C2 compiles the two shapes
 * (on a processor with 64-bit vector multiplies, e.g. AVX-512DQ, the split mask loop can be
 * vectorised). Copies of the core's loops, kept here so that both shapes run in one JMH run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BiasLoopBenchmark {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private static final int SUB = 1024;
  private static final int NEG_ZERO = 0x8000_0000;

  /** Vocabulary size. */
  @Param({"128256"})
  public int vocab;

  private float[] row;
  private long[] tokenHashes;
  private byte[] ownGreen;
  private final float[] ys = new float[SUB];
  private final long[] gs = new long[SUB];
  private final long[] steps = new long[SUB];
  private long threshold;
  private int dx;
  private long step;

  /** One row of the benchmark distribution, the per-key tables of the self-seeding rule. */
  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom rnd = new SplittableRandom(0x5eed_0003L + vocab);
    row = new float[vocab];
    Inputs.fillRow(row, 0, vocab, rnd);
    threshold = KeyedPrf.greenThreshold(0.25);
    dx = Float.floatToRawIntBits(2.0f) ^ NEG_ZERO;
    byte[] secret = new byte[32];
    rnd.nextBytes(secret);
    KeyedPrf prf = KeyedPrf.derive(secret, "bench");
    tokenHashes = new long[vocab];
    ownGreen = new byte[vocab];
    for (int t = 0; t < vocab; t++) {
      tokenHashes[t] = prf.tokenHash(t);
      ownGreen[t] = (byte) ((KeyedPrf.value(tokenHashes[t], t) >>> 11) < threshold ? 1 : 0);
    }
    for (int j = 0; j < SUB; j++) {
      steps[j] = j * GOLDEN;
    }
  }

  private long nextSeed() {
    return KeyedPrf.mix64(++step);
  }

  private static float addend(long value, long threshold, int dx) {
    int green = (int) (((value >>> 11) - threshold) >> 63);
    return Float.intBitsToFloat((green & dx) ^ NEG_ZERO);
  }

  /**
   * Green list h = 1, one loop per sub-block (as before).
   *
   * @return a biased logit, so the work stays observable
   */
  @Benchmark
  public float greenScalar() {
    long ws = nextSeed();
    float[] a = row;
    float acc = 0;
    for (int t0 = 0; t0 < a.length; t0 += SUB) {
      int m = Math.min(SUB, a.length - t0);
      long z = ws + (t0 + 1L) * GOLDEN;
      for (int j = 0; j < m; j++, z += GOLDEN) {
        ys[j] = a[t0 + j] + addend(KeyedPrf.mix64(z), threshold, dx);
      }
      acc += ys[m - 1];
    }
    return acc;
  }

  /**
   * Green list h = 1, masks then additions (now).
   *
   * @return a biased logit, so the work stays observable
   */
  @Benchmark
  public float greenSplit() {
    long ws = nextSeed();
    float[] a = row;
    float acc = 0;
    for (int t0 = 0; t0 < a.length; t0 += SUB) {
      int m = Math.min(SUB, a.length - t0);
      greenMasks(ws + (t0 + 1L) * GOLDEN, m, threshold, gs, steps);
      for (int j = 0; j < m; j++) {
        ys[j] = a[t0 + j] + Float.intBitsToFloat(((int) gs[j] & dx) ^ NEG_ZERO);
      }
      acc += ys[m - 1];
    }
    return acc;
  }

  private static void greenMasks(long z0, int m, long threshold, long[] out, long[] steps) {
    for (int j = 0; j < m; j++) {
      long z = z0 + steps[j];
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      z ^= z >>> 31;
      out[j] = ((z >>> 11) - threshold) >> 63;
    }
  }

  /**
   * Self-seeding h = 4 from the per-key tables, one loop per sub-block (as before).
   *
   * @return a biased logit, so the work stays observable
   */
  @Benchmark
  public float selfScalar() {
    long ws = nextSeed();
    float[] a = row;
    long[] th = tokenHashes;
    byte[] own = ownGreen;
    float acc = 0;
    for (int t0 = 0; t0 < a.length; t0 += SUB) {
      int m = Math.min(SUB, a.length - t0);
      for (int j = 0; j < m; j++) {
        int t = t0 + j;
        long x = th[t];
        long below = ((~x & ws) | ((~x | ws) & (x - ws))) >> 63;
        int windowGreen = (int) (((KeyedPrf.value(ws, t) >>> 11) - threshold) >> 63);
        int green = (int) below & -own[t] | ~(int) below & windowGreen;
        ys[j] = a[t] + Float.intBitsToFloat((green & dx) ^ NEG_ZERO);
      }
      acc += ys[m - 1];
    }
    return acc;
  }

  /**
   * Self-seeding h = 4, the choice between the window's mask and the token's own bit made in
   * the 64-bit loop (tried, slower than {@code selfScalar}, not used).
   *
   * @return a biased logit, so the work stays observable
   */
  @Benchmark
  public float selfMasksFused() {
    long ws = nextSeed();
    float[] a = row;
    long[] th = tokenHashes;
    byte[] own = ownGreen;
    float acc = 0;
    for (int t0 = 0; t0 < a.length; t0 += SUB) {
      int m = Math.min(SUB, a.length - t0);
      long z0 = ws + (t0 + 1L) * GOLDEN;
      long[] out = gs;
      long[] st = steps;
      long thr = threshold;
      for (int j = 0; j < m; j++) {
        long x = th[t0 + j];
        long below = ((~x & ws) | ((~x | ws) & (x - ws))) >> 63;
        long z = z0 + st[j];
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        out[j] = (below & 1L) | (~below & (((z >>> 11) - thr) >> 63));
      }
      for (int j = 0; j < m; j++) {
        int g = (int) out[j];
        int green = (g >> 1) | (-(g & 1) & -own[t0 + j]);
        ys[j] = a[t0 + j] + Float.intBitsToFloat((green & dx) ^ NEG_ZERO);
      }
      acc += ys[m - 1];
    }
    return acc;
  }


  /**
   * Self-seeding h = 4, the window's green masks as {@code greenSplit}, the choice between them
   * and the token's own bit in the addition loop (now).
   *
   * @return a biased logit, so the work stays observable
   */
  @Benchmark
  public float selfSplit() {
    long ws = nextSeed();
    float[] a = row;
    long[] th = tokenHashes;
    byte[] own = ownGreen;
    float acc = 0;
    for (int t0 = 0; t0 < a.length; t0 += SUB) {
      int m = Math.min(SUB, a.length - t0);
      greenMasks(ws + (t0 + 1L) * GOLDEN, m, threshold, gs, steps);
      for (int j = 0; j < m; j++) {
        long x = th[t0 + j];
        long below = ((~x & ws) | ((~x | ws) & (x - ws))) >> 63;
        int green = (int) below & -own[t0 + j] | ~(int) below & (int) gs[j];
        ys[j] = a[t0 + j] + Float.intBitsToFloat((green & dx) ^ NEG_ZERO);
      }
      acc += ys[m - 1];
    }
    return acc;
  }
}
