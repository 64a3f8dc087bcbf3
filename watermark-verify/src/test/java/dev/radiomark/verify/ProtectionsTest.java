package dev.radiomark.verify;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import java.util.List;
import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/**
 * What goes wrong without each protection: the false-positive rate at alpha = 0.01 over many
 * fresh keys, on text written without the key, with the protection on (at most alpha) and off
 * (far above alpha).
 *
 * <p>False-failure rate: each "at most alpha" assertion fails a calibrated detector with
 * probability at most 0.001 (99.8% Clopper-Pearson lower bound); each "far above" assertion is
 * a rate many times alpha measured on 1000 keys, far from the threshold (see the printed rates).
 */
class ProtectionsTest {
  private static final double ALPHA = 0.01;
  private static final int KEYS = 1000;

  /**
   * A highly repetitive human text (one KJV verse said 20 times, as in a chorus or a refrain):
   * without de-duplication the same tuples are counted 20 times, so a verse that happens to be a
   * little greener than average under a key looks overwhelmingly watermarked.
   */
  @Test
  void repeatedTextIsAFalsePositiveWithoutDeduplication() {
    List<int[]> verses = TestSupport.kjvVerseTokens();
    WatermarkSpec spec = TestSupport.greenO200k();
    UniformRandomProvider rng = TestSupport.rng(11);
    long fpNone = 0;
    long fpTuple = 0;
    long fpWindow = 0;
    for (int i = 0; i < KEYS; i++) {
      int[] text = TestSupport.repeat(verses.get(i), 20);
      Watermarker wm = Watermarker.of(TestSupport.key("dedup-" + i, rng), spec);
      DetectionResult none = Detector.of(wm, DetectorConfig.defaults().withDedup(Dedup.NONE)).detect(new int[0], text);
      DetectionResult tuple = Detector.of(wm).detect(new int[0], text);
      DetectionResult window = Detector.of(wm, DetectorConfig.defaults().withDedup(Dedup.WINDOW)).detect(new int[0], text);
      assertTrue(tuple.skippedRepeats() >= 19L * (verses.get(i).length - 1), tuple::toString);
      fpNone += none.reject(ALPHA) ? 1 : 0;
      fpTuple += tuple.reject(ALPHA) ? 1 : 0;
      fpWindow += window.reject(ALPHA) ? 1 : 0;
    }
    System.out.printf(Locale.ROOT, "repeated verse x20, FPR at %s over %d keys: none %.4f, tuple %.4f, window %.4f%n",
        ALPHA, KEYS, (double) fpNone / KEYS, (double) fpTuple / KEYS, (double) fpWindow / KEYS);
    TestSupport.assertRateAtMost("Dedup.TUPLE", fpTuple, KEYS, ALPHA);
    TestSupport.assertRateAtMost("Dedup.WINDOW", fpWindow, KEYS, ALPHA);
    TestSupport.assertRateAbove("Dedup.NONE", fpNone, KEYS, ALPHA, 5);
  }

  /**
   * A human answer that quotes the prompt, where the prompt holds the model's earlier
   * (watermarked) answer: the quote was copied, not generated. Scoring the windows it shares
   * with the prompt flags the human answer; excluding them keeps the test exact.
   */
  @Test
  void quotingThePromptIsAFalsePositiveWithoutPromptExclusion() {
    int v = 1000;
    WatermarkSpec spec = WatermarkSpec.greenList("test", v).withContextWidth(2);
    // Uniform over 200 ids (40000 windows of width 2): human and prompt windows rarely meet by chance.
    float[] logits = TestSupport.uniformLogits(v, 200);
    UniformRandomProvider rng = TestSupport.rng(12);
    long fpOn = 0;
    long fpOff = 0;
    long skipped = 0;
    for (int i = 0; i < KEYS; i++) {
      Watermarker wm = Watermarker.of(TestSupport.key("prompt-" + i, rng), spec);
      int[] earlierAnswer = TestSupport.watermarked(wm, logits, 60, rng);
      int[] prompt = TestSupport.concat(TestSupport.plain(v, logits, 10, rng), earlierAnswer);
      int[] answer = TestSupport.concat(TestSupport.plain(v, logits, 30, rng),
          java.util.Arrays.copyOfRange(earlierAnswer, 10, 50), TestSupport.plain(v, logits, 30, rng));
      DetectionResult on = Detector.of(wm).detect(prompt, answer);
      DetectionResult off = Detector.of(wm, DetectorConfig.defaults().withExcludePromptWindows(false)).detect(prompt, answer);
      skipped += on.skippedPrompt();
      fpOn += on.reject(ALPHA) ? 1 : 0;
      fpOff += off.reject(ALPHA) ? 1 : 0;
    }
    System.out.printf(Locale.ROOT, "answer quoting a watermarked prompt, FPR at %s over %d keys: excluded %.4f, not excluded %.4f"
        + " (mean prompt windows skipped %.1f)%n", ALPHA, KEYS, (double) fpOn / KEYS, (double) fpOff / KEYS, (double) skipped / KEYS);
    assertTrue(skipped >= KEYS * 38L, "the quote's windows are skipped");
    TestSupport.assertRateAtMost("prompt windows excluded", fpOn, KEYS, ALPHA);
    TestSupport.assertRateAbove("prompt windows scored", fpOff, KEYS, ALPHA, 20);
  }

  /**
   * Special tokens are inserted by the serving template, not sampled, so generation never
   * watermarks them. Scoring them anyway dilutes the evidence: the same watermarked text is less
   * significant and its green rate is pulled towards gamma. (Under H0 they are harmless; this
   * protection is about power.)
   */
  @Test
  void scoringForcedSpecialTokensDilutesTheEvidence() {
    int v = 1000;
    int sep = v - 1;
    WatermarkSpec spec = WatermarkSpec.greenList("test", v);
    Watermarker wm = Watermarker.of(TestSupport.key("special", TestSupport.rng(13)), spec);
    float[] logits = TestSupport.uniformLogits(v, v - 1);
    dev.radiomark.Sampler sampler = wm.sampler(dev.radiomark.SamplingConfig.defaults());
    dev.radiomark.DecodeState state = sampler.newState(TestSupport.rng(14));
    int[] text = new int[400];
    for (int t = 0; t < text.length; t++) {
      // Every third token is the template's separator.
      text[t] = t % 3 == 2 ? sep : sampler.sample(logits, text, t, state);
    }
    DetectionResult excluded = Detector.of(wm, DetectorConfig.defaults().withSpecialTokens(sep)).detect(new int[0], text);
    DetectionResult scored = Detector.of(wm).detect(new int[0], text);
    System.out.printf(Locale.ROOT, "forced separators: excluded log10 p %.1f (rate %.3f), scored log10 p %.1f (rate %.3f)%n",
        excluded.log10P(), excluded.rate(), scored.log10P(), scored.rate());
    assertTrue(excluded.skippedOther() >= 133, excluded::toString);
    assertTrue(scored.tokensScored() > excluded.tokensScored());
    assertTrue(excluded.rate() > scored.rate() + 0.05, "separators dilute the green rate");
    assertTrue(excluded.log10P() < scored.log10P() - 3, "separators cost evidence");
  }
}
