package dev.radiomark.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.Scheme;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Detection under K = 20 keys with Holm's correction. */
class MultiKeyTest {
  private static final int K = 20;
  private static final double ALPHA = 0.01;

  private static List<Watermarker> keys(WatermarkSpec spec, String prefix, UniformRandomProvider rng) {
    List<Watermarker> out = new ArrayList<>();
    for (int k = 0; k < K; k++) {
      out.add(Watermarker.of(TestSupport.key(prefix + k, rng), spec));
    }
    return out;
  }

  private static MultiKeyResult detectAll(List<Watermarker> wms, int[] text) {
    List<DetectionResult> rs = new ArrayList<>();
    List<NullModel> nulls = new ArrayList<>();
    for (Watermarker wm : wms) {
      Detector d = Detector.of(wm);
      rs.add(d.detect(new int[0], text));
      nulls.add(d.nullModel());
    }
    return MultiKey.of(nulls, ALPHA, false).correct(rs);
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void onlyTheGeneratingKeyIsFlagged(Scheme scheme) {
    int v = 1000;
    WatermarkSpec spec = WatermarkSpec.defaults(scheme, "test", v).withContextWidth(2);
    UniformRandomProvider rng = TestSupport.rng(31 + scheme.ordinal());
    List<Watermarker> wms = keys(spec, "tenant-", rng);
    int owner = 7;
    int[] text = TestSupport.watermarked(wms.get(owner), TestSupport.zipfLogits(v), 120, rng);
    MultiKeyResult r = detectAll(wms, text);
    assertEquals(K, r.entries().size());
    for (int k = 0; k < K; k++) {
      MultiKeyResult.Entry e = r.entries().get(k);
      assertEquals("tenant-" + k, e.result().keyId());
      assertTrue(e.log10PCorrected() >= e.result().log10P(), "Holm never lowers a p-value");
      if (k == owner) {
        assertTrue(e.verdict() == Verdict.FLAGGED && e.log10PCorrected() < -6, () -> scheme + " owner " + e);
      } else {
        assertTrue(e.verdict() != Verdict.FLAGGED, () -> scheme + " key " + e.result().keyId() + " " + e);
      }
    }
    assertEquals(Verdict.FLAGGED, r.verdict());
    assertEquals(List.of("tenant-" + owner), r.claimKeys());
    assertEquals("holm", r.correction());
    assertEquals(K, r.family());
  }

  @Test
  void rejectsMismatchedInputsNamingTheValue() {
    NullModel nul = NullModel.of(TestSupport.greenO200k());
    DetectionResult r = new DetectionResult("k", 10, 9, 0, 0, 1, 2, 0.25, 1, -0.1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MultiKey.of(List.of(nul, nul), ALPHA, false).correct(List.of(r)));
    assertEquals("results.size() is not the number of keys (2): 1", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> MultiKey.of(List.of(nul), ALPHA, true).correct(List.of(r)));
    assertEquals("segmentResults is null but the correction has segments", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> MultiKey.of(List.of(nul), 0.0, false));
    assertEquals("alpha is not in (0, 1): 0.0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> MultiKey.of(List.of(), ALPHA, false));
    assertEquals("nullModels is empty", e.getMessage());
  }

  /** With segments: the key's verdict rests on the smaller corrected p of its two tests, in a family of 2K. */
  @Test
  void segmentAndWholeTextShareOneFamily() {
    NullModel nul = NullModel.of(TestSupport.greenO200k());
    DetectionResult whole = new DetectionResult("k", 100, 99, 0, 0, 1, 30, 0.25, 1, -0.5);
    SegmentResult seg = new SegmentResult(10, 40, 30, 25, -9, -7.5, 30);
    MultiKeyResult m = MultiKey.of(List.of(nul), 0.01, true).correct(List.of(whole), List.of(seg));
    MultiKeyResult.Entry e = m.entries().get(0);
    assertEquals(2, m.family());
    assertEquals(-7.5 + Math.log10(2), e.segmentLog10PCorrected(), 1e-12);
    assertEquals(-0.5, e.wholeLog10PCorrected(), 1e-12);
    assertEquals(e.segmentLog10PCorrected(), m.log10PCorrected(), 0.0);
    assertEquals(Verdict.FLAGGED, e.verdict());
    assertEquals(Verdict.FLAGGED, e.segmentVerdict());
  }

  /**
   * Human text (KJV passages of 3 verses) under 20 fresh keys per trial, 1000 trials. Holm's
   * family-wise rate must be at most alpha (false-failure probability at most 0.001); the smallest
   * raw p is below alpha in roughly 1 - 0.99^20 = 18% of trials (less: the binomial is discrete).
   */
  @Test
  void familyWiseFalsePositiveRateIsAtMostAlpha() {
    WatermarkSpec spec = TestSupport.greenO200k();
    List<int[]> texts = TestSupport.kjvTexts(3);
    UniformRandomProvider rng = TestSupport.rng(35);
    int trials = 1000;
    long fwer = 0;
    long minRaw = 0;
    for (int t = 0; t < trials; t++) {
      MultiKeyResult r = detectAll(keys(spec, "null-" + t + "-", rng), texts.get(t % texts.size()));
      fwer += r.verdict() == Verdict.FLAGGED ? 1 : 0;
      double min = r.entries().stream().mapToDouble(e -> e.result().log10P()).min().orElseThrow();
      minRaw += min <= Math.log10(ALPHA) ? 1 : 0;
    }
    System.out.printf(Locale.ROOT, "%d keys on KJV over %d trials: family-wise FPR with Holm %.4f, min raw p <= %s in %.4f%n",
        K, trials, (double) fwer / trials, ALPHA, (double) minRaw / trials);
    TestSupport.assertRateAtMost("Holm family-wise", fwer, trials, ALPHA);
    TestSupport.assertRateAbove("min raw p", minRaw, trials, ALPHA, 5);
  }
}
