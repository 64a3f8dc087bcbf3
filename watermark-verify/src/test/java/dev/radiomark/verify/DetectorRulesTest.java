package dev.radiomark.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.Scheme;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Each scoring rule of the detector, checked on hand-made token sequences through the counts of
 * {@link DetectionResult}: which positions are scored, which are skipped and why.
 */
class DetectorRulesTest {
  private static final int V = 1000;

  private static Detector detector(WatermarkSpec spec, DetectorConfig config) {
    return Detector.of(Watermarker.of(TestSupport.key("rules", TestSupport.rng(1)), spec), config);
  }

  private static WatermarkSpec green(int h) {
    return WatermarkSpec.greenList("test", V).withContextWidth(h);
  }

  private static void assertCounts(DetectionResult r, long read, long scored, long repeats, long prompt, long other) {
    assertEquals(read, r.tokensRead(), "tokensRead");
    assertEquals(scored, r.tokensScored(), "tokensScored");
    assertEquals(repeats, r.skippedRepeats(), "skippedRepeats");
    assertEquals(prompt, r.skippedPrompt(), "skippedPrompt");
    assertEquals(other, r.skippedOther(), "skippedOther");
    assertEquals(read, scored + repeats + prompt + other, "every token is accounted for");
  }

  @Test
  void tupleDedupScoresEachDistinctWindowTokenPairOnce() {
    Detector d = detector(green(1), DetectorConfig.defaults());
    // h = 1 tuples: (5,6) (6,5) (5,6) (6,5) (5,6) (6,7): three distinct, three repeats.
    int[] text = {5, 6, 5, 6, 5, 6, 7};
    DetectionResult r = d.detect(new int[0], text);
    assertCounts(r, 7, 3, 3, 0, 1);
    Watermarker wm = d.watermarker();
    double expected = wm.score(wm.windowSeed(text, 1), 6) + wm.score(wm.windowSeed(text, 2), 5)
        + wm.score(wm.windowSeed(text, 6), 7);
    assertEquals(expected, r.score(), 0.0);
    assertEquals(d.nullModel().log10P(3, expected), r.log10P(), 0.0);

    // Without de-duplication every position counts.
    DetectionResult none = detector(green(1), DetectorConfig.defaults().withDedup(Dedup.NONE))
        .detect(new int[0], text);
    assertCounts(none, 7, 6, 0, 0, 1);
  }

  @Test
  void windowDedupScoresEachWindowOnce() {
    // Windows (h = 1): 5 6 5 7 5 -> tokens 6 5 7 5 8; window 5 occurs three times.
    int[] text = {5, 6, 5, 7, 5, 8};
    DetectionResult w = detector(green(1), DetectorConfig.defaults().withDedup(Dedup.WINDOW))
        .detect(new int[0], text);
    assertCounts(w, 6, 3, 2, 0, 1);
    // The same text has five distinct tuples: tuple de-duplication skips nothing.
    DetectionResult t = detector(green(1), DetectorConfig.defaults()).detect(new int[0], text);
    assertCounts(t, 6, 5, 0, 0, 1);
  }

  @Test
  void firstHTokensAreNotScored() {
    int[] text = {10, 11, 12, 13, 14, 15, 16, 17, 18, 19};
    for (int h = 0; h <= 4; h++) {
      assertCounts(detector(green(h), DetectorConfig.defaults()).detect(new int[0], text), 10, 10 - h, 0, 0, h);
    }
    // A prompt shorter than h supplies part of the context: only the first h - 2 text tokens
    // lack a full window. (Its windows are not excluded: it has none of width h.)
    assertCounts(detector(green(3), DetectorConfig.defaults()).detect(new int[] {1, 2}, text), 10, 9, 0, 0, 1);
    // h = 0 (one fixed list): the single empty window is not a "prompt window"; with or without
    // a prompt every position is scored (this once skipped the whole text).
    assertCounts(detector(green(0), DetectorConfig.defaults()).detect(new int[] {1, 2}, text), 10, 10, 0, 0, 0);
  }

  @Test
  void windowsOccurringInThePromptAreNotScored() {
    int[] prompt = {1, 2, 3};
    // Stream 1 2 3 | 2 3 9 3 4: text windows 3 2 3 9 3; windows 1, 2 and 3 occur in the prompt.
    int[] text = {2, 3, 9, 3, 4};
    DetectionResult r = detector(green(1), DetectorConfig.defaults()).detect(prompt, text);
    assertCounts(r, 5, 1, 0, 4, 0);
    Watermarker wm = detector(green(1), DetectorConfig.defaults()).watermarker();
    int[] stream = TestSupport.concat(prompt, text);
    assertEquals(wm.score(wm.windowSeed(stream, 6), 3), r.score(), 0.0);

    // Switched off, the prompt is only context: all five tuples are distinct and scored.
    DetectionResult off = detector(green(1), DetectorConfig.defaults().withExcludePromptWindows(false))
        .detect(prompt, text);
    assertCounts(off, 5, 5, 0, 0, 0);

    // h = 2: only the windows (2,3) ... occurring in the prompt are skipped, not single tokens.
    // Stream 1 2 3 | 2 3 9 3 4: text windows (2,3) (3,2) (2,3) (3,9) (9,3); prompt has (1,2) (2,3).
    DetectionResult h2 = detector(green(2), DetectorConfig.defaults()).detect(prompt, text);
    assertCounts(h2, 5, 3, 0, 2, 0);
  }

  @Test
  void specialTokensAreNotScored() {
    int[] text = {5, 6, 99, 7, 8, 99, 9};
    DetectorConfig c = DetectorConfig.defaults().withSpecialTokens(99, 100);
    DetectionResult r = detector(green(1), c).detect(new int[0], text);
    assertCounts(r, 7, 4, 0, 0, 3);
    double[] scores = new double[text.length];
    detector(green(1), c).newTape().add(new int[0], text, null, scores);
    assertTrue(Double.isNaN(scores[0]) && Double.isNaN(scores[2]) && Double.isNaN(scores[5]));
    assertFalse(Double.isNaN(scores[3]), "a token after a special token is scored (only its window contains it)");
    assertCounts(detector(green(1), DetectorConfig.defaults()).detect(new int[0], text), 7, 6, 0, 0, 1);
  }

  @Test
  void tournamentScoresOnlyTheFirstOccurrenceOfAWindow() {
    WatermarkSpec spec = WatermarkSpec.tournament("test", V).withContextWidth(1);
    // Window 5 is followed by 6, then 7: generation only watermarked the first.
    int[] text = {5, 6, 5, 7};
    DetectionResult r = detector(spec, DetectorConfig.defaults()).detect(new int[0], text);
    assertCounts(r, 4, 2, 0, 0, 2);
  }

  @Test
  void aTapeDeduplicatesAcrossTexts() {
    Detector d = detector(green(2), DetectorConfig.defaults());
    int[] a = {1, 2, 3, 4, 5, 6};
    int[] b = {7, 8, 3, 4, 5, 9};
    Detector.Tape tape = d.newTape();
    DetectionResult ra = tape.add(new int[0], a, null, null);
    DetectionResult rb = tape.add(new int[0], b, null, null);
    assertCounts(ra, 6, 4, 0, 0, 2);
    // (3,4)->5 was scored in a; (8,3)->4 and (4,5)->9 and (7,8)->3 are new.
    assertCounts(rb, 6, 3, 1, 0, 2);
    DetectionResult pooled = tape.result();
    assertCounts(pooled, 12, 7, 1, 0, 4);
    assertEquals(ra.score() + rb.score(), pooled.score(), 0.0);
    assertEquals(d.nullModel().log10P(7, pooled.score()), pooled.log10P(), 0.0);
  }

  @Test
  void windowFilterRestrictsScoringToAcceptedWindows() {
    Detector d = detector(green(1), DetectorConfig.defaults());
    int[] text = {1, 2, 3, 4, 5};
    Watermarker wm = d.watermarker();
    long accepted = wm.windowSeed(text, 3);
    DetectionResult r = d.newTape().add(new int[0], text, ws -> ws == accepted, null);
    assertCounts(r, 5, 1, 0, 0, 4);
  }

  @Test
  void maskMarksScoredAndHitPositions() {
    Detector d = detector(green(1), DetectorConfig.defaults());
    int[] text = {5, 6, 5, 6, 8};
    double[] scores = new double[text.length];
    d.newTape().add(new int[0], text, null, scores);
    byte[] mask = d.mask(scores);
    assertEquals(Detector.NOT_SCORED, mask[0]);
    assertEquals(Detector.NOT_SCORED, mask[3], "repeat of (5,6)");
    for (int i : new int[] {1, 2, 4}) {
      assertEquals(scores[i] == 1.0 ? Detector.SCORED_HIT : Detector.SCORED, mask[i], "position " + i);
    }
    assertEquals(5, Arrays.stream(scores).filter(Double::isNaN).count() + 3);
  }

  @Test
  void rejectsNullArguments() {
    Watermarker wm = Watermarker.of(TestSupport.key("x", TestSupport.rng(2)),
        WatermarkSpec.defaults(Scheme.GUMBEL, "test", V));
    var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> Detector.of(wm, null));
    assertTrue(e.getMessage().contains("config"), e.getMessage());
  }
}
