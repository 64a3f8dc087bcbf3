package dev.radiomark.verify.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;

/** The Chernoff tail of a weighted sum is never below the exact tail, and keeps its level. */
class WeightedNullTest {

  /** With every weight 1 the sum has the exact nulls; the bound must not be smaller. */
  @Test
  void boundIsAboveTheExactTailAtUnitWeights() {
    for (int n : new int[] {10, 100, 1000}) {
      for (int s = 0; s <= n; s += Math.max(1, n / 20)) {
        WeightedNull w = WeightedNull.bernoulli(0.25);
        for (int i = 0; i < n; i++) {
          w.add(1.0, i < s ? 1 : 0);
        }
        double exact = Tails.log10BinomialSurvival(n, s, 0.25);
        assertTrue(w.log10P() >= exact - 1e-9 * Math.max(1, -exact), n + " " + s + ": bound " + w.log10P() + " < exact " + exact);
        // and within the Chernoff gap, not arbitrarily loose: at most 0.5 log10 n + 1 above
        assertTrue(w.log10P() <= exact + 0.5 * Math.log10(n) + 1, n + " " + s + ": bound " + w.log10P() + ", exact " + exact);
      }
      for (double mean : new double[] {1.0, 1.2, 1.5, 2.0}) {
        WeightedNull g = WeightedNull.exponential();
        for (int i = 0; i < n; i++) {
          g.add(1.0, mean);
        }
        double exact = Tails.log10GammaSurvival(n, mean * n);
        assertTrue(g.log10P() >= exact - 1e-9, "gamma " + n + " " + mean + ": " + g.log10P() + " < " + exact);
      }
      WeightedNull b = WeightedNull.binomialHalf(30);
      for (int i = 0; i < n; i++) {
        b.add(1.0, 18);
      }
      assertTrue(b.log10P() >= Tails.log10BinomialSurvival(30L * n, 18L * n, 0.5) - 1e-9);
    }
  }

  /**
   * Level under H0 with random weights (q uniform in (0, 1]): over 4,000 seeded null sums of
   * 300 terms each, the bound is at or below 0.01 in at most 58 runs (the 1e-4 upper quantile of
   * Binomial(4000, 0.01): the false-failure rate, for a test with exact level; the bound is
   * conservative so far fewer are expected). Same for Exp(1) and Binomial(30, 1/2) scores.
   */
  @Test
  void levelHoldsWithRandomWeights() {
    UniformRandomProvider r = RandomSource.XO_RO_SHI_RO_128_PP.create(42);
    int[] hits = new int[3];
    for (int run = 0; run < 4000; run++) {
      WeightedNull[] w = {WeightedNull.bernoulli(0.25), WeightedNull.exponential(), WeightedNull.binomialHalf(30)};
      for (int i = 0; i < 300; i++) {
        double q = 1.0 - r.nextDouble();
        w[0].add(q, r.nextDouble() < 0.25 ? 1 : 0);
        w[1].add(q, -Math.log(1.0 - r.nextDouble()));
        int g = 0;
        for (int l = 0; l < 30; l++) {
          g += r.nextBoolean() ? 1 : 0;
        }
        w[2].add(q, g);
      }
      for (int k = 0; k < 3; k++) {
        if (w[k].log10P() <= -2) {
          hits[k]++;
        }
      }
    }
    for (int k = 0; k < 3; k++) {
      assertTrue(hits[k] <= 58, "law " + k + ": " + hits[k] + " of 4000 at 0.01");
    }
  }

  @Test
  void argumentsAreChecked() {
    WeightedNull w = WeightedNull.bernoulli(0.25);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.add(1.5, 1));
    assertTrue(e.getMessage().contains("weight") && e.getMessage().contains("1.5"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> WeightedNull.bernoulli(1.0));
    assertTrue(e.getMessage().contains("gamma"), e.getMessage());
    assertEquals(0.0, w.log10P());
  }
}
