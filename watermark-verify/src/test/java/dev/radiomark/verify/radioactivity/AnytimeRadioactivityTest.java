package dev.radiomark.verify.radioactivity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.Watermarker;
import dev.radiomark.verify.Verdict;
import java.util.List;
import java.util.Locale;
import org.apache.commons.statistics.distribution.BinomialDistribution;
import org.junit.jupiter.api.Test;

/** The anytime-valid test through the radioactivity tests: level on a clean suspect, early stop on a guilty one. */
class AnytimeRadioactivityTest {
  private static final double ALPHA = 0.05;
  private static final List<Answer> CLEAN_ANSWERS = Fixtures.CLEAN.answers(400, 0.7, 101);

  /**
   * A clean student's answers under 200 fresh keys, watched tuple by tuple (the run would stop at
   * the first crossing of alpha = 0.05): the anytime test flags at most the 1e-4 upper quantile of
   * Binomial(200, 0.05) keys (23), so this fails by chance with probability at most 1e-4
   * (measured: 8 keys, about 19,700 tuples a run). On the same runs, the fixed-budget p-value read
   * at every 10th tuple of the curve dips below alpha on many more keys (measured 90; the assert
   * asks for more than 20, twice the 10 expected of a valid test).
   */
  @Test
  void cleanSuspectStaysWithinAlphaUnderMonitoring() {
    int keys = 200;
    int limit = BinomialDistribution.of(keys, ALPHA).inverseSurvivalProbability(1e-4);
    int anytime = 0;
    int peeking = 0;
    long tuples = 0;
    for (int i = 0; i < keys; i++) {
      Watermarker wm = World.watermarker(World.key("fresh-anytime-" + i, 5000 + i));
      RadioactivityResult r = ClosedModelTest.builder(wm).budget(1_000_000).curvePoints(100_000).anytime(ALPHA)
          .build().run(CLEAN_ANSWERS);
      tuples += r.tuplesScored();
      AnytimeResult a = r.anytime();
      assertEquals(r.tuplesScored(), a.tuples());
      if (a.verdict(ALPHA) == Verdict.FLAGGED) {
        anytime++;
        assertTrue(a.stopped());
      } else {
        assertEquals(Verdict.INCONCLUSIVE, a.verdict(ALPHA), "the input ran out before the budget");
      }
      peeking += r.curve().stream().anyMatch(p -> p.log10P() <= Math.log10(ALPHA)) ? 1 : 0;
    }
    System.out.printf(Locale.ROOT, "anytime, closed mode: %d clean runs of %.0f tuples, flagged at alpha %.2f: "
        + "anytime %d (limit %d), fixed p watched every 10 tuples %d%n",
        keys, (double) tuples / keys, ALPHA, anytime, limit, peeking);
    assertTrue(anytime <= limit, "anytime test flagged " + anytime + " of " + keys + " clean runs");
    assertTrue(peeking > 2 * ALPHA * keys, "watching the fixed p flagged only " + peeking);
  }

  /** A distilled student is flagged, and the run stops at the crossing, long before the budget. */
  @Test
  void guiltySuspectStopsAtTheCrossing() {
    List<Answer> answers = Fixtures.DISTILLED.answers(200, 0.8, 501);
    RadioactivityResult r = ClosedModelTest.builder(Fixtures.TEACHER).budget(1_000_000).anytime(1e-6).build()
        .run(answers);
    AnytimeResult a = r.anytime();
    assertTrue(a.stopped() && a.verdict(1e-6) == Verdict.FLAGGED, r.toString());
    assertTrue(a.log10P() <= -6 && a.log10P() > -7, r.toString());
    assertEquals(r.tuplesScored(), a.supTuples(), "it stopped at the sup");
    assertFalse(r.budgetReached());
    assertFalse(a.budgetReached());
    assertEquals(Verdict.INCONCLUSIVE, a.verdict(1e-9), "stopped before it could decide a stricter level");

    List<int[]> probes = List.of(Fixtures.WORLD.teacherText(Fixtures.TEACHER, 20_000, 77));
    RadioactivityResult reading = ReadingModeTest.builder(Fixtures.TEACHER, Fixtures.DISTILLED).budget(1_000_000)
        .anytime(1e-6).build().run(probes);
    assertTrue(reading.anytime().stopped(), reading.toString());
    assertTrue(reading.tuplesScored() < 20_000, reading.toString());
  }

  /** Without the option there is no anytime result; a bad level names the value and the range. */
  @Test
  void offByDefaultAndCheckedWhenOn() {
    RadioactivityResult r = ClosedModelTest.builder(Fixtures.TEACHER).budget(100).build().run(CLEAN_ANSWERS);
    assertNull(r.anytime());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClosedModelTest.builder(Fixtures.TEACHER).anytime(1.0));
    assertEquals("anytime alpha is not in (0, 1): 1.0", e.getMessage());
    RadioactivityResult full = ClosedModelTest.builder(Fixtures.TEACHER).budget(100).anytime(1e-300).build()
        .run(CLEAN_ANSWERS);
    assertTrue(full.budgetReached() && full.anytime().budgetReached());
    assertEquals(Verdict.NOT_FLAGGED, full.anytime().verdict(0.01));
  }
}
