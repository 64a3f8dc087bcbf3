package dev.radiomark.verify;

import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/**
 * {@code wm detect --segments} gives one verdict per text from a family of tests: whole text and
 * best segment under every key. Deciding on the smallest of those p-values without a correction
 * rejects far more often than alpha; {@link MultiKey}'s Holm correction over the whole family does
 * not.
 *
 * <p>Human text (KJV passages of 12 verses, about 400 scored tuples) under fresh keys, Gumbel
 * scheme (continuous scores: the whole-text test alone is exact at alpha, so any excess comes
 * from the search), alpha 0.05, seeds fixed. Each assertion uses a 99.8% Clopper-Pearson
 * interval: a correct family fails "at most alpha" with probability at most 0.001, and the
 * measured uncorrected rates (0.077 and 0.28 in a 2,000-trial exploration) fail "clearly above"
 * with probability below 0.002.
 */
class FamilyCorrectionTest {
  private static final double ALPHA = 0.05;
  private static final WatermarkSpec SPEC = WatermarkSpec.gumbel("o200k_base", TestSupport.O200K);

  /** Rejection counts over the trials: the uncorrected minimum, and the corrected family verdict. */
  private record Rates(long uncorrected, long corrected, int trials) {}

  /**
   * Runs {@code trials} null texts under {@code k} fresh keys each; the uncorrected decision takes the
   * smallest p-value of the given kind(s) over the keys.
   */
  private static Rates run(int k, int trials, boolean wholeInUncorrected, long seed) {
    List<int[]> texts = TestSupport.kjvTexts(12);
    UniformRandomProvider rng = TestSupport.rng(seed);
    SegmentSearch search = SegmentSearch.withMinLength(16);
    double la = Math.log10(ALPHA);
    long uncorrected = 0;
    long corrected = 0;
    for (int t = 0; t < trials; t++) {
      int[] text = texts.get(t % texts.size());
      List<DetectionResult> whole = new ArrayList<>();
      List<SegmentResult> segments = new ArrayList<>();
      List<NullModel> nulls = new ArrayList<>();
      double min = 0;
      for (int i = 0; i < k; i++) {
        Detector d = Detector.of(Watermarker.of(TestSupport.key("family-" + t + "-" + i, rng), SPEC));
        DetectionResult r = d.detect(new int[0], text);
        SegmentResult s = search.search(d, new int[0], text);
        whole.add(r);
        segments.add(s);
        nulls.add(d.nullModel());
        min = Math.min(min, wholeInUncorrected ? Math.min(r.log10P(), s.log10P()) : s.log10P());
      }
      uncorrected += min <= la ? 1 : 0;
      MultiKeyResult m = MultiKey.of(nulls, ALPHA, true).correct(whole, segments);
      corrected += m.verdict() == Verdict.FLAGGED ? 1 : 0;
    }
    System.out.printf(Locale.ROOT, "%d key(s), %d null texts: uncorrected %.4f, Holm over %d tests %.4f%n", k, trials,
        (double) uncorrected / trials, 2 * k, (double) corrected / trials);
    return new Rates(uncorrected, corrected, trials);
  }

  /** One key: firing on either the whole-text or the (Bonferroni-corrected) segment p-value. */
  @Test
  void wholeTextOrSegmentNeedsACorrection() {
    Rates r = run(1, 4000, true, 92);
    TestSupport.assertRateAbove("min(whole, segment) uncorrected", r.uncorrected(), r.trials(), ALPHA, 1);
    TestSupport.assertRateAtMost("Holm over whole and segment", r.corrected(), r.trials(), ALPHA);
  }

  /** Four keys: the best segment's p-value is corrected for the segments tried, not for the keys. */
  @Test
  void segmentsNeedACorrectionAcrossKeys() {
    Rates r = run(4, 1000, false, 93);
    TestSupport.assertRateAbove("best segment over 4 keys, uncorrected for keys", r.uncorrected(), r.trials(), ALPHA, 1.5);
    TestSupport.assertRateAtMost("Holm over 4 keys x (whole, segment)", r.corrected(), r.trials(), ALPHA);
  }
}
