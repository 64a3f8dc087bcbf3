package dev.radiomark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/**
 * The sampled law is the documented one. Each check is a Pearson chi-square goodness-of-fit test
 * (commons-statistics ChiSquaredDistribution) at alpha = 1e-4 with a fixed seed; 12 checks give a
 * false-failure rate below 1.2e-3 for a fresh seed.
 */
class DistributionTest {
  static final double ALPHA = 1e-4;
  static final int V = 10;
  static final float[] LOGITS = {1.5f, 0.25f, -2f, 3.0f, 2.875f, -1e30f, 0f, 0.5f, 1.0f, -0.75f};

  /**
   * The exact law of the documented order of operations, computed independently of the sampler:
   * (biased) logits, temperature, top-k, softmax, top-p on the sorted probabilities.
   */
  static double[] expected(float[] biased, SamplingConfig c) {
    Integer[] order = IntStream.range(0, V).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -biased[i]).thenComparingInt(i -> i));
    int k = c.topK() == 0 ? V : Math.min(c.topK(), V);
    double max = biased[order[0]];
    double[] p = new double[V];
    double sum = 0;
    for (int r = 0; r < k; r++) {
      int i = order[r];
      p[i] = Math.exp((biased[i] - max) / c.temperature());
      sum += p[i];
    }
    double mass = 0;
    int keep = k;
    for (int r = 0; r < k; r++) {
      mass += p[order[r]] / sum;
      if (mass >= c.topP()) {
        keep = r + 1;
        break;
      }
    }
    double kept = 0;
    for (int r = 0; r < V; r++) {
      if (r >= keep) {
        p[order[r]] = 0;
      }
      kept += p[order[r]];
    }
    for (int i = 0; i < V; i++) {
      p[i] /= kept;
    }
    return p;
  }

  static final SamplingConfig[] CONFIGS = {
      SamplingConfig.defaults(),
      SamplingConfig.defaults().withTemperature(0.7),
      SamplingConfig.defaults().withTopK(4),
      SamplingConfig.defaults().withTopP(0.8),
      SamplingConfig.defaults().withTemperature(1.3).withTopK(6).withTopP(0.9),
  };

  @Test
  void greenListSamplesSoftmaxOfTheBiasedLogits() {
    Watermarker w = Watermarker.of(TestSupport.key(51), TestSupport.spec(Scheme.GREEN_LIST, V, 1, WindowRule.ORDERED));
    int[] ctx = {3};
    float[] biased = LOGITS.clone();
    w.processor().bias(biased, ctx, 1);
    int greens = 0;
    for (int i = 0; i < V; i++) {
      greens += biased[i] != LOGITS[i] ? 1 : 0;
    }
    assertTrue(greens > 0 && greens < V, "window 3 should have some but not all tokens green: " + greens);
    int n = 200_000;
    for (SamplingConfig c : CONFIGS) {
      Sampler s = w.sampler(c);
      DecodeState st = s.newState(TestSupport.rng(52));
      long[] counts = new long[V];
      for (int i = 0; i < n; i++) {
        counts[s.sample(LOGITS, ctx, 1, st)]++;
      }
      double p = TestSupport.chiSquarePValue(counts, expected(biased, c));
      assertTrue(p > ALPHA, c + ": p = " + p + " counts " + Arrays.toString(counts));
    }
  }

  /** Over fresh keys, Gumbel and tournament samplers emit tokens with exactly the model's law. */
  @Test
  void gumbelAndTournamentAreDistortionFreeOverKeys() {
    int keys = 20_000;
    int[] ctx = {1, 2, 3, 4};
    for (Scheme scheme : new Scheme[] {Scheme.GUMBEL, Scheme.TOURNAMENT}) {
      for (SamplingConfig c : new SamplingConfig[] {CONFIGS[0], CONFIGS[4]}) {
        long[] counts = new long[V];
        UniformRandomProvider random = TestSupport.rng(53);
        for (int k = 0; k < keys; k++) {
          Watermarker w = Watermarker.of(TestSupport.key(1000 + k), TestSupport.spec(scheme, V, 4, WindowRule.ORDERED));
          Sampler s = w.sampler(c);
          counts[s.sample(LOGITS, ctx, 4, s.newState(random))]++;
        }
        double p = TestSupport.chiSquarePValue(counts, expected(LOGITS, c));
        assertTrue(p > ALPHA, scheme + " " + c + ": p = " + p + " counts " + Arrays.toString(counts));
      }
    }
  }

  /**
   * Top-p leaves an unnormalised nucleus; the tournament's E_p[g] must use the renormalised p or
   * the closed form is no longer distortion-free. p = (0.4, 0.2, 0.2, 0.2), top-p 0.55 keeps
   * tokens 0 and 1 (ties by id), whose law must be (2/3, 1/3).
   */
  @Test
  void tournamentStaysDistortionFreeAfterTopP() {
    float[] logits = {(float) Math.log(0.4), (float) Math.log(0.2), (float) Math.log(0.2), (float) Math.log(0.2)};
    int n = 200_000;
    UniformRandomProvider rng = TestSupport.rng(57);
    for (Scheme scheme : new Scheme[] {Scheme.GUMBEL, Scheme.TOURNAMENT}) {
      Watermarker w = Watermarker.of(TestSupport.key(58), TestSupport.spec(scheme, 4, 4, WindowRule.ORDERED));
      Sampler s = w.sampler(SamplingConfig.defaults().withTopP(0.55));
      DecodeState st = s.newState(TestSupport.rng(59));
      long[] counts = new long[4];
      int[] ctx = new int[4];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < 4; j++) {
          ctx[j] = rng.nextInt(4);
        }
        ctx[0] = i; // ids beyond the vocabulary are fine in a context: 2^32 fresh windows
        st.reset();
        counts[s.sample(logits, ctx, 4, st)]++;
      }
      double p = TestSupport.chiSquarePValue(counts, new double[] {2.0 / 3, 1.0 / 3, 0, 0});
      assertTrue(p > ALPHA, scheme + ": p = " + p + " counts " + Arrays.toString(counts));
    }
  }

  /** The same over windows under one key (what a reader of many texts sees). */
  @Test
  void gumbelAndTournamentAreDistortionFreeOverWindows() {
    int n = 100_000;
    UniformRandomProvider rng = TestSupport.rng(54);
    for (Scheme scheme : new Scheme[] {Scheme.GUMBEL, Scheme.TOURNAMENT}) {
      for (WindowRule rule : WindowRule.values()) {
        Watermarker w = Watermarker.of(TestSupport.key(55), TestSupport.spec(scheme, 1 << 20, 2, rule));
        Sampler s = w.sampler(SamplingConfig.defaults());
        DecodeState st = s.newState(TestSupport.rng(56));
        long[] counts = new long[V];
        int[] cand = IntStream.range(0, V).toArray();
        int[] ctx = new int[2];
        for (int i = 0; i < n; i++) {
          ctx[0] = rng.nextInt(1 << 20);
          ctx[1] = rng.nextInt(1 << 20);
          st.reset();
          counts[s.sampleCandidates(cand, LOGITS, V, ctx, 2, st)]++;
        }
        double p = TestSupport.chiSquarePValue(counts, expected(LOGITS, SamplingConfig.defaults()));
        if (rule == WindowRule.SELF_SEEDING) {
          // Documented property, not a bug: self-seeding is distortion-free over keys but not over
          // windows under one key. A candidate whose own token hash is below the window's min-hash
          // (about 1/3 of the time at h = 2) uses the seed tokenHash(v) in every such window, so
          // its u is fixed by the key and the same tokens keep winning (measured here with the seeds below: token 3 at
          // about 60% instead of 41% for Gumbel). Prefer ordered or min-hash windows for these schemes.
          assertTrue(p < ALPHA, scheme + " self-seeding unexpectedly undistorted over windows");
          continue;
        }
        assertTrue(p > ALPHA, scheme + " " + rule + ": p = " + p + " counts " + Arrays.toString(counts));
      }
    }
  }
}
