package dev.radiomark.scheme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.radiomark.LogitsProcessor;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.WindowRule;
import dev.radiomark.key.WatermarkKey;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GreenBiasTest {

  /** The in-place bias equals "+delta where green, unchanged elsewhere", bit for bit. */
  @Test
  void biasMatchesGreenListBitForBit() {
    byte[] secret = new byte[32];
    for (int i = 0; i < secret.length; i++) {
      secret[i] = (byte) (3 * i + 1);
    }
    WatermarkKey key = WatermarkKey.of("test", secret);
    int vocab = 5000;
    float[] specials = {-0.0f, 0.0f, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE,
        Float.MAX_VALUE, 1e-30f, -1e30f};
    SplittableRandom r = new SplittableRandom(5);
    for (WatermarkSpec spec : new WatermarkSpec[] {
        WatermarkSpec.greenList("t", vocab),
        WatermarkSpec.greenList("t", vocab).withGamma(0.5).withDelta(3.5),
        WatermarkSpec.greenList("t", vocab).withContextWidth(4).withWindowRule(WindowRule.SELF_SEEDING),
        WatermarkSpec.greenList("t", vocab).withContextWidth(0)}) {
      Watermarker wm = Watermarker.of(key, spec);
      LogitsProcessor p = wm.processor();
      int[] tokens = new int[16];
      for (int trial = 0; trial < 20; trial++) {
        for (int i = 0; i < tokens.length; i++) {
          tokens[i] = r.nextInt(vocab);
        }
        float[] row = new float[vocab];
        for (int v = 0; v < vocab; v++) {
          row[v] = v < specials.length ? specials[v] : (float) (3 * r.nextGaussian());
        }
        float[] got = row.clone();
        p.bias(got, tokens, tokens.length);
        long ws = wm.windowSeed(tokens, tokens.length);
        float delta = (float) spec.delta();
        int green = 0;
        for (int v = 0; v < vocab; v++) {
          boolean isGreen = wm.score(ws, v) == 1.0;
          green += isGreen ? 1 : 0;
          float want = isGreen ? row[v] + delta : row[v];
          assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got[v]), spec + " v " + v);
        }
        int[] ids = {0, 1, 2, 3, 4, 5, 6, 7, 100, 4999};
        float[] vals = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
          vals[i] = row[ids[i]];
        }
        p.biasCandidates(ids, vals, ids.length, tokens, tokens.length);
        for (int i = 0; i < ids.length; i++) {
          assertEquals(Float.floatToRawIntBits(got[ids[i]]), Float.floatToRawIntBits(vals[i]));
        }
        double frac = green / (double) vocab;
        assertEquals(spec.gamma(), frac, 0.05);
      }
    }
  }

  /**
   * The sampler's bias of a sub-block of a full row (the window's green masks in a loop of their
   * own, then the additions and the exponentials) equals the single loop it replaced, "+delta
   * where green (by the definition, {@code score}), else + -0.0f", bit for bit, and so do the
   * sum of the candidates' exponentials and their histogram by biased logit: random rows with
   * special values,
   * random windows, sub-blocks of every length class at random offsets, every window rule.
   */
  @Test
  void subBlockBiasMatchesTheScalarDefinition() {
    byte[] secret = new byte[32];
    for (int i = 0; i < secret.length; i++) {
      secret[i] = (byte) (7 * i + 2);
    }
    WatermarkKey key = WatermarkKey.of("test", secret);
    int vocab = 40_000;
    // No +Infinity: the sampler rejects a row whose maximum is infinite.
    float[] specials = {-0.0f, 0.0f, Float.NEGATIVE_INFINITY, Float.NaN,
        Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 1e-30f};
    SplittableRandom r = new SplittableRandom(11);
    for (WatermarkSpec spec : new WatermarkSpec[] {
        WatermarkSpec.greenList("t", vocab),
        WatermarkSpec.greenList("t", vocab).withGamma(0.5).withDelta(3.5),
        WatermarkSpec.greenList("t", vocab).withGamma(0.9).withDelta(0.25),
        WatermarkSpec.greenList("t", vocab).withContextWidth(4).withWindowRule(WindowRule.SELF_SEEDING),
        WatermarkSpec.greenList("t", vocab).withContextWidth(2).withWindowRule(WindowRule.SELF_SEEDING)
            .withGamma(0.5),
        WatermarkSpec.greenList("t", vocab).withContextWidth(0)}) {
      GreenListScheme g = (GreenListScheme) Watermarker.of(key, spec);
      boolean self = spec.windowRule() == WindowRule.SELF_SEEDING;
      long[] seeds = self ? g.seedBits() : null;
      float delta = (float) spec.delta();
      long[] gs = new long[RowNucleus.SUB];
      long[] copy = new long[RowNucleus.SUB];
      float[] ys = new float[RowNucleus.SUB + 64];
      double[] hist = new double[RowNucleus.BUCKETS * RowNucleus.LANES];
      float[] a = new float[RowNucleus.SUB + 64];
      for (int trial = 0; trial < 300; trial++) {
        // Window seeds: random, and the extremes of the unsigned order (self-seeding: every
        // token below / none below the window seed).
        long ws = trial == 0 ? 0L : trial == 1 ? -1L : r.nextLong();
        int m = switch (trial % 4) {
          case 0 -> RowNucleus.SUB;
          case 1 -> 1 + r.nextInt(16);
          default -> 1 + r.nextInt(RowNucleus.SUB);
        };
        int t0 = r.nextInt(vocab - m + 1);
        int from = r.nextInt(64);
        int to = r.nextInt(64);
        for (int j = 0; j < a.length; j++) {
          a[j] = r.nextInt(20) == 0 ? specials[r.nextInt(specials.length)] : (float) (3 * r.nextGaussian());
        }
        float lo = (float) (2 * r.nextGaussian());
        float max = 6 + r.nextFloat();
        for (int j = 0; j < m; j++) { // max is at least every biased candidate, as in the sampler
          float x = a[from + j];
          if (x >= lo) {
            max = Math.max(max, x + (g.score(ws, t0 + j) == 1.0 ? delta : -0.0f));
          }
        }
        int below = self ? g.hashesBelow(ws) : 0;
        java.util.Arrays.fill(hist, 0.0);
        double sum = g.biasSubBlock(ws, a, from, t0, m, seeds, below, copy, gs, ys, to, lo, max,
            1.25, hist, 0.5);
        double[] wantHist = new double[hist.length];
        double wantSum = 0.5;
        for (int j = 0; j < m; j++) {
          float x = a[from + j];
          float want = x + (g.score(ws, t0 + j) == 1.0 ? delta : -0.0f);
          assertEquals(Float.floatToRawIntBits(x >= lo ? want : Float.NEGATIVE_INFINITY),
              Float.floatToRawIntBits(ys[to + j]), spec + " window " + ws + " token " + (t0 + j));
          if (x >= lo) {
            double e = Math.exp((want - max) * 1.25);
            wantSum += e;
            int k = Math.min(RowNucleus.BUCKETS - 1,
                (int) ((max - want) * (1.25 * RowNucleus.PER_NAT)));
            wantHist[k * RowNucleus.LANES + (j & (RowNucleus.LANES - 1))] += e;
          }
        }
        for (int i = 0; i < hist.length; i++) {
          assertEquals(Double.doubleToRawLongBits(wantHist[i]), Double.doubleToRawLongBits(hist[i]),
              spec + " window " + ws + " slot " + i);
        }
        assertEquals(Double.doubleToRawLongBits(wantSum), Double.doubleToRawLongBits(sum), spec + " window " + ws);
      }
    }
  }

  /**
   * The self-seeding table: a token's rank is below {@code hashesBelow(ws)} exactly when its hash
   * is below ws (unsigned), and its own bit is its green bit under its own hash as seed; and
   * {@code selfSeededMasks} after {@code greenMasks} gives -1 exactly for the green tokens by the
   * definition ({@code score}), over windows at random and at the extremes.
   */
  @Test
  void selfSeededMasksMatchTheDefinition() {
    byte[] secret = new byte[32];
    for (int i = 0; i < secret.length; i++) {
      secret[i] = (byte) (5 * i + 3);
    }
    WatermarkKey key = WatermarkKey.of("test", secret);
    int vocab = 9000;
    SplittableRandom r = new SplittableRandom(17);
    for (int hw : new int[] {1, 4}) {
      WatermarkSpec spec = WatermarkSpec.greenList("t", vocab).withContextWidth(hw)
          .withWindowRule(WindowRule.SELF_SEEDING).withGamma(0.4);
      GreenListScheme g = (GreenListScheme) Watermarker.of(key, spec);
      long[] seeds = g.seedBits();
      long[] th = g.tokenHashes();
      long thr = dev.radiomark.prf.KeyedPrf.greenThreshold(spec.gamma());
      for (int t = 0; t < vocab; t++) {
        long own = (dev.radiomark.prf.KeyedPrf.value(th[t], t) >>> 11) < thr ? 1 : 0;
        assertEquals(own, seeds[t] & 1, "own bit of token " + t);
      }
      long[] gs = new long[RowNucleus.SUB];
      for (int trial = 0; trial < 60; trial++) {
        long ws = trial == 0 ? 0L : trial == 1 ? -1L : trial == 2 ? th[r.nextInt(vocab)] : r.nextLong();
        int below = g.hashesBelow(ws);
        int m = 1 + r.nextInt(RowNucleus.SUB);
        int t0 = r.nextInt(vocab - m + 1);
        GreenListScheme.greenMasks(ws + (t0 + 1L) * 0x9E3779B97F4A7C15L, m, thr, gs);
        GreenListScheme.selfSeededMasks(seeds, t0, m, below, new long[m], gs);
        for (int j = 0; j < m; j++) {
          int t = t0 + j;
          assertEquals(Long.compareUnsigned(th[t], ws) < 0, (seeds[t] >> 1) < below,
              "window " + ws + " token " + t);
          assertEquals(g.score(ws, t) == 1.0 ? -1L : 0L, gs[j], "window " + ws + " token " + t);
        }
      }
    }
  }
}
