package dev.radiomark.verify.radioactivity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.Watermarker;
import dev.radiomark.verify.Verdict;
import dev.radiomark.key.WatermarkKey;
import dev.radiomark.verify.NullModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The verdict is taken at the budget; attribution names the right cohort and no other. */
class BudgetAndAttributionTest {
  /** Family-wise level of the attribution tests. */
  private static final double ALPHA = 1e-3;

  @Test
  void verdictIsTheFirstBudgetTuples() {
    List<Answer> answers = Fixtures.DISTILLED.answers(100, 0.8, 601);
    RadioactivityResult all = ClosedModelTest.builder(Fixtures.TEACHER).budget(1_000_000).curvePoints(1_000_000 / 10)
        .build().run(answers);
    assertFalse(all.budgetReached());
    long budget = 3_000;
    AtomicLong lastTuples = new AtomicLong();
    RadioactivityResult r = ClosedModelTest.builder(Fixtures.TEACHER).budget(budget).curvePoints(150)
        .progress((tokens, tuples) -> lastTuples.set(tuples)).build().run(answers);
    assertTrue(r.budgetReached());
    assertEquals(budget, r.tuplesScored());
    assertEquals(budget, lastTuples.get());
    assertTrue(r.tokensRead() < all.tokensRead(), "stopped reading at the budget");
    // the same first 3,000 tuples, seen through the unbudgeted run's curve (a point every 10)
    double atBudget = all.curve().stream().filter(p -> p.tuples() == budget).findFirst().orElseThrow().log10P();
    assertEquals(atBudget, r.log10P(), 1e-12);
    assertEquals(NullModel.of(World.SPEC).log10P(budget, r.score()), r.log10P(), 1e-12);
    // curve: strictly increasing counts, every 20 tuples, ending at the budget; carries its note
    assertEquals(20, r.curveStep());
    assertEquals(150, r.curve().size());
    for (int i = 1; i < r.curve().size(); i++) {
      assertTrue(r.curve().get(i).tuples() > r.curve().get(i - 1).tuples());
    }
    assertEquals(budget, r.curve().get(r.curve().size() - 1).tuples());
    assertEquals(r.log10P(), r.curve().get(r.curve().size() - 1).log10P());
    assertTrue(r.curveNote().contains("not a stopping rule"));
  }

  @Test
  void budgetNotReachedUsesEverything() {
    List<Answer> answers = Fixtures.CLEAN.answers(10, 0.8, 602);
    RadioactivityResult r = ClosedModelTest.builder(Fixtures.TEACHER).budget(1_000_000).build().run(answers);
    assertFalse(r.budgetReached());
    assertTrue(r.tuplesScored() > 0 && r.tuplesScored() < 1_000_000);
    assertEquals(10L * World.ANSWER, r.tokensRead());
    assertEquals(r.tuplesScored(), r.curve().get(r.curve().size() - 1).tuples());
    assertTrue(r.toString().contains("budget not reached"));
  }

  @Test
  void userErrorsNameTheParameter() {
    var e = assertThrows(IllegalArgumentException.class, () -> ClosedModelTest.builder(Fixtures.TEACHER).budget(0));
    assertEquals("budget is not in [1, 2^63): 0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ClosedModelTest.builder(Fixtures.TEACHER).build()
        .run(List.of(new Answer(new int[] {1}, new int[] {5, World.V}))));
    assertEquals("text[1] is not in [0, 2000): 2000 (vocabulary mismatch?)", e.getMessage());
    Watermarker other = World.watermarker(World.key("other", 3));
    var ledger = dev.radiomark.ledger.ServedWindowLedger.create(other, 10, 0.01);
    e = assertThrows(IllegalArgumentException.class, () -> ClosedModelTest.builder(Fixtures.TEACHER).ledger(ledger));
    assertEquals("ledger key is not the test's key: ledger other (fingerprint " + other.keyFingerprint()
        + "), test teacher (fingerprint " + Fixtures.TEACHER.keyFingerprint() + ")", e.getMessage());
    // The binding is the key, not its id: a key named "teacher" with another secret is refused too.
    Watermarker sameId = World.watermarker(World.key("teacher", 99));
    var impostor = dev.radiomark.ledger.ServedWindowLedger.create(sameId, 10, 0.01);
    e = assertThrows(IllegalArgumentException.class, () -> ClosedModelTest.builder(Fixtures.TEACHER).ledger(impostor));
    assertTrue(e.getMessage().contains(sameId.keyFingerprint()), e.getMessage());
    SuspectModel wrong = new SuspectModel() {
      @Override
      public int vocabSize() {
        return 100;
      }

      @Override
      public void nextTokenLogits(int[][] c, int[] l, int b, float[] out) {}
    };
    e = assertThrows(IllegalArgumentException.class, () -> ReadingModeTest.builder(Fixtures.TEACHER, wrong));
    assertEquals("suspect vocabulary has 100 tokens but the synthetic vocabulary has 2000", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Attribution.run(List.of(Fixtures.TEACHER), k -> ClosedModelTest.builder(k).build(), List.of(), 1.5));
    assertEquals("alpha is not in (0, 1): 1.5", e.getMessage());
  }

  /**
   * K = 8 tenant keys; the student trained on tenant 5's answers (rho = 0.5). Holm at 1e-3:
   * tenant 5 only. A clean student: no tenant (false-failure rate at most 1e-3 per mode).
   */
  @Test
  void attributionPicksTheRightTenant() {
    WatermarkKey root = World.key("root", 99);
    List<Watermarker> tenants = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      tenants.add(World.watermarker(root.forTenant("t" + i)));
    }
    List<Answer> served = Fixtures.WORLD.teacherAnswers(tenants.get(5), 1000, 701);
    World.Student student = Fixtures.WORLD.student(World.concat(Fixtures.HUMAN, served));
    List<Answer> answers = student.answers(200, 0.8, 702);

    AttributionResult closed = Attribution.run(tenants, k -> ClosedModelTest.builder(k).budget(10_000).build(),
        answers, ALPHA);
    AttributionResult clean = Attribution.run(tenants, k -> ClosedModelTest.builder(k).budget(10_000).build(),
        Fixtures.CLEAN.answers(200, 0.8, 703), ALPHA);
    List<int[]> probes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      probes.add(Fixtures.WORLD.teacherText(tenants.get(5), 2000, 710 + i));
    }
    AttributionResult reading = Attribution.run(tenants, k -> ReadingModeTest.builder(k, student).budget(1_000).build(),
        probes, ALPHA);
    AttributionResult readingClean = Attribution.run(tenants,
        k -> ReadingModeTest.builder(k, Fixtures.CLEAN).budget(1_000).build(), probes, ALPHA);
    for (AttributionResult.Entry e : closed.entries()) {
      System.out.printf(Locale.ROOT, "attribution closed %-16s raw %9.2f corrected %9.2f%n",
          e.keyId(), e.log10PRaw(), e.log10PCorrected());
    }
    System.out.printf(Locale.ROOT, "attribution: closed %s, reading %s, clean closed %s, clean reading %s%n",
        closed.flaggedKeyIds(), reading.flaggedKeyIds(), clean.flaggedKeyIds(), readingClean.flaggedKeyIds());
    assertEquals(List.of("root/tenant=t5"), closed.flaggedKeyIds());
    assertEquals(List.of("root/tenant=t5"), reading.flaggedKeyIds());
    assertEquals(List.of(), clean.flaggedKeyIds());
    assertEquals(List.of(), readingClean.flaggedKeyIds());
    assertEquals(Verdict.FLAGGED, closed.verdict());
    // 10,000 and 1,000 tuples are far above the minimum evidence: an unflagged clean student is not_flagged.
    assertEquals(Verdict.NOT_FLAGGED, clean.verdict());
    assertEquals(Verdict.NOT_FLAGGED, readingClean.verdict());
    assertEquals("holm", closed.correction());
    assertEquals(8, closed.family());
    for (AttributionResult.Entry e : closed.entries()) {
      assertTrue(e.log10PCorrected() >= e.log10PRaw());
    }
  }
}
