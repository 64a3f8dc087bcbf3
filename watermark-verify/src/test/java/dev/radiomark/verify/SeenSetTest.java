package dev.radiomark.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.verify.stats.Tails;
import dev.radiomark.verify.stats.UniformityTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/**
 * The memory-bounded de-duplication tape: a Bloom filter that wrongly skips about 30% of new
 * tuples. Its skips depend on tuple identities only, never on scores, so the p-values stay exact;
 * the cost is fewer tuples scored.
 */
class SeenSetTest {
  private static final double ALPHA = 0.01;

  /**
   * KJV passages of 12 verses under 2000 fresh keys, one tiny filter per text: sized for 50
   * identities at a 30% false-positive rate, it receives about 450, so it ends up skipping most
   * new tuples (about two thirds). False-failure
   * rates: FPR at most alpha, 0.001; KS at 0.001, 0.001; the green rate of the skipped new
   * tuples (two-sided binomial test at 1e-3), 0.001.
   */
  @Test
  void tinyBloomFilterKeepsPValuesCalibratedAndCostsTuples() {
    WatermarkSpec spec = TestSupport.greenO200k();
    List<int[]> texts = TestSupport.kjvTexts(12);
    UniformRandomProvider rng = TestSupport.rng(51);
    int keys = 2000;
    long fpBounded = 0;
    long scoredBounded = 0;
    long scoredExact = 0;
    long skippedNew = 0;
    long skippedNewGreen = 0;
    double[] rand = new double[keys];
    int[] empty = new int[0];
    for (int i = 0; i < keys; i++) {
      int[] text = texts.get(i % texts.size());
      Detector d = Detector.of(Watermarker.of(TestSupport.key("bloom-" + i, rng), spec));
      double[] exactScores = new double[text.length];
      double[] boundedScores = new double[text.length];
      DetectionResult exact = d.newTape().add(empty, text, null, exactScores);
      DetectionResult bounded = d.newTape(SeenSet.bounded(50, 0.3)).add(empty, text, null, boundedScores);
      for (int t = 0; t < text.length; t++) {
        if (!Double.isNaN(boundedScores[t])) {
          assertEquals(exactScores[t], boundedScores[t], "scored by the bounded tape: scored alike by the exact one");
        } else if (!Double.isNaN(exactScores[t])) {
          skippedNew++;
          skippedNewGreen += exactScores[t] == 1.0 ? 1 : 0;
        }
      }
      assertEquals(exact.tokensScored() + exact.skippedRepeats(), bounded.tokensScored() + bounded.skippedRepeats());
      scoredBounded += bounded.tokensScored();
      scoredExact += exact.tokensScored();
      fpBounded += bounded.reject(ALPHA) ? 1 : 0;
      rand[i] = Calibration.randomized(d.nullModel(), spec, bounded, rng.nextDouble());
    }
    double ks = UniformityTest.kolmogorovSmirnov(rand).log10P();
    double lost = 1 - (double) scoredBounded / scoredExact;
    // Two-sided exact binomial test that skipped new tuples are green at rate gamma.
    double upper = Tails.log10BinomialSurvival(skippedNew, skippedNewGreen, 0.25);
    double lower = Tails.log10BinomialSurvival(skippedNew, skippedNew - skippedNewGreen, 0.75);
    System.out.printf(Locale.ROOT, "bounded(50, 0.3) over %d keys: %.1f%% of new tuples skipped, green rate of skipped %.4f,"
        + " FPR at %s %.4f, KS log10 p %.2f%n", keys, 100 * lost, (double) skippedNewGreen / skippedNew, ALPHA,
        (double) fpBounded / keys, ks);
    assertTrue(lost > 0.3 && lost < 0.95, "a tiny filter skips a sizeable share of new tuples: " + lost);
    assertTrue(Math.min(upper, lower) > -3.3, "skips do not depend on colour");
    TestSupport.assertRateAtMost("bounded tape", fpBounded, keys, ALPHA);
    assertTrue(ks > -3, "KS rejects the bounded tape's randomized p-values: log10 p " + ks);
  }

  /** The tape hands the set tuple identities (tuple seed and token), nothing that depends on the score. */
  @Test
  void tapeConsultsTheSetWithIdentitiesOnly() {
    WatermarkSpec spec = WatermarkSpec.greenList("test", 100).withContextWidth(1);
    Watermarker wm = Watermarker.of(TestSupport.key("ids", TestSupport.rng(52)), spec);
    List<Long> seen = new ArrayList<>();
    SeenSet exact = SeenSet.exact();
    SeenSet recording = id -> {
      seen.add(id);
      return exact.add(id);
    };
    int[] text = {1, 2, 1, 2, 3};
    DetectionResult r = Detector.of(wm).newTape(recording).add(new int[0], text, null, null);
    assertEquals(3, r.tokensScored());
    assertEquals(1, r.skippedRepeats());
    List<Long> expected = new ArrayList<>();
    for (int t = 1; t < text.length; t++) {
      long ws = wm.windowSeed(text, t);
      expected.add(Detector.tupleIdentity(wm.tupleSeed(ws, text[t]), text[t]));
    }
    assertEquals(expected, seen);
    // Window mode hands over window seeds and, for a new window, its tuple identity (under
    // self-seeding two new windows can share one tuple).
    seen.clear();
    SeenSet exact2 = SeenSet.exact();
    Detector.of(wm, DetectorConfig.defaults().withDedup(Dedup.WINDOW)).newTape(id -> {
      seen.add(id);
      return exact2.add(id);
    }).add(new int[0], text, null, null);
    assertEquals(List.of(wm.windowSeed(text, 1), expected.get(0), wm.windowSeed(text, 2), expected.get(1),
        wm.windowSeed(text, 3), wm.windowSeed(text, 4)), seen);
  }

  /**
   * A tape sized ahead answers as the default one, also past its expected size (it must still
   * grow), on keys with repeats and the zero key; bad sizes are rejected. Fixed seed.
   */
  @Test
  void presizedExactSetAnswersAsTheDefault() {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(0x5eed_5e75L);
    for (long expected : new long[] {0, 1, 700, 5_000}) {
      SeenSet a = SeenSet.exact();
      SeenSet b = SeenSet.exact(expected);
      java.util.Set<Long> reference = new java.util.HashSet<>();
      for (int i = 0; i < 40_000; i++) {
        long k = rnd.nextInt(4) == 0 ? rnd.nextLong(30_000) - 2 : rnd.nextLong();
        boolean fresh = reference.add(k);
        assertEquals(fresh, a.add(k), "default, key " + i);
        assertEquals(fresh, b.add(k), "expected " + expected + ", key " + i);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> SeenSet.exact(-1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SeenSet.exact((1L << 29) + 1));
    assertTrue(e.getMessage().contains("expected"), e.getMessage());
  }

  @Test
  void exactSetNeverForgetsAndBoundedChecksArguments() {
    SeenSet s = SeenSet.exact();
    for (long i = -5000; i < 5000; i++) {
      assertTrue(s.add(i * 0x9E3779B97F4A7C15L));
    }
    for (long i = -5000; i < 5000; i++) {
      assertFalse(s.add(i * 0x9E3779B97F4A7C15L));
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SeenSet.bounded(10, 0.5));
    assertTrue(e.getMessage().contains("falsePositiveRate") && e.getMessage().contains("0.5"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SeenSet.bounded(0, 0.1));
    assertTrue(e.getMessage().contains("expected") && e.getMessage().contains(": 0"), e.getMessage());
  }
}
