package dev.radiomark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/**
 * Watermarked sampling moves the scores to their analytic expectations. Fresh windows (random
 * contexts: h = 2 over 1024 tokens for the green list, h = 4 over 64 for the tournament) keep repetition and
 * masking out of the way. (The finite-V correction to the formula is below 5e-4, a sixth of a
 * standard error.) Bands are 5 standard errors (two-sided false-failure 5.7e-7 per check).
 */
class WatermarkedSamplingTest {
  static final int V = 4096;
  static final int STEPS = 20_000;

  @Test
  void greenRateMatchesTheUniformModelFormula() {
    for (double delta : new double[] {1.0, 2.0}) {
      double gamma = 0.25;
      int V = 1024;
      Watermarker w = Watermarker.of(TestSupport.key(41),
          TestSupport.spec(Scheme.GREEN_LIST, V, 2, WindowRule.ORDERED).withGamma(gamma).withDelta(delta));
      Sampler s = w.sampler(SamplingConfig.defaults());
      DecodeState st = s.newState(TestSupport.rng(1));
      UniformRandomProvider rng = TestSupport.rng(2);
      float[] uniform = new float[V];
      int[] ctx = new int[2];
      long green = 0;
      for (int i = 0; i < STEPS; i++) {
        ctx[0] = rng.nextInt(V);
        ctx[1] = rng.nextInt(V);
        int tok = s.sample(uniform, ctx, 2, st);
        green += (long) w.score(w.windowSeed(ctx, 2), tok);
      }
      double e = Math.exp(delta);
      double expected = gamma * e / (1 + gamma * (e - 1));
      double se = Math.sqrt(expected * (1 - expected) / STEPS);
      assertEquals(expected, (double) green / STEPS, 5 * se, "delta " + delta);
    }
  }

  /**
   * For N = 2 and a uniform p, the first layer's g of the emitted token has mean
   * 1/2 + 1/4 (1 - 1/|V|): layer 0 reweights p by (1 + g - E[g]) and later layers are
   * distortion-free given it. Later layers act on an already reweighted (non-uniform) p and gain
   * less, 3/4 - 1/4 E[sum p_l^2], so the mean over m = 30 layers lies between 1/2 and that value.
   */
  @Test
  void tournamentMeanGMatchesTheUniformModelFormula() {
    int v = 64;
    Watermarker w = Watermarker.of(TestSupport.key(42), TestSupport.spec(Scheme.TOURNAMENT, v, 4, WindowRule.ORDERED));
    Watermarker first = Watermarker.of(TestSupport.key(42), w.spec().withLayers(1));
    Sampler s = w.sampler(SamplingConfig.defaults());
    DecodeState st = s.newState(TestSupport.rng(3));
    UniformRandomProvider rng = TestSupport.rng(4);
    float[] uniform = new float[v];
    int[] ctx = new int[4];
    double g0 = 0;
    double all = 0;
    double all2 = 0;
    for (int i = 0; i < STEPS; i++) {
      for (int j = 0; j < 4; j++) {
        ctx[j] = rng.nextInt(v);
      }
      st.reset(); // each step on a first-use window
      int tok = s.sample(uniform, ctx, 4, st);
      long ws = w.windowSeed(ctx, 4);
      g0 += first.score(ws, tok);
      double m = w.score(ws, tok) / 30.0;
      all += m;
      all2 += m * m;
    }
    double expected = 0.5 + 0.25 * (1 - 1.0 / v);
    double mean0 = g0 / STEPS;
    assertEquals(expected, mean0, 5 * Math.sqrt(expected * (1 - expected) / STEPS));
    double meanAll = all / STEPS;
    double sdAll = Math.sqrt((all2 / STEPS - meanAll * meanAll) / STEPS);
    assertTrue(meanAll > 0.5 + 5 * sdAll && meanAll < expected + 5 * sdAll, "mean g over 30 layers " + meanAll);
  }

  @Test
  void tournamentMasksRepeatedWindowsWithinASequence() {
    int v = 64;
    Watermarker w = Watermarker.of(TestSupport.key(43), TestSupport.spec(Scheme.TOURNAMENT, v, 1, WindowRule.ORDERED));
    Sampler s = w.sampler(SamplingConfig.defaults());
    Sampler plain = Sampler.plain(v, SamplingConfig.defaults());
    DecodeState a = s.newState(TestSupport.rng(5));
    DecodeState b = plain.newState(TestSupport.rng(5));
    float[] logits = new float[v];
    int[] ctx = {9};
    // First use consumes randomness differently; afterwards the window is masked: the draw is
    // the plain multinomial draw with the same random numbers.
    s.sample(logits, ctx, 1, a);
    plain.sample(logits, ctx, 1, b);
    for (int i = 0; i < 100; i++) {
      assertEquals(plain.sample(logits, ctx, 1, b), s.sample(logits, ctx, 1, a));
    }
  }
}
