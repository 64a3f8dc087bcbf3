package dev.radiomark.scheme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.WindowRule;
import dev.radiomark.key.WatermarkKey;
import dev.radiomark.prf.KeyedPrf;
import java.util.SplittableRandom;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;

class GumbelPickTest {

  /** The pick is the rule as specified: argmax StrictMath.log(u) / p, first index among equals. */
  @Test
  void pickIsTheSpecifiedArgmax() {
    byte[] secret = new byte[32];
    for (int i = 0; i < secret.length; i++) {
      secret[i] = (byte) (5 * i + 2);
    }
    WatermarkKey key = WatermarkKey.of("test", secret);
    int vocab = 5000;
    SplittableRandom r = new SplittableRandom(11);
    for (WatermarkSpec spec : new WatermarkSpec[] {
        WatermarkSpec.gumbel("t", vocab).withContextWidth(4),
        WatermarkSpec.gumbel("t", vocab).withContextWidth(4).withWindowRule(WindowRule.SELF_SEEDING),
        WatermarkSpec.gumbel("t", vocab).withContextWidth(0)}) {
      GumbelScheme g = (GumbelScheme) Watermarker.of(key, spec);
      Workspace w = new Workspace(RandomSource.XO_RO_SHI_RO_128_PP.create(1L), vocab);
      for (int trial = 0; trial < 300; trial++) {
        long ws = trial == 0 ? 0L : trial == 1 ? -1L : r.nextLong();
        int n = 1 + r.nextInt(trial % 3 == 0 ? 4 : 3000);
        int[] ids = new int[n];
        double[] p = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
          ids[i] = r.nextInt(vocab);
          p[i] = r.nextInt(10) == 0 ? 0.0 : Math.exp(-10 * r.nextDouble());
          sum += p[i];
        }
        if (sum == 0) {
          p[0] = 1;
          sum = 1;
        }
        for (int i = 0; i < n; i++) {
          p[i] /= sum;
        }
        int want = -1;
        double wantKey = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
          if (p[i] > 0) {
            double k = StrictMath.log(KeyedPrf.unitOpen(g.value(ws, ids[i]))) / p[i];
            if (want < 0 || k > wantKey) {
              want = i;
              wantKey = k;
            }
          }
        }
        assertEquals(want, g.pick(ws, ids, p, n, w), spec + " window " + ws + " n " + n);
      }
    }
  }
}
