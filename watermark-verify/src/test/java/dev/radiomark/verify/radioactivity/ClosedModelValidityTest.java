package dev.radiomark.verify.radioactivity;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.Watermarker;
import dev.radiomark.ledger.ServedWindowLedger;
import dev.radiomark.verify.Dedup;
import dev.radiomark.verify.Detector;
import dev.radiomark.verify.DetectorConfig;
import dev.radiomark.verify.stats.TestResult;
import dev.radiomark.verify.stats.UniformityTest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/**
 * The closed-model test keeps its level on an innocent student, and each of its protections is
 * needed: without one, the same innocent student is flagged.
 */
class ClosedModelValidityTest {
  private static final double ALPHA = 1e-3;

  /** The clean student's answers at temperature 0.7 (repetitive, like real chat answers). */
  private static final List<Answer> CLEAN_ANSWERS = Fixtures.CLEAN.answers(400, 0.7, 101);

  /**
   * Randomized p-values of the clean student under 200 fresh keys are U(0, 1): KS test at alpha
   * 0.001, so this test fails by chance once in 1,000 seeds (the seeds are fixed). Also the
   * supervised variant, with a ledger of the teacher's served windows recorded under each key.
   */
  @Test
  void cleanStudentIsUniformOverFreshKeys() {
    int keys = 200;
    UniformRandomProvider u = World.rng(202);
    double[] plain = new double[keys];
    double[] supervised = new double[keys];
    long tuples = 0;
    long tuplesSup = 0;
    for (int i = 0; i < keys; i++) {
      Watermarker wm = World.watermarker(World.key("fresh-" + i, 1000 + i));
      RadioactivityResult r = ClosedModelTest.builder(wm).budget(1_000_000).build().run(CLEAN_ANSWERS);
      plain[i] = Fixtures.randomizedP(r, u.nextDouble());
      tuples += r.tuplesScored();
      ServedWindowLedger ledger = ServedWindowLedger.create(wm, 200_000, 0.01);
      for (Answer a : Fixtures.SERVED.subList(0, 10)) {
        ledger.record(wm, a.text(), 0, a.text().length);
      }
      RadioactivityResult s = ClosedModelTest.builder(wm).ledger(ledger).budget(1_000_000).build().run(CLEAN_ANSWERS);
      assertTrue(s.supervised());
      supervised[i] = Fixtures.randomizedP(s, u.nextDouble());
      tuplesSup += s.tuplesScored();
    }
    TestResult ks = UniformityTest.kolmogorovSmirnov(plain);
    TestResult ksSup = UniformityTest.kolmogorovSmirnov(supervised);
    System.out.printf(Locale.ROOT, "closed validity: %d keys, %.0f tuples/run, KS D=%.4f log10p=%.2f;"
        + " supervised %.0f tuples/run, KS D=%.4f log10p=%.2f%n",
        keys, (double) tuples / keys, ks.statistic(), ks.log10P(),
        (double) tuplesSup / keys, ksSup.statistic(), ksSup.log10P());
    assertFalse(ks.reject(ALPHA), "closed-mode p-values are not uniform: " + ks);
    assertFalse(ksSup.reject(ALPHA), "supervised closed-mode p-values are not uniform: " + ksSup);
  }

  /**
   * Without de-duplication, the repeated tuples of the same clean student (1,500 answers at
   * temperature 0.5) count many times and 40 fresh keys flag it far more often than alpha =
   * 0.001 allows (0.04 flags expected; about 30% of keys measured, so requiring 4 fails by chance
   * with probability about 1e-3); with de-duplication at most one (P[&gt;= 2 of 40] = 8e-4 under
   * a valid test, the false-failure rate).
   */
  @Test
  void deduplicationIsNecessary() {
    int keys = 40;
    int flaggedNone = 0;
    int flaggedValid = 0;
    List<Answer> many = Fixtures.CLEAN.answers(1500, 0.5, 102);
    for (int i = 0; i < keys; i++) {
      Watermarker wm = World.watermarker(World.key("dedup-" + i, 5000 + i));
      RadioactivityResult none = ClosedModelTest.builder(wm).budget(1_000_000)
          .detectorConfig(DetectorConfig.defaults().withDedup(Dedup.NONE)).build().run(many);
      RadioactivityResult valid = ClosedModelTest.builder(wm).budget(1_000_000).build().run(many);
      flaggedNone += none.reject(ALPHA) ? 1 : 0;
      flaggedValid += valid.reject(ALPHA) ? 1 : 0;
    }
    System.out.printf(Locale.ROOT, "dedup: flagged at %.0e under %d keys: Dedup.NONE %d, TUPLE %d%n",
        ALPHA, keys, flaggedNone, flaggedValid);
    assertTrue(flaggedNone >= 4, "Dedup.NONE flagged the clean student only " + flaggedNone + " times");
    assertTrue(flaggedValid <= 1, "valid test flagged the clean student " + flaggedValid + " times");
  }

  /**
   * Answers that quote their prompt, when the prompt is watermarked teacher text: keeping the
   * prompt windows flags the clean student; excluding them does not (false-failure rate 0.001).
   */
  @Test
  void promptWindowExclusionIsNecessary() {
    UniformRandomProvider r = World.rng(303);
    List<Answer> quoting = new ArrayList<>();
    for (Answer served : Fixtures.SERVED.subList(0, 400)) {
      int[] prompt = served.text();
      int[] own = Fixtures.CLEAN.continueFrom(prompt[prompt.length - 1], 64, 0.8, r);
      int[] text = new int[64 + own.length];
      System.arraycopy(prompt, 0, text, 0, 64);
      System.arraycopy(own, 0, text, 64, own.length);
      quoting.add(new Answer(prompt, text));
    }
    RadioactivityResult kept = ClosedModelTest.builder(Fixtures.TEACHER).budget(1_000_000)
        .detectorConfig(DetectorConfig.defaults().withExcludePromptWindows(false)).build().run(quoting);
    RadioactivityResult valid = ClosedModelTest.builder(Fixtures.TEACHER).budget(1_000_000).build().run(quoting);
    System.out.printf(Locale.ROOT, "prompt copy: kept %s%n             excluded %s%n", kept, valid);
    assertTrue(kept.reject(ALPHA), "keeping prompt windows should flag the quoting clean student: " + kept);
    assertFalse(valid.reject(ALPHA), "valid test flagged the clean student: " + valid);
    assertTrue(valid.tuplesScored() > 5_000, "too few tuples to mean anything: " + valid.tuplesScored());
  }

  /**
   * The supervised filter must hold windows only. Filtering on the (window, token) pairs the
   * teacher served flags the clean student (those tokens were chosen for being green); the
   * window ledger does not (false-failure rate 0.001).
   */
  @Test
  void windowOnlyFilterIsNecessary() {
    Watermarker wm = Fixtures.TEACHER;
    ServedWindowLedger ledger = ServedWindowLedger.create(wm, 200_000, 0.01);
    Set<Long> servedPairs = new HashSet<>();
    for (Answer a : Fixtures.SERVED) {
      int[] stream = concat(a.prompt(), a.text());
      ledger.record(wm, stream, a.prompt().length, stream.length);
      for (int t = a.prompt().length; t < stream.length; t++) {
        servedPairs.add(pair(wm.windowSeed(stream, t), stream[t]));
      }
    }
    RadioactivityResult windows = ClosedModelTest.builder(wm).ledger(ledger).budget(1_000_000).build()
        .run(CLEAN_ANSWERS);

    // The invalid variant, written out by hand: the API has no pair filter.
    Detector.Tape tape = Detector.of(wm).newTape();
    for (Answer a : CLEAN_ANSWERS) {
      int[] stream = concat(a.prompt(), a.text());
      Set<Long> promptWindows = new HashSet<>();
      for (int e = 1; e <= a.prompt().length; e++) {
        promptWindows.add(wm.windowSeed(stream, e));
      }
      for (int t = a.prompt().length; t < stream.length; t++) {
        long ws = wm.windowSeed(stream, t);
        if (promptWindows.contains(ws) || !servedPairs.contains(pair(ws, stream[t]))) {
          continue;
        }
        tape.addTuple(ws, stream[t]);
      }
    }
    var pairs = tape.result();
    System.out.printf(Locale.ROOT, "filters: windows %s%n         pairs n=%d rate=%.4f log10p=%.2f%n",
        windows, pairs.tokensScored(), pairs.rate(), pairs.log10P());
    assertTrue(pairs.reject(ALPHA), "a (window, token) filter should flag the clean student: " + pairs);
    assertFalse(windows.reject(ALPHA), "window ledger flagged the clean student: " + windows);
    assertTrue(windows.tuplesScored() > 5_000, "too few tuples to mean anything: " + windows.tuplesScored());
  }

  private static long pair(long windowSeed, int token) {
    return windowSeed * 0x9E3779B97F4A7C15L + token;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] s = new int[a.length + b.length];
    System.arraycopy(a, 0, s, 0, a.length);
    System.arraycopy(b, 0, s, a.length, b.length);
    return s;
  }
}
