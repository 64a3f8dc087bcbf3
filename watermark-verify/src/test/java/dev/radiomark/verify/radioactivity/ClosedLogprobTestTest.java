package dev.radiomark.verify.radioactivity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.Scheme;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.WindowRule;
import dev.radiomark.ledger.ServedWindowLedger;
import dev.radiomark.verify.DetectorConfig;
import dev.radiomark.verify.stats.TestResult;
import dev.radiomark.verify.stats.UniformityTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/**
 * Closed mode with the suspect's top-k log-probabilities: the same exclusions as closed mode,
 * its level on a clean student over fresh keys, and its power beside top-1 closed mode.
 */
class ClosedLogprobTestTest {
  private static final List<Answer> CLEAN_ANSWERS = Fixtures.CLEAN.answers(400, 0.7, 101);

  /** The student's own top-k alternatives at every position of each answer, as an API returns them. */
  static List<AnswerLogprobs> withLogprobs(SuspectModel s, List<Answer> answers, int k) {
    List<AnswerLogprobs> out = new ArrayList<>();
    for (Answer a : answers) {
      int n = a.text().length;
      int[] stream = Arrays.copyOf(a.prompt(), a.prompt().length + n);
      System.arraycopy(a.text(), 0, stream, a.prompt().length, n);
      int[][] contexts = new int[n][];
      int[] lens = new int[n];
      for (int i = 0; i < n; i++) {
        contexts[i] = stream;
        lens[i] = a.prompt().length + i;
      }
      int[] ids = new int[n * k];
      float[] lp = new float[n * k];
      s.topK(contexts, lens, n, k, ids, lp);
      out.add(new AnswerLogprobs(a, k, ids, lp));
    }
    return out;
  }

  /** k = 1 with each emitted token as the only alternative (probability 1). */
  static List<AnswerLogprobs> emitted(List<Answer> answers) {
    List<AnswerLogprobs> out = new ArrayList<>();
    for (Answer a : answers) {
      out.add(new AnswerLogprobs(a, 1, a.text().clone(), new float[a.text().length]));
    }
    return out;
  }

  /** Answers that quote 64 tokens of a watermarked prompt, then continue as the clean student. */
  private static List<Answer> quoting() {
    UniformRandomProvider r = World.rng(303);
    List<Answer> out = new ArrayList<>();
    for (Answer served : Fixtures.SERVED.subList(0, 400)) {
      int[] prompt = served.text();
      int[] own = Fixtures.CLEAN.continueFrom(prompt[prompt.length - 1], 64, 0.8, r);
      int[] text = Arrays.copyOf(prompt, 64 + own.length);
      System.arraycopy(own, 0, text, 64, own.length);
      out.add(new Answer(prompt, text));
    }
    return out;
  }

  /**
   * With the emitted tokens as the only alternatives, every exclusion and the de-duplication
   * match closed mode's: same tuples, same score, plain, quoting its prompt, and supervised.
   */
  @Test
  void emittedTokensAreClosedModeExactly() {
    Watermarker wm = Fixtures.TEACHER;
    ServedWindowLedger ledger = ServedWindowLedger.create(wm, 200_000, 0.01);
    for (Answer a : Fixtures.SERVED.subList(0, 10)) {
      ledger.record(wm, a.text(), 0, a.text().length);
    }
    List<Answer> mixed = World.concat(quoting(), CLEAN_ANSWERS);
    for (ServedWindowLedger l : new ServedWindowLedger[] {null, ledger}) {
      RadioactivityResult closed = ClosedModelTest.builder(wm).ledger(l).budget(1_000_000).build().run(mixed);
      RadioactivityResult lp = ClosedLogprobTest.builder(wm).ledger(l).budget(1_000_000).build().run(emitted(mixed));
      assertTrue(closed.tuplesScored() > 1000, "too few tuples: " + closed);
      assertEquals(closed.tuplesScored(), lp.tuplesScored(), "tuples scored");
      assertEquals(closed.score(), lp.score(), 1e-9, "score");
      assertEquals(closed.log10P(), lp.log10P(), 1e-9, "log10 p");
      assertEquals(closed.supervised(), lp.supervised());
      assertEquals(Mode.CLOSED, lp.mode());
    }
  }

  /**
   * The same under the rules whose exclusions are keyed on tuples and lead tokens too
   * (self-seeding h = 4, min-hash h = 3, one green list h = 0), on answers that copy their
   * watermarked prompts' words shuffled and repeated.
   */
  @Test
  void emittedTokensAreClosedModeExactlyUnderEveryWindowRule() {
    WatermarkSpec[] specs = {
        Innocents.spec(Scheme.GREEN_LIST, 2000, WindowRule.SELF_SEEDING, 4, 3.0),
        Innocents.spec(Scheme.GREEN_LIST, 2000, WindowRule.MIN_HASH, 3, 3.0),
        Innocents.spec(Scheme.GREEN_LIST, 2000, WindowRule.ORDERED, 0, 3.0),
        Innocents.spec(Scheme.TOURNAMENT, 2000, WindowRule.ORDERED, 2, 3.0)};
    for (WatermarkSpec spec : specs) {
      Watermarker w = Watermarker.of(World.key("rules", 31), spec);
      UniformRandomProvider r = World.rng(32);
      List<Answer> served = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        served.add(new Answer(new int[0], Innocents.uniformText(w, 40, r)));
      }
      List<Answer> copies = Innocents.shuffledPromptCopies(served, r);
      copies.addAll(Innocents.repeatedPromptCopies(served));
      for (Answer a : served) {
        int[] own = new int[40];
        for (int i = 0; i < own.length; i++) {
          own[i] = r.nextInt(World.V);
        }
        copies.add(new Answer(a.text(), own));
      }
      // one window followed by many tokens (tournament scores only its first occurrence)
      int[] repeats = new int[60];
      for (int i = 0; i < 20; i++) {
        repeats[3 * i] = 1;
        repeats[3 * i + 1] = 2;
        repeats[3 * i + 2] = 3 + i;
      }
      copies.add(new Answer(new int[0], repeats));
      RadioactivityResult closed = ClosedModelTest.builder(w).budget(10_000_000).build().run(copies);
      RadioactivityResult lp = ClosedLogprobTest.builder(w).budget(10_000_000).build().run(emitted(copies));
      assertTrue(closed.tuplesScored() > 100, spec.describe() + ": too few tuples: " + closed);
      assertEquals(closed.tuplesScored(), lp.tuplesScored(), spec.describe());
      assertEquals(closed.score(), lp.score(), 1e-9, spec.describe());
    }
  }

  /**
   * The clean student's top-8 alternatives under 200 fresh keys: randomized p-values are U(0, 1)
   * (KS at 0.001, so the test fails by chance once in 1,000 seeds; the seeds are fixed); weighted
   * top-32 bounds are at or below 0.01 for at most 5 of the 200 keys (P[Bin(200, 0.01) &gt;= 6]
   * = 1.6e-2 for an exact test, and the bound is conservative).
   */
  @Test
  void cleanStudentKeepsTheLevelOverFreshKeys() {
    int keys = 200;
    List<AnswerLogprobs> top8 = withLogprobs(Fixtures.CLEAN, CLEAN_ANSWERS, 8);
    List<AnswerLogprobs> top32 = withLogprobs(Fixtures.CLEAN, CLEAN_ANSWERS, 32);
    UniformRandomProvider u = World.rng(404);
    double[] p = new double[keys];
    int weightedHits = 0;
    long tuples = 0;
    for (int i = 0; i < keys; i++) {
      Watermarker wm = World.watermarker(World.key("lp-fresh-" + i, 7000 + i));
      RadioactivityResult r = ClosedLogprobTest.builder(wm).budget(10_000_000).build().run(top8);
      p[i] = Fixtures.randomizedP(r, u.nextDouble());
      tuples += r.tuplesScored();
      RadioactivityResult w = ClosedLogprobTest.builder(wm).weighted(true).budget(10_000_000).build().run(top32);
      weightedHits += w.log10P() <= -2 ? 1 : 0;
    }
    TestResult ks = UniformityTest.kolmogorovSmirnov(p);
    System.out.printf(Locale.ROOT, "closed top-8 validity: %d keys, %.0f tuples/run, KS D=%.4f log10p=%.2f;"
        + " weighted top-32 at <= 0.01: %d keys%n", keys, (double) tuples / keys, ks.statistic(), ks.log10P(),
        weightedHits);
    assertFalse(ks.reject(1e-3), "closed top-k p-values are not uniform: " + ks);
    assertTrue(weightedHits <= 5, weightedHits + " of " + keys + " keys flag the clean student, weighted");
  }

  /**
   * An API that quotes its watermarked prompt puts the quoted token first among its
   * alternatives: without the prompt-window exclusion the clean student is flagged, with it not
   * (each at 0.001; the clean side fails by chance with probability at most 0.001).
   */
  @Test
  void promptWindowExclusionIsNecessary() {
    List<Answer> q = quoting();
    List<AnswerLogprobs> api = new ArrayList<>();
    for (AnswerLogprobs a : withLogprobs(Fixtures.CLEAN, q, 8)) {
      int[] ids = a.ids().clone();
      float[] lp = a.logProbs().clone();
      int[] text = a.answer().text();
      for (int i = 0; i < 64; i++) {
        // the quoted token first (probability 0.9), then the student's others
        int[] row = new int[8];
        float[] rowLp = new float[8];
        row[0] = text[i];
        rowLp[0] = (float) Math.log(0.9);
        int m = 1;
        for (int j = 0; j < 8 && m < 8; j++) {
          if (ids[i * 8 + j] != text[i]) {
            row[m] = ids[i * 8 + j];
            rowLp[m++] = lp[i * 8 + j] + (float) Math.log(0.1);
          }
        }
        System.arraycopy(row, 0, ids, i * 8, 8);
        System.arraycopy(rowLp, 0, lp, i * 8, 8);
      }
      api.add(new AnswerLogprobs(a.answer(), 8, ids, lp));
    }
    for (boolean weighted : new boolean[] {false, true}) {
      RadioactivityResult kept = ClosedLogprobTest.builder(Fixtures.TEACHER).weighted(weighted).budget(10_000_000)
          .detectorConfig(DetectorConfig.defaults().withExcludePromptWindows(false)).build().run(api);
      RadioactivityResult valid = ClosedLogprobTest.builder(Fixtures.TEACHER).weighted(weighted).budget(10_000_000)
          .build().run(api);
      System.out.printf(Locale.ROOT, "quoting API (weighted %s): kept log10 p %.1f, excluded %.1f%n", weighted,
          kept.log10P(), valid.log10P());
      assertTrue(kept.reject(1e-3), "keeping prompt windows should flag the quoting clean student: " + kept);
      assertFalse(valid.reject(1e-3), "valid test flagged the clean student: " + valid);
    }
  }

  /**
   * A student trained on 5% watermarked answers answers 40 random prompts at temperature 0.7:
   * its top-8 alternatives (exact) and its probability-weighted top-32 (Chernoff bound) give more
   * evidence than its emitted tokens (top-1 closed mode) on the same answers. Deterministic
   * (fixed seeds); the figures, and those at 400 answers, are in docs/power.md.
   */
  @Test
  void leaningStudentIsFlaggedWithMoreEvidenceThanTopOne() {
    Watermarker wm = Fixtures.TEACHER;
    List<Answer> mixed = new ArrayList<>(Fixtures.HUMAN);
    mixed.addAll(Fixtures.SERVED.subList(0, 50));
    World.Student rho5 = Fixtures.WORLD.student(mixed);
    for (int n : new int[] {400, 40}) {
      List<Answer> answers = rho5.answers(n, 0.7, 505);
      RadioactivityResult top1 = ClosedModelTest.builder(wm).budget(10_000_000).build().run(answers);
      RadioactivityResult top8 = ClosedLogprobTest.builder(wm).budget(10_000_000).build()
          .run(withLogprobs(rho5, answers, 8));
      List<AnswerLogprobs> k32 = withLogprobs(rho5, answers, 32);
      RadioactivityResult top32 = ClosedLogprobTest.builder(wm).budget(10_000_000).build().run(k32);
      RadioactivityResult weighted = ClosedLogprobTest.builder(wm).weighted(true).budget(10_000_000).build().run(k32);
      System.out.printf(Locale.ROOT, "closed rho=5%%, %d answers: top-1 %d tuples log10 p %.1f; top-8 %d tuples %.1f;"
          + " top-32 %d tuples %.1f; weighted top-32 %d terms %.1f%n", n, top1.tuplesScored(), top1.log10P(),
          top8.tuplesScored(), top8.log10P(), top32.tuplesScored(), top32.log10P(), weighted.tuplesScored(),
          weighted.log10P());
      if (n == 40) {
        assertTrue(top8.log10P() < top1.log10P() - 1, "top-8 " + top8.log10P() + " vs top-1 " + top1.log10P());
        assertTrue(weighted.log10P() < top1.log10P() - 1,
            "weighted " + weighted.log10P() + " vs top-1 " + top1.log10P());
      }
    }
  }

  @Test
  void badAlternativesAreRefusedNamingWhere() {
    Answer a = new Answer(new int[] {1, 2}, new int[] {3, 4});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new AnswerLogprobs(a, 2, new int[] {5, 6, 7}, new float[3]));
    assertTrue(e.getMessage().contains("4 = 2 text tokens x k 2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new AnswerLogprobs(a, 2, new int[] {5, 6, 7, 8}, new float[] {0, -1, 0.5f, -2}));
    assertTrue(e.getMessage().contains("alternative 0 of text token 1") && e.getMessage().contains("0.5"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new AnswerLogprobs(a, 2, new int[] {5, 6, 7, 8}, new float[] {0, Float.NaN, 0, 0}));
    assertTrue(e.getMessage().contains("alternative 1 of text token 0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new AnswerLogprobs(a, 2, new int[] {5, 5, 7, 8}, new float[4]));
    assertTrue(e.getMessage().contains("lists token id 5 twice"), e.getMessage());
    AnswerLogprobs outside = new AnswerLogprobs(a, 2, new int[] {5, World.V, 7, -1}, new float[4]);
    e = assertThrows(IllegalArgumentException.class,
        () -> ClosedLogprobTest.builder(Fixtures.TEACHER).build().run(List.of(outside)));
    assertTrue(e.getMessage().contains("alternative 1 of text token 0 is not in [0, 2000): 2000"), e.getMessage());
  }
}
