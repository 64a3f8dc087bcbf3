package dev.radiomark.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import java.util.List;
import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/**
 * Segment search: finds a watermarked passage pasted into human text, and its corrected p-value
 * keeps the false-positive rate at or below alpha, while the best segment's uncorrected p-value
 * would not.
 */
class SegmentSearchTest {
  private static final double ALPHA = 0.01;
  private static final int PASSAGE = 150;

  @Test
  void findsAWatermarkedPassagePastedIntoHumanText() {
    WatermarkSpec spec = TestSupport.greenO200k();
    // The "model": uniform over the first 5000 ids of the o200k row.
    float[] logits = TestSupport.uniformLogits(TestSupport.O200K, 5000);
    UniformRandomProvider rng = TestSupport.rng(21);
    SegmentSearch search = SegmentSearch.withMinLength(16);
    for (int trial = 0; trial < 5; trial++) {
      Watermarker wm = Watermarker.of(TestSupport.key("segment-" + trial, rng), spec);
      int[] passage = TestSupport.watermarked(wm, logits, PASSAGE, rng);
      int[] before = TestSupport.kjvPassage(200 + 40 * trial, 10);
      int[] after = TestSupport.kjvPassage(220 + 40 * trial, 10);
      int[] text = TestSupport.concat(before, passage, after);
      Detector d = Detector.of(wm);
      SegmentResult s = search.search(d, new int[0], text);
      int a = before.length;
      int b = a + PASSAGE;
      System.out.printf(Locale.ROOT, "pasted [%d, %d) of %d: found [%d, %d), log10 p %.1f (raw %.1f, %d segments);"
          + " whole text log10 p %.1f%n", a, b, text.length, s.start(), s.end(), s.log10P(), s.log10PRaw(),
          s.segmentsTried(), d.detect(new int[0], text).log10P());
      assertTrue(s.start() < b && s.end() > a, "segment overlaps the passage");
      int overlap = Math.min(s.end(), b) - Math.max(s.start(), a);
      assertTrue(overlap >= (s.end() - s.start()) / 2, "most of the segment is the passage");
      assertTrue(s.log10P() < -10, () -> "corrected log10 p " + s.log10P());
      assertEquals(Math.min(0, s.log10PRaw() + Math.log10(s.segmentsTried())), s.log10P(), 1e-12);
      assertTrue(s.reject(ALPHA));
    }
  }

  /**
   * Human text (KJV passages of 12 verses, about 400 scored tuples) under 1000 fresh keys. The
   * corrected rate must be at most alpha (fails a calibrated search with probability at most
   * 0.001); the best raw segment p-value is below alpha for a large fraction of keys.
   */
  @Test
  void correctedFalsePositiveRateIsAtMostAlpha() {
    WatermarkSpec spec = TestSupport.greenO200k();
    List<int[]> texts = TestSupport.kjvTexts(12);
    UniformRandomProvider rng = TestSupport.rng(22);
    SegmentSearch search = SegmentSearch.withMinLength(16);
    int keys = 1000;
    long fp = 0;
    long fpRaw = 0;
    long segments = 0;
    for (int i = 0; i < keys; i++) {
      Detector d = Detector.of(Watermarker.of(TestSupport.key("segnull-" + i, rng), spec));
      SegmentResult s = search.search(d, new int[0], texts.get(i % texts.size()));
      assertTrue(s.log10P() <= 0 && s.log10PRaw() <= s.log10P());
      segments += s.segmentsTried();
      fp += s.reject(ALPHA) ? 1 : 0;
      fpRaw += s.log10PRaw() <= Math.log10(ALPHA) ? 1 : 0;
    }
    System.out.printf(Locale.ROOT, "segment search on KJV over %d keys (mean %.0f segments): FPR corrected %.4f, raw %.4f%n",
        keys, (double) segments / keys, (double) fp / keys, (double) fpRaw / keys);
    TestSupport.assertRateAtMost("corrected segment p", fp, keys, ALPHA);
    TestSupport.assertRateAbove("uncorrected best-segment p", fpRaw, keys, ALPHA, 5);
  }

  @Test
  void shortAndEmptyTexts() {
    Detector d = Detector.of(Watermarker.of(TestSupport.key("short", TestSupport.rng(23)), TestSupport.greenO200k()));
    SegmentResult empty = SegmentSearch.withMinLength(16).search(d, new int[0], new int[0]);
    assertEquals(0.0, empty.log10P());
    assertEquals(0, empty.segmentsTried());
    // Fewer scored tuples than the minimum length: the whole text is the one segment.
    SegmentResult few = SegmentSearch.withMinLength(16).search(d, new int[0], new int[] {1, 2, 3, 4, 5, 6});
    assertEquals(1, few.segmentsTried());
    assertEquals(5, few.tuplesScored());
    assertEquals(d.detect(new int[0], new int[] {1, 2, 3, 4, 5, 6}).log10P(), few.log10P(), 0.0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SegmentSearch.withMinLength(1));
    assertTrue(e.getMessage().contains("minLength") && e.getMessage().contains(": 1"), e.getMessage());
  }
}
