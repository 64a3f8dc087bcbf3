package dev.radiomark.scheme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.WindowRule;
import dev.radiomark.key.WatermarkKey;
import java.util.SplittableRandom;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;

class TournamentPickTest {

  /**
   * The tournament's pick (one pass per layer, a single candidate without layers) draws the same
   * index, leaves the same reweighted p and consumes the same random draws as the definition:
   * per layer, E_p[g_l] in one pass and the reweighting in another; with candidates of zero
   * probability, unnormalised p (negative factors), and under the self-seeding window rule.
   */
  @Test
  void pickMatchesTwoPassDefinition() {
    byte[] secret = new byte[32];
    for (int i = 0; i < secret.length; i++) {
      secret[i] = (byte) (7 * i + 3);
    }
    WatermarkKey key = WatermarkKey.of("test", secret);
    int vocab = 5000;
    SplittableRandom r = new SplittableRandom(11);
    for (int run = 0; run < 6; run++) {
      int layers = new int[] {1, 2, 30, 63, 64, 30}[run];
      WatermarkSpec spec = WatermarkSpec.tournament("t", vocab).withLayers(layers);
      if (run == 5) {
        spec = spec.withWindowRule(WindowRule.SELF_SEEDING);
      }
      TournamentScheme s = (TournamentScheme) Watermarker.of(key, spec);
      UniformRandomProvider ra = RandomSource.XO_RO_SHI_RO_128_PP.create(42L);
      UniformRandomProvider rb = RandomSource.XO_RO_SHI_RO_128_PP.create(42L);
      Workspace w = new Workspace(ra, vocab);
      for (int trial = 0; trial < 400; trial++) {
        int n = trial % 8 == 0 ? 1 : 1 + r.nextInt(60);
        int[] ids = new int[n];
        double[] p = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
          ids[i] = r.nextInt(vocab);
          p[i] = trial % 3 == 0 ? Math.exp(-8 * r.nextDouble()) : r.nextDouble();
          if (trial % 5 == 1 && i > 0 && r.nextInt(3) == 0) {
            p[i] = 0.0; // candidates of zero probability (outside the nucleus, underflow)
          }
          sum += p[i];
        }
        // Some trials unnormalised (mass 1.5): E_p[g] above 1, factors and p below 0.
        double norm = trial % 7 == 3 ? sum / 1.5 : sum;
        for (int i = 0; i < n; i++) {
          p[i] /= norm;
        }
        long seed = r.nextLong();
        double[] q = p.clone();
        w.ensure(n);
        double[] pw = w.probs;
        System.arraycopy(p, 0, pw, 0, n);
        int got = s.pick(seed, ids, pw, n, w);
        int want = twoPass(s, layers, seed, ids, q, n, rb);
        assertEquals(want, got, spec + ", trial " + trial);
        if (n > 1) {
          for (int i = 0; i < n; i++) {
            assertEquals(Double.doubleToRawLongBits(q[i]), Double.doubleToRawLongBits(pw[i]));
          }
        }
        assertEquals(rb.nextLong(), ra.nextLong(), "random streams apart after trial " + trial);
      }
    }
  }

  private static int twoPass(TournamentScheme s, int layers, long seed, int[] ids, double[] p,
      int n, UniformRandomProvider random) {
    long[] g = new long[n];
    for (int i = 0; i < n; i++) {
      g[i] = s.value(seed, ids[i]);
    }
    for (int l = 0; l < layers; l++) {
      double e = 0;
      for (int i = 0; i < n; i++) {
        e += (double) ((g[i] >>> l) & 1L) * p[i];
      }
      double[] f = {1.0 - e, 2.0 - e};
      for (int i = 0; i < n; i++) {
        p[i] *= f[(int) (g[i] >>> l) & 1];
      }
    }
    return StepSampler.multinomial(p, n, random);
  }
}
