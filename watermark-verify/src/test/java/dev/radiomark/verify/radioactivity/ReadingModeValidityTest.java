package dev.radiomark.verify.radioactivity;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.Watermarker;
import dev.radiomark.verify.Dedup;
import dev.radiomark.verify.DetectorConfig;
import dev.radiomark.verify.stats.TestResult;
import dev.radiomark.verify.stats.UniformityTest;
import java.util.List;
import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/**
 * Reading mode keeps its level on innocent suspects reading text watermarked with the very key
 * tested, and its protections (first occurrence in a chunk, global de-duplication) are needed.
 */
class ReadingModeValidityTest {
  private static final double ALPHA = 1e-3;

  /**
   * For each of 150 fresh keys, probe texts watermarked under that key are read by the clean
   * student and by a clean copying suspect; the randomized p-values are U(0, 1) by a KS test at
   * alpha 0.001 (false-failure rate 0.001 per KS test, two tests). With h = 1 the copying
   * suspect never copies at a window's first occurrence (its last token is the window), so its
   * scored tuples equal the bigram's: this checks that the first-occurrence rule removes exactly
   * the copied positions.
   */
  @Test
  void cleanSuspectsAreUniformOverFreshKeys() {
    int keys = 150;
    UniformRandomProvider u = World.rng(404);
    SuspectModel copier = World.copying(Fixtures.CLEAN);
    double[] bigram = new double[keys];
    double[] copying = new double[keys];
    long tuples = 0;
    for (int i = 0; i < keys; i++) {
      Watermarker wm = World.watermarker(World.key("reading-" + i, 9000 + i));
      List<int[]> probes = List.of(Fixtures.WORLD.teacherText(wm, 3000, 9500 + i));
      RadioactivityResult r = ReadingModeTest.builder(wm, Fixtures.CLEAN).budget(1_000_000).build().run(probes);
      RadioactivityResult c = ReadingModeTest.builder(wm, copier).chunkLength(256).budget(1_000_000).build().run(probes);
      bigram[i] = Fixtures.randomizedP(r, u.nextDouble());
      copying[i] = Fixtures.randomizedP(c, u.nextDouble());
      tuples += r.tuplesScored();
    }
    TestResult ks = UniformityTest.kolmogorovSmirnov(bigram);
    TestResult ksCopy = UniformityTest.kolmogorovSmirnov(copying);
    System.out.printf(Locale.ROOT, "reading validity: %d keys, %.0f tuples/run, KS D=%.4f log10p=%.2f;"
        + " copying suspect KS D=%.4f log10p=%.2f%n",
        keys, (double) tuples / keys, ks.statistic(), ks.log10P(), ksCopy.statistic(), ksCopy.log10P());
    assertFalse(ks.reject(ALPHA), "reading-mode p-values are not uniform: " + ks);
    assertFalse(ksCopy.reject(ALPHA), "reading-mode p-values of the copying suspect are not uniform: " + ksCopy);
  }

  /**
   * A clean suspect that copies from its context (an induction head) repeats, at a window's
   * second occurrence in a chunk, the token the teacher sampled under that window's green list:
   * scoring every occurrence flags it; scoring first occurrences only does not (false-failure
   * rate 0.001).
   */
  @Test
  void firstOccurrenceRuleIsNecessary() {
    SuspectModel copier = World.copying(Fixtures.CLEAN);
    List<int[]> probes = probes(Fixtures.TEACHER, 40, 2000);
    RadioactivityResult every = ReadingModeTest.builder(Fixtures.TEACHER, copier).budget(1_000_000)
        .firstOccurrenceOnly(false).build().run(probes);
    RadioactivityResult first = ReadingModeTest.builder(Fixtures.TEACHER, copier).budget(1_000_000)
        .build().run(probes);
    System.out.printf(Locale.ROOT, "reading first-occurrence: every %s%n                          first %s%n",
        every, first);
    assertTrue(every.reject(ALPHA), "scoring repeated windows should flag the copying suspect: " + every);
    assertFalse(first.reject(ALPHA), "valid reading test flagged the copying suspect: " + first);
    assertTrue(first.tuplesScored() > 1_000, "too few tuples to mean anything: " + first.tuplesScored());
  }

  /**
   * Without global de-duplication the clean student's repeated predictions (the same window in
   * many chunks) are counted again: over 40 fresh keys it is flagged far more often than alpha
   * allows (at least 4 required, about 0.04 expected for a valid test); with it, at most one
   * (P[&gt;= 2 of 40] = 8e-4).
   */
  @Test
  void globalDeduplicationIsNecessary() {
    int keys = 40;
    int flaggedNone = 0;
    int flaggedValid = 0;
    List<int[]> probes = probes(Fixtures.TEACHER, 10, 4000);
    for (int i = 0; i < keys; i++) {
      Watermarker wm = World.watermarker(World.key("reading-dedup-" + i, 7000 + i));
      RadioactivityResult none = ReadingModeTest.builder(wm, Fixtures.CLEAN).budget(1_000_000)
          .detectorConfig(DetectorConfig.defaults().withDedup(Dedup.NONE)).build().run(probes);
      RadioactivityResult valid = ReadingModeTest.builder(wm, Fixtures.CLEAN).budget(1_000_000).build().run(probes);
      flaggedNone += none.reject(ALPHA) ? 1 : 0;
      flaggedValid += valid.reject(ALPHA) ? 1 : 0;
    }
    System.out.printf(Locale.ROOT, "reading dedup: flagged under %d keys: NONE %d, TUPLE %d%n",
        keys, flaggedNone, flaggedValid);
    assertTrue(flaggedNone >= 4, "Dedup.NONE flagged the clean student only " + flaggedNone + " times");
    assertTrue(flaggedValid <= 1, "valid test flagged the clean student " + flaggedValid + " times");
  }

  static List<int[]> probes(Watermarker wm, int count, int length) {
    int[][] out = new int[count][];
    for (int i = 0; i < count; i++) {
      out[i] = Fixtures.WORLD.teacherText(wm, length, 31_000 + i);
    }
    return List.of(out);
  }
}
