package dev.radiomark.verify.radioactivity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.ledger.ServedWindowLedger;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Students trained on watermarked answers are flagged in both modes. */
class PowerTest {
  /** Level at which a distilled student must be flagged (the paper's open-model figure). */
  private static final double ALPHA = 1e-5;

  @Test
  void distilledStudentIsFlaggedInClosedMode() {
    List<Answer> answers = Fixtures.DISTILLED.answers(200, 0.8, 501);
    RadioactivityResult r = ClosedModelTest.builder(Fixtures.TEACHER).budget(10_000).build().run(answers);
    ServedWindowLedger ledger = ServedWindowLedger.create(Fixtures.TEACHER, 200_000, 0.01);
    for (Answer a : Fixtures.SERVED.subList(0, 50)) {
      ledger.record(Fixtures.TEACHER, a.text(), 0, a.text().length);
    }
    RadioactivityResult s = ClosedModelTest.builder(Fixtures.TEACHER).ledger(ledger).budget(5_000).build().run(answers);
    System.out.printf(Locale.ROOT, "power closed rho=1: %s%n power closed rho=1 supervised: %s%n", r, s);
    assertTrue(r.reject(ALPHA), r.toString());
    assertTrue(s.reject(ALPHA), s.toString());
    assertTrue(r.rate() > r.nullRate(), r.toString());
  }

  /** A student with 20% watermarked data (rho = 0.2): measured, and must be flagged with 20k tuples. */
  @Test
  void partlyDistilledStudentIsFlaggedInClosedMode() {
    List<Answer> mix = World.concat(Fixtures.HUMAN, Fixtures.SERVED.subList(0, 250));
    World.Student student = Fixtures.WORLD.student(mix);
    List<Answer> answers = student.answers(600, 0.8, 502);
    RadioactivityResult r = ClosedModelTest.builder(Fixtures.TEACHER).budget(20_000).build().run(answers);
    System.out.printf(Locale.ROOT, "power closed rho=0.2: %s%n", r);
    assertTrue(r.reject(ALPHA), r.toString());
  }

  @Test
  void distilledStudentIsFlaggedInReadingMode() {
    List<int[]> probes = ReadingModeValidityTest.probes(Fixtures.TEACHER, 10, 2000);
    RadioactivityResult r = ReadingModeTest.builder(Fixtures.TEACHER, Fixtures.DISTILLED).budget(1_000)
        .build().run(probes);
    List<Answer> mix = World.concat(Fixtures.HUMAN, Fixtures.SERVED.subList(0, 250));
    // h = 1 over 2,000 tokens leaves at most 2,000 distinct windows: the budget is near all of them
    RadioactivityResult partly = ReadingModeTest.builder(Fixtures.TEACHER, Fixtures.WORLD.student(mix))
        .budget(1_800).build().run(probes);
    System.out.printf(Locale.ROOT, "power reading rho=1: %s%n power reading rho=0.2: %s%n", r, partly);
    assertTrue(r.reject(ALPHA), r.toString());
    assertTrue(partly.reject(1e-3), partly.toString());
  }

  /** The default top1 (argmax of the logits) agrees with the student's own fast top1. */
  @Test
  void defaultTop1IsTheArgmaxOfTheLogits() {
    List<int[]> probes = ReadingModeValidityTest.probes(Fixtures.TEACHER, 2, 600);
    RadioactivityResult fast = ReadingModeTest.builder(Fixtures.TEACHER, Fixtures.DISTILLED).batchSize(64)
        .budget(100_000).build().run(probes);
    RadioactivityResult viaLogits = ReadingModeTest.builder(Fixtures.TEACHER, Fixtures.DISTILLED.logitsOnly())
        .batchSize(7).budget(100_000).build().run(probes);
    assertArrayEquals(new double[] {fast.tuplesScored(), fast.score(), fast.log10P()},
        new double[] {viaLogits.tuplesScored(), viaLogits.score(), viaLogits.log10P()});
  }
}
