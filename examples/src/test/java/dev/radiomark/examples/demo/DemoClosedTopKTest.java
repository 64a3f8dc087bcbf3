package dev.radiomark.examples.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.examples.lm.LanguageModel;
import dev.radiomark.verify.Verdict;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The optional closed-mode rows on the students' top-k log-probabilities
 * ({@link DemoConfig#closedTopK}): present when asked for, on the same answers as the closed rows,
 * and the controls stay unflagged.
 */
class DemoClosedTopKTest {

  @Test
  void rowsExistWhenEnabledAndControlsAreNotFlagged() {
    DemoConfig cfg = DemoTest.small().withClosedTopK(8);
    DemoResult r = DistillationDemo.run(cfg, DemoTest.KEY, new PrintStream(OutputStream.nullOutputStream()));
    // 2 students x 2 rho x (4 default rows + exact and weighted top-8, each unsupervised and supervised)
    assertEquals(2 * 2 * (4 + 4), r.rows().size());
    for (String student : List.of("ngram", "neural")) {
      for (double rho : cfg.rhos()) {
        for (boolean sup : new boolean[] {false, true}) {
          DemoRow top1 = find(r, student, rho, "closed", sup);
          DemoRow exact = find(r, student, rho, "closed-k8", sup);
          DemoRow weighted = find(r, student, rho, "closed-w8", sup);
          // Same answers: every row reads all of them (the budgets are not reached).
          assertEquals(top1.result().tokensRead(), exact.result().tokensRead(), exact.toString());
          assertEquals(top1.result().tokensRead(), weighted.result().tokensRead(), weighted.toString());
          // Eight alternatives per position give more distinct tuples than the one sampled token.
          assertTrue(exact.result().tuplesScored() > top1.result().tuplesScored(), exact.toString());
          for (DemoRow row : List.of(exact, weighted)) {
            if (row.control()) {
              // Valid tests at alpha 1e-6 (exact; Chernoff-conservative when weighted): a control
              // row is flagged with probability <= 1e-6.
              assertEquals(Verdict.NOT_FLAGGED, row.verdict(), "control: " + row);
            }
          }
        }
      }
    }
    // The n-gram student trained only on watermarked answers reproduces the bias in its top-8.
    DemoRow ngram = find(r, "ngram", 1.0, "closed-k8", true);
    assertEquals(Verdict.FLAGGED, ngram.verdict(), ngram.toString());
  }

  @Test
  void offByDefaultAndRangeChecked() {
    assertEquals(0, DemoConfig.defaults().closedTopK());
    assertEquals(0, DemoConfig.quick().closedTopK());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DemoConfig.defaults().withClosedTopK(4097));
    assertEquals("closedTopK is not 0 or in [1, 4096]: 4097", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> DemoConfig.defaults().withClosedTopK(-1));
    assertTrue(e.getMessage().contains("-1"), e.getMessage());
  }

  @Test
  void recorderKeepsTheMostProbableCandidatesInOrderAndPads() {
    // Candidates in no particular order, with a tie, a zero-probability one and one rounding above 0.
    int[] ids = {40, 7, 12, 3, 99};
    float[] lps = {-2.0f, -0.5f, -2.0f, Float.NEGATIVE_INFINITY, 1e-7f};
    DistillationDemo.TopKRecorder rec = new DistillationDemo.TopKRecorder(3, 5, 2);
    rec.record(null, new int[0], 0, ids, lps, 5, 1);
    assertArrayEquals(new int[] {0, 0, 0, 99, 7, 12}, rec.ids);
    assertArrayEquals(new float[] {0f, 0f, 0f, 0f, -0.5f, -2.0f}, rec.logProbs);
    assertArrayEquals(new float[] {-2.0f, -0.5f, -2.0f, Float.NEGATIVE_INFINITY, 1e-7f}, lps, "inputs untouched");
    assertArrayEquals(new int[] {40, 7, 12, 3, 99}, ids, "inputs untouched");

    DistillationDemo.TopKRecorder pad = new DistillationDemo.TopKRecorder(4, 5, 1);
    pad.record(null, new int[0], 0, new int[] {5, 6}, new float[] {-1f, -0.1f}, 2, 0);
    assertArrayEquals(new int[] {6, 5, -1, -1}, pad.ids);
  }

  @Test
  void largerKAsksTheModelAgain() {
    LanguageModel lm = new LanguageModel() {
      @Override
      public int vocabSize() {
        return 10;
      }

      @Override
      public int topCandidates(int[] context, int len, int k, int[] ids, float[] logits) {
        int n = Math.min(k, 10);
        for (int j = 0; j < n; j++) {
          ids[j] = j;
          logits[j] = -1f - j;
        }
        return n;
      }

      @Override
      public int argmax(int[] context, int len) {
        return 0;
      }

      @Override
      public void logits(int[] context, int len, float[] out, int off) {
        throw new UnsupportedOperationException();
      }
    };
    DistillationDemo.TopKRecorder rec = new DistillationDemo.TopKRecorder(4, 2, 1);
    rec.record(lm, new int[] {1}, 1, new int[] {0, 1}, new float[] {-1f, -2f}, 2, 0);
    assertArrayEquals(new int[] {0, 1, 2, 3}, rec.ids);
  }

  private static DemoRow find(DemoResult r, String student, double rho, String mode, boolean supervised) {
    return r.rows().stream().filter(w -> w.student().equals(student) && w.rho() == rho && w.mode().equals(mode)
        && w.supervised() == supervised).findFirst().orElseThrow(() -> new AssertionError(
            "no row " + student + " rho=" + rho + " " + mode + (supervised ? " supervised" : "")));
  }
}
