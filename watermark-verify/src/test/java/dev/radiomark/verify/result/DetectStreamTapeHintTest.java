package dev.radiomark.verify.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.Scheme;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.WindowRule;
import dev.radiomark.key.WatermarkKey;
import dev.radiomark.verify.DetectorConfig;
import dev.radiomark.verify.text.ReadSummary;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A detection run on tapes sized ahead ({@code wm detect}'s hint) gives the same per-document
 * and pooled results as on the default tapes, whether the hint is far below, near or above the
 * distinct tuples scored: random texts over a small vocabulary (many repeated tuples), two keys.
 * Deterministic (fixed seeds).
 */
class DetectStreamTapeHintTest {
  @Test
  void sizedTapesGiveTheSameResults() throws Exception {
    SplittableRandom rnd = new SplittableRandom(0x5eed_7a9eL);
    int vocab = 300;
    List<Watermarker> keys = List.of(
        Watermarker.of(WatermarkKey.of("hint-a", bytes(rnd)), WatermarkSpec.defaults(Scheme.GREEN_LIST, "test", vocab)),
        Watermarker.of(WatermarkKey.of("hint-b", bytes(rnd)), WatermarkSpec.defaults(Scheme.GUMBEL, "test", vocab)
            .withContextWidth(4).withWindowRule(WindowRule.SELF_SEEDING)));
    int[][] texts = new int[60][];
    for (int i = 0; i < texts.length; i++) {
      texts[i] = new int[rnd.nextInt(900)];
      for (int t = 0; t < texts[i].length; t++) {
        texts[i][t] = rnd.nextInt(3) == 0 ? rnd.nextInt(vocab) : rnd.nextInt(20);
      }
    }
    RunOutcome want = run(keys, texts, 0);
    assertTrue(want.keys().get(0).tuples() > 2_000, () -> "too few tuples: " + want.keys());
    for (long hint : new long[] {1, 500, 5_000, 200_000}) {
      RunOutcome got = run(keys, texts, hint);
      assertEquals(want.keys(), got.keys(), "hint " + hint);
      assertEquals(want.pooled(), got.pooled(), "hint " + hint);
    }
  }

  @Test
  void hintOutOfRangeIsRejected() {
    List<Watermarker> keys = List.of(Watermarker.of(WatermarkKey.of("hint", new byte[32]),
        WatermarkSpec.defaults(Scheme.GREEN_LIST, "test", 50)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DetectStream.of(keys, DetectorConfig.defaults(), null, 0.01, List.of(), -1));
    assertTrue(e.getMessage().contains("[0, 2^29]") && e.getMessage().contains("-1"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> DetectStream.of(keys, DetectorConfig.defaults(), null, 0.01, List.of(), (1L << 29) + 1));
  }

  private static RunOutcome run(List<Watermarker> keys, int[][] texts, long hint) throws Exception {
    DetectStream s = DetectStream.of(keys, DetectorConfig.defaults(), null, 0.01, List.of(), hint);
    for (int i = 0; i < texts.length; i++) {
      s.document("doc-" + i, i + 1, new int[0], texts[i]);
    }
    return s.finish(new ReadSummary(texts.length, 0, List.of()), 0.01);
  }

  private static byte[] bytes(SplittableRandom rnd) {
    byte[] b = new byte[32];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) rnd.nextInt(256);
    }
    return b;
  }
}
