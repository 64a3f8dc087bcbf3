package dev.radiomark.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.Scheme;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.key.WatermarkKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Calibration on human text: the first 4000 verses of the King James Bible (test resource
 * {@code corpus/kjv-sample.txt.gz}), tokenized with o200k_base, scored under many fresh keys.
 * The valid detector's randomized p-values are uniform; the naive variants (no de-duplication,
 * the z-score) are not calibrated and the same checks catch them.
 *
 * <p>False-failure rates: each KS assertion "not rejected at 0.001" fails a calibrated detector
 * with probability 0.001 (the randomized p-values are exactly uniform), three of them 0.003; each
 * "false-positive rate at most alpha" assertion with probability at most 0.001 (99.8%
 * Clopper-Pearson bound). The assertions that the naive variants fail are far from their
 * thresholds (see the printed numbers).
 */
class CalibrationKjvTest {
  private static final double KS_ALPHA = 0.001;

  /** Key i: id "calib-i", 32 secret bytes from a generator seeded with seed + i. */
  private static IntFunction<WatermarkKey> keys(long seed) {
    return i -> TestSupport.key("calib-" + i, TestSupport.rng(seed + i));
  }

  private static WatermarkSpec spec(Scheme scheme) {
    return WatermarkSpec.defaults(scheme, "o200k_base", TestSupport.O200K);
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void validDetectorIsCalibratedOnKjv(Scheme scheme) {
    List<int[]> texts = TestSupport.kjvTexts(3);
    int keys = 2000;
    CalibrationReport r = Calibration.run(texts, spec(scheme), keys, DetectorConfig.defaults(), keys(1000),
        TestSupport.rng(41));
    System.out.printf(Locale.ROOT, "KJV calibration %s: %d keys, %.1f tuples/key, KS D %.4f log10 p %.2f,"
        + " FPR 1e-2 %.4f [%.4f, %.4f], FPR 1e-3 %.4f%n", scheme, keys, r.meanTuplesScored(), r.uniformity().statistic(),
        r.uniformity().log10P(), (double) r.falsePositives1e2() / keys, r.interval1e2().lower(), r.interval1e2().upper(),
        (double) r.falsePositives1e3() / keys);
    assertEquals(keys, r.keys());
    assertTrue(r.meanTuplesScored() > 50, "texts of three verses score about 100 tuples");
    assertFalse(r.uniformity().reject(KS_ALPHA), () -> "KS rejects uniformity: " + r.uniformity());
    TestSupport.assertRateAtMost("FPR at 1e-2", r.falsePositives1e2(), keys, 1e-2);
    TestSupport.assertRateAtMost("FPR at 1e-3", r.falsePositives1e3(), keys, 1e-3);
    assertTrue(r.interval1e2().contains((double) r.falsePositives1e2() / keys));
  }

  /**
   * Without de-duplication, longer KJV passages (40 verses, about 1300 tokens, where "of the",
   * "and the", "unto the" recur dozens of times) count repeated tuples as independent evidence:
   * the p-values are far from uniform and the false-positive rate explodes.
   */
  @Test
  void noDeduplicationFailsCalibration() {
    List<int[]> texts = TestSupport.kjvTexts(40);
    int keys = 1000;
    WatermarkSpec spec = spec(Scheme.GREEN_LIST);
    CalibrationReport none = Calibration.run(texts, spec, keys, DetectorConfig.defaults().withDedup(Dedup.NONE),
        keys(2000), TestSupport.rng(42));
    CalibrationReport tuple = Calibration.run(texts, spec, keys, DetectorConfig.defaults(), keys(2000),
        TestSupport.rng(42));
    System.out.printf(Locale.ROOT, "KJV 40-verse passages, %d keys: Dedup.NONE %.0f tuples/key, KS log10 p %.1f,"
        + " FPR 1e-2 %.4f; Dedup.TUPLE %.0f tuples/key, KS log10 p %.2f, FPR 1e-2 %.4f%n", keys,
        none.meanTuplesScored(), none.uniformity().log10P(), (double) none.falsePositives1e2() / keys,
        tuple.meanTuplesScored(), tuple.uniformity().log10P(), (double) tuple.falsePositives1e2() / keys);
    assertTrue(none.uniformity().reject(1e-6), () -> "KS should reject: " + none.uniformity());
    TestSupport.assertRateAbove("FPR at 1e-2 without de-duplication", none.falsePositives1e2(), keys, 1e-2, 5);
    // The same texts and keys with the default protection pass.
    assertFalse(tuple.uniformity().reject(KS_ALPHA), () -> "KS rejects: " + tuple.uniformity());
    TestSupport.assertRateAtMost("FPR at 1e-2 with de-duplication", tuple.falsePositives1e2(), keys, 1e-2);
  }

  /**
   * The z-score with the normal tail on short texts (single verses, 25 to 50 scored tuples)
   * understates the p-value: at alpha = 1e-3 over 60000 fresh keys it rejects about twice as
   * often as alpha allows (the binomial's discreteness makes the excess vary with n between 1.1x
   * and 4x), while the exact binomial tail, from the very same counts, stays at or below alpha.
   */
  @Test
  void zScoreIsAntiConservativeOnShortTexts() {
    List<int[]> verses = new ArrayList<>();
    for (int[] v : TestSupport.kjvVerseTokens()) {
      if (v.length >= 27 && v.length <= 52) {
        verses.add(v);
      }
    }
    WatermarkSpec spec = spec(Scheme.GREEN_LIST);
    NormalDistribution normal = NormalDistribution.of(0, 1);
    UniformRandomProvider rng = TestSupport.rng(43);
    double alpha = 1e-3;
    int keys = 60_000;
    long fpExact = 0;
    long fpZ = 0;
    long tuples = 0;
    int[] empty = new int[0];
    for (int i = 0; i < keys; i++) {
      Detector d = Detector.of(Watermarker.of(TestSupport.key("z-" + i, rng), spec));
      DetectionResult r = d.detect(empty, verses.get(i % verses.size()));
      long n = r.tokensScored();
      assertTrue(n >= 20 && n <= 51, r::toString);
      tuples += n;
      double g = r.nullMean();
      double z = (r.score() - n * g) / Math.sqrt(n * g * (1 - g));
      fpZ += normal.survivalProbability(z) <= alpha ? 1 : 0;
      fpExact += r.reject(alpha) ? 1 : 0;
    }
    System.out.printf(Locale.ROOT, "single verses (%d, mean %.1f tuples), %d keys, FPR at %s: exact %.5f, z-score %.5f%n",
        verses.size(), (double) tuples / keys, keys, alpha, (double) fpExact / keys, (double) fpZ / keys);
    TestSupport.assertRateAtMost("exact tail", fpExact, keys, alpha);
    TestSupport.assertRateAbove("z-score", fpZ, keys, alpha, 1.2);
  }
}
