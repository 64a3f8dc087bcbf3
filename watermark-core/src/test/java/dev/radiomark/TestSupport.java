package dev.radiomark;

import dev.radiomark.key.WatermarkKey;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;

/**
 * Shared helpers for the core tests. Every secret made here is a TEST VALUE derived from a fixed
 * RNG seed; none of them exists in main code.
 */
public final class TestSupport {
  private TestSupport() {}

  /** A seeded, reproducible generator (XO_RO_SHI_RO_128_PP). */
  public static UniformRandomProvider rng(long seed) {
    return RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
  }

  /** A test key whose 32 secret bytes come from a seeded generator. */
  public static WatermarkKey key(long seed) {
    byte[] s = new byte[32];
    rng(seed ^ 0x5EC2E7L).nextBytes(s);
    return WatermarkKey.of("test-" + seed, s);
  }

  /** Spec of a scheme on a test vocabulary with the given window. */
  public static WatermarkSpec spec(Scheme scheme, int vocab, int h, WindowRule rule) {
    return WatermarkSpec.defaults(scheme, "test-tok", vocab).withWindowRule(WindowRule.ORDERED)
        .withContextWidth(h).withWindowRule(rule);
  }

  /** Logits of a small pseudo language model: a fixed function of the last context token. */
  public static void modelLogits(float[] logits, int[] tokens, int len) {
    long s = len == 0 ? 17 : tokens[len - 1] * 0x9E3779B97F4A7C15L + len;
    for (int v = 0; v < logits.length; v++) {
      s = s * 6364136223846793005L + 1442695040888963407L;
      logits[v] = (float) ((s >>> 40) * 0x1p-24 * 8.0 - 4.0);
    }
  }

  /**
   * Pearson chi-square goodness-of-fit p-value of observed counts against probabilities
   * (cells with p = 0 must have count 0 and are dropped).
   */
  public static double chiSquarePValue(long[] counts, double[] p) {
    long n = 0;
    for (long c : counts) {
      n += c;
    }
    double chi = 0;
    int cells = 0;
    for (int i = 0; i < counts.length; i++) {
      if (p[i] == 0) {
        if (counts[i] != 0) {
          return 0.0;
        }
        continue;
      }
      double e = n * p[i];
      chi += (counts[i] - e) * (counts[i] - e) / e;
      cells++;
    }
    return ChiSquaredDistribution.of(cells - 1).survivalProbability(chi);
  }

  /** Chi-square test of independence p-value of a 2x2 table {@code t[a][b]}. */
  public static double independencePValue(long[][] t) {
    double n = t[0][0] + t[0][1] + t[1][0] + t[1][1];
    double chi = 0;
    for (int a = 0; a < 2; a++) {
      for (int b = 0; b < 2; b++) {
        double e = (double) (t[a][0] + t[a][1]) * (t[0][b] + t[1][b]) / n;
        chi += (t[a][b] - e) * (t[a][b] - e) / e;
      }
    }
    return ChiSquaredDistribution.of(1).survivalProbability(chi);
  }
}
