package dev.radiomark.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.Scheme;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.verify.stats.Tails;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The detector's p-values: equal to the exact tails, never NaN or positive, never underflowing. */
class DetectorPValueTest {
  private static final int V = 1000;

  /**
   * Builds h = 1 text whose scored tuples have the wanted green pattern, by picking each next
   * token (never used before, so every tuple is distinct) until its colour matches.
   */
  private static int[] textWithGreens(Watermarker wm, boolean[] green) {
    int[] text = new int[green.length + 1];
    boolean[] used = new boolean[V];
    text[0] = 0;
    used[0] = true;
    int next = 1;
    for (int i = 0; i < green.length; i++) {
      long ws = wm.windowSeed(text, i + 1);
      int v = next;
      while (used[v] || (wm.score(ws, v) == 1.0) != green[i]) {
        v++;
      }
      used[v] = true;
      text[i + 1] = v;
      while (used[next]) {
        next++;
      }
    }
    return text;
  }

  @Test
  void greenListPValueIsTheBinomialTailComputedByHand() {
    Watermarker wm = Watermarker.of(TestSupport.key("hand", TestSupport.rng(3)), WatermarkSpec.greenList("test", V));
    int[] text = textWithGreens(wm, new boolean[] {true, false, true, true, false});
    DetectionResult r = Detector.of(wm).detect(new int[0], text);
    assertEquals(5, r.tokensScored());
    assertEquals(3.0, r.score());
    // P[Bin(5, 1/4) >= 3] = (10 * 9 + 5 * 3 + 1) / 4^5 = 106 / 1024 (gamma 0.25 is exact in binary).
    assertEquals(Math.log10(106.0 / 1024), r.log10P(), 1e-14);
    assertEquals(106.0 / 1024, r.pValue(), 1e-15);
    assertEquals(Tails.log10BinomialSurvival(5, 3, 0.25), r.log10P(), 0.0);
    assertTrue(r.reject(0.11) && !r.reject(0.1));
    assertEquals(0.6, r.rate(), 1e-15);
    assertEquals(0.25, r.nullRate(), 0.0);

    // All green: p = gamma^n.
    DetectionResult all = Detector.of(wm).detect(new int[0], textWithGreens(wm, new boolean[12]));
    assertEquals(0.0, all.score());
    assertEquals(0.0, all.log10P(), 0.0, "no green: p = 1");
    boolean[] g = new boolean[40];
    java.util.Arrays.fill(g, true);
    DetectionResult hi = Detector.of(wm).detect(new int[0], textWithGreens(wm, g));
    assertEquals(40 * Math.log10(0.25), hi.log10P(), 1e-12);
  }

  @Test
  void gumbelPValueIsTheGammaTailComputedByHand() {
    Watermarker wm = Watermarker.of(TestSupport.key("hand", TestSupport.rng(4)), WatermarkSpec.gumbel("test", V).withContextWidth(1));
    int[] text = {3, 1, 4, 1, 5, 9, 2, 6};
    DetectionResult r = Detector.of(wm).detect(new int[0], text);
    assertEquals(7, r.tokensScored());
    double s = 0;
    for (int t = 1; t < text.length; t++) {
      s += wm.score(wm.windowSeed(text, t), text[t]);
    }
    assertEquals(s, r.score(), 1e-12);
    // Q(n, s) = exp(-s) sum_{k < n} s^k / k! for integer n.
    double term = 1;
    double sum = 1;
    for (int k = 1; k < 7; k++) {
      term *= s / k;
      sum += term;
    }
    assertEquals(Math.log10(Math.exp(-s) * sum), r.log10P(), 1e-12);
  }

  @Test
  void tournamentPValueIsTheBinomialTailOverAllLayers() {
    WatermarkSpec spec = WatermarkSpec.tournament("test", V).withContextWidth(1).withLayers(3);
    Watermarker wm = Watermarker.of(TestSupport.key("hand", TestSupport.rng(5)), spec);
    int[] text = {10, 20, 30, 40};
    DetectionResult r = Detector.of(wm).detect(new int[0], text);
    assertEquals(3, r.tokensScored());
    long s = Math.round(r.score());
    // P[Bin(9, 1/2) >= s] by direct summation.
    double p = 0;
    for (long k = s; k <= 9; k++) {
      p += binomial(9, k) / 512.0;
    }
    assertEquals(Math.log10(p), r.log10P(), 1e-13);
    assertEquals(s / 9.0, r.rate(), 1e-15);
  }

  private static double binomial(int n, long k) {
    double c = 1;
    for (int i = 0; i < k; i++) {
      c = c * (n - i) / (i + 1);
    }
    return c;
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void log10PIsNeverNaNNorPositive(Scheme scheme) {
    UniformRandomProvider rng = TestSupport.rng(6);
    for (int trial = 0; trial < 300; trial++) {
      int h = trial % 4;
      WatermarkSpec spec = WatermarkSpec.defaults(scheme, "test", 50).withContextWidth(h);
      Watermarker wm = Watermarker.of(TestSupport.key("k" + trial, rng), spec);
      int[] text = new int[rng.nextInt(60)];
      for (int i = 0; i < text.length; i++) {
        // Tiny vocabulary: many repeats, many all-hit and no-hit texts.
        text[i] = rng.nextInt(trial % 2 == 0 ? 3 : 50);
      }
      for (Dedup dd : Dedup.values()) {
        DetectionResult r = Detector.of(wm, DetectorConfig.defaults().withDedup(dd)).detect(new int[0], text);
        assertTrue(r.log10P() <= 0 && !Double.isNaN(r.log10P()), () -> scheme + " " + r);
        assertTrue(r.log10P() > Double.NEGATIVE_INFINITY, () -> scheme + " " + r);
      }
    }
  }

  /**
   * A long, strongly watermarked text (200k tokens from a 50-token uniform law, h = 4) has
   * evidence far beyond 1e-1000: reported as a finite log10 p, far below the double range.
   */
  @ParameterizedTest
  @EnumSource(Scheme.class)
  void longWatermarkedTextDoesNotUnderflow(Scheme scheme) {
    WatermarkSpec spec = WatermarkSpec.defaults(scheme, "test", V).withContextWidth(4);
    Watermarker wm = Watermarker.of(TestSupport.key("long", TestSupport.rng(7)), spec);
    // The tournament sampler is slower (m = 30 layers per candidate): 30k tokens suffice.
    int length = scheme == Scheme.TOURNAMENT ? 30_000 : 200_000;
    int[] text = TestSupport.watermarked(wm, TestSupport.uniformLogits(V, 50), length, TestSupport.rng(8));
    DetectionResult r = Detector.of(wm).detect(new int[0], text);
    assertTrue(r.tokensScored() > 1000, r::toString);
    assertTrue(Double.isFinite(r.log10P()) && r.log10P() < -1000, r::toString);
    assertEquals(0.0, r.pValue(), "the plain double underflows; log10P does not");
    // Consistent with the tail functions themselves.
    double direct = scheme == Scheme.GUMBEL ? Tails.log10GammaSurvival(r.tokensScored(), r.score())
        : Tails.log10BinomialSurvival(r.tokensScored() * (scheme == Scheme.TOURNAMENT ? spec.layers() : 1),
            Math.round(r.score()), r.nullRate() == 0.5 ? 0.5 : 0.25);
    assertEquals(direct, r.log10P(), 1e-9 * Math.abs(direct));
  }
}
