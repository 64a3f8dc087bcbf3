package dev.radiomark.verify.radioactivity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.verify.SeenSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reading mode inserts the tuples of a suspect call into the tape in batches of up to 256
 * ({@link dev.radiomark.verify.Detector.Tape#addTuples}); its result must equal the
 * one-at-a-time path (insertion batches of one tuple), bit for bit: tokens read, counts, score,
 * p-value and curve, for suspect calls of 1, 7, 256 and 1,000 contexts, top-1 and top-3
 * (several insertions per call), weighted or not, exact and bounded tapes, and a budget reached
 * part way through an insertion batch. Deterministic fixtures, so it cannot fail by chance.
 */
class ReadingModeBatchingTest {
  @Test
  void resultDoesNotDependOnBatching() {
    List<int[]> probes = ReadingModeValidityTest.probes(Fixtures.TEACHER, 6, 1500);
    int checked = 0;
    for (int k : new int[] {1, 3}) {
      for (boolean weighted : new boolean[] {false, true}) {
        if (weighted && k == 1) {
          continue;
        }
        for (long budget : new long[] {1_000, 1_000_000}) {
          for (boolean bounded : new boolean[] {false, true}) {
            for (int batch : new int[] {1, 7, 256, 1000}) {
              RadioactivityResult one = run(probes, k, weighted, budget, bounded, batch, 1);
              assertTrue(one.tuplesScored() > (budget < 1_000_000 ? 900 : 1_500),
                  () -> "too few tuples to mean anything: " + one);
              RadioactivityResult b = run(probes, k, weighted, budget, bounded, batch, ReadingModeTest.PENDING);
              assertEquals(one, b, "k=" + k + " weighted=" + weighted + " budget=" + budget + " batch=" + batch);
              checked++;
            }
          }
        }
      }
    }
    assertEquals(3 * 2 * 2 * 4, checked);
  }

  private static RadioactivityResult run(List<int[]> probes, int k, boolean weighted, long budget, boolean bounded,
      int batch, int insert) {
    ReadingModeTest.Builder b = ReadingModeTest.builder(Fixtures.TEACHER, Fixtures.DISTILLED).budget(budget).topK(k)
        .weighted(weighted).batchSize(batch).insertBatch(insert);
    if (bounded) {
      b.seenSet(() -> SeenSet.bounded(20_000, 0.05));
    }
    return b.build().run(probes);
  }
}
