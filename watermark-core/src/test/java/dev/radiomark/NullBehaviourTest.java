package dev.radiomark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.statistics.distribution.BinomialDistribution;
import org.junit.jupiter.api.Test;

/**
 * Text written without the key: scores follow the documented null laws.
 *
 * <p>Every test uses fixed seeds, so it either always passes or always fails; the alpha of each
 * check is the chance that a fresh seed would fail it on a correct implementation. Checks here use
 * alpha = 1e-4 (or a 5-sigma band, two-sided 5.7e-7); with about 50 checks in this class the
 * false-failure rate for a new seed is below 0.5%.
 */
class NullBehaviourTest {
  static final double ALPHA = 1e-4;
  static final int V = 50_000;

  /** Two-sided binomial p-value (twice the smaller tail, capped at 1). */
  static double binomialTwoSided(long k, int n, double p) {
    BinomialDistribution d = BinomialDistribution.of(n, p);
    double lo = d.cumulativeProbability((int) k);
    double hi = d.survivalProbability((int) k - 1);
    return Math.min(1.0, 2 * Math.min(lo, hi));
  }

  private static int[] uniformText(long seed, int n) {
    UniformRandomProvider rng = TestSupport.rng(seed);
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      t[i] = rng.nextInt(V);
    }
    return t;
  }

  /** Zipf(s = 1.1) over V by inverse CDF: a natural-language-like token law with many repeats. */
  private static int[] zipfText(long seed, int n) {
    double[] cdf = new double[V];
    double sum = 0;
    for (int i = 0; i < V; i++) {
      sum += Math.pow(i + 1, -1.1);
      cdf[i] = sum;
    }
    UniformRandomProvider rng = TestSupport.rng(seed);
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      double u = rng.nextDouble() * sum;
      int j = java.util.Arrays.binarySearch(cdf, u);
      t[i] = j >= 0 ? j : Math.min(V - 1, -j - 1);
    }
    return t;
  }

  @Test
  void greenRateIsGammaOnDeduplicatedTuples() {
    for (WindowRule rule : WindowRule.values()) {
      for (int h : new int[] {1, 2}) {
        for (double gamma : new double[] {0.25, 0.5}) {
          Watermarker w = Watermarker.of(TestSupport.key(31),
              TestSupport.spec(Scheme.GREEN_LIST, V, h, rule).withGamma(gamma));
          for (int[] text : new int[][] {uniformText(1, 60_000), zipfText(2, 60_000)}) {
            Set<String> seen = new HashSet<>();
            int n = 0;
            long green = 0;
            for (int t = h; t < text.length; t++) {
              long ws = w.windowSeed(text, t);
              // De-duplicate on (tupleSeed, token): a repeated tuple is not new evidence.
              if (seen.add(w.tupleSeed(ws, text[t]) + ":" + text[t])) {
                n++;
                green += (long) w.score(ws, text[t]);
              }
            }
            double p = binomialTwoSided(green, n, gamma);
            assertTrue(p > ALPHA, rule + " h=" + h + " gamma=" + gamma + ": " + green + " of " + n + " p=" + p);
          }
        }
      }
    }
  }

  @Test
  void membershipsAreIndependentAcrossTokensAndWindows() {
    UniformRandomProvider rng = TestSupport.rng(5);
    for (WindowRule rule : WindowRule.values()) {
      Watermarker w = Watermarker.of(TestSupport.key(32), TestSupport.spec(Scheme.GREEN_LIST, V, 1, rule));
      long[][] sameWindow = new long[2][2];
      long[][] sameToken = new long[2][2];
      int[] ctx = new int[1];
      int sharedSeeds = 0;
      for (int i = 0; i < 100_000; i++) {
        int a = rng.nextInt(V - 1);
        ctx[0] = a;
        long w1 = w.windowSeed(ctx, 1);
        ctx[0] = a + 1;
        long w2 = w.windowSeed(ctx, 1);
        int tok = rng.nextInt(V - 1);
        // Adjacent tokens in one window.
        sameWindow[(int) w.score(w1, tok)][(int) w.score(w1, tok + 1)]++;
        // The same token in adjacent windows. Under self-seeding both tuples share their seed
        // whenever the token's own hash is the minimum (about 1/3 of pairs at h = 1): they are then
        // one tuple, score identically and count once in detection (de-dup on (tupleSeed, token)).
        if (w.tupleSeed(w1, tok) == w.tupleSeed(w2, tok)) {
          assertEquals(w.score(w1, tok), w.score(w2, tok));
          sharedSeeds++;
          continue;
        }
        sameToken[(int) w.score(w1, tok)][(int) w.score(w2, tok)]++;
      }
      assertTrue(TestSupport.independencePValue(sameWindow) > ALPHA, rule + " same window");
      assertTrue(TestSupport.independencePValue(sameToken) > ALPHA, rule + " same token");
      if (rule == WindowRule.SELF_SEEDING) {
        assertTrue(sharedSeeds > 25_000 && sharedSeeds < 42_000, "shared tuple seeds " + sharedSeeds);
      } else {
        assertEquals(0, sharedSeeds);
      }
    }
  }

  @Test
  void gumbelScoresAreExponential() {
    Watermarker w = Watermarker.of(TestSupport.key(33), TestSupport.spec(Scheme.GUMBEL, V, 4, WindowRule.ORDERED));
    int[] text = uniformText(3, 100_004);
    int n = text.length - 4;
    double[] s = new double[n];
    double sum = 0;
    for (int t = 4; t < text.length; t++) {
      s[t - 4] = w.score(w.windowSeed(text, t), text[t]);
      sum += s[t - 4];
    }
    // Mean of n Exp(1): sd 1/sqrt(n); 5 sigma.
    assertEquals(1.0, sum / n, 5 / Math.sqrt(n));
    java.util.Arrays.sort(s);
    double d = 0;
    for (int i = 0; i < n; i++) {
      double f = -Math.expm1(-s[i]);
      d = Math.max(d, Math.max(f - (double) i / n, (double) (i + 1) / n - f));
    }
    // Kolmogorov-Smirnov: P[D > sqrt(ln(2/alpha) / (2n))] <= alpha (Dvoretzky-Kiefer-Wolfowitz-Massart).
    double crit = Math.sqrt(Math.log(2 / ALPHA) / (2.0 * n));
    assertTrue(d < crit, "KS D = " + d + " >= " + crit);
  }

  @Test
  void tournamentGValuesAreFairAndIndependentAcrossLayers() {
    Watermarker w = Watermarker.of(TestSupport.key(34), TestSupport.spec(Scheme.TOURNAMENT, V, 4, WindowRule.ORDERED));
    Watermarker[] layer = new Watermarker[30];
    int[] text = uniformText(4, 60_004);
    int n = text.length - 4;
    long[] ones = new long[30];
    long[][][] pairs = new long[3][2][2];
    int[][] pairLayers = {{0, 1}, {14, 15}, {0, 29}};
    double total = 0;
    // g_l is bit l of value(tupleSeed, token); layer l's g-value alone is the m = 1 score of a
    // watermarker whose spec has layers = l + 1 minus the m = l score.
    for (int l = 0; l < 30; l++) {
      layer[l] = Watermarker.of(TestSupport.key(34), w.spec().withLayers(l + 1));
    }
    for (int t = 4; t < text.length; t++) {
      long ws = w.windowSeed(text, t);
      int[] g = new int[30];
      double prev = 0;
      for (int l = 0; l < 30; l++) {
        double c = layer[l].score(ws, text[t]);
        g[l] = (int) (c - prev);
        prev = c;
        ones[l] += g[l];
      }
      assertEquals(prev, w.score(ws, text[t]));
      total += prev;
      for (int k = 0; k < 3; k++) {
        pairs[k][g[pairLayers[k][0]]][g[pairLayers[k][1]]]++;
      }
    }
    // 30 per-layer tests at alpha 1e-4: union bound 3e-3 on a false failure.
    for (int l = 0; l < 30; l++) {
      assertTrue(binomialTwoSided(ones[l], n, 0.5) > ALPHA, "layer " + l + ": " + ones[l] + " of " + n);
    }
    for (int k = 0; k < 3; k++) {
      assertTrue(TestSupport.independencePValue(pairs[k]) > ALPHA, "layers " + java.util.Arrays.toString(pairLayers[k]));
    }
    // The total over m = 30 layers is Binomial(30 n, 1/2).
    assertTrue(binomialTwoSided((long) total, 30 * n, 0.5) > ALPHA);
  }
}
