package dev.radiomark.verify.radioactivity;

import dev.radiomark.Watermarker;
import java.util.List;

/** Shared synthetic data, built once per JVM (fixed seeds). */
final class Fixtures {
  static final World WORLD = new World(20260101L);
  static final Watermarker TEACHER = World.watermarker(World.key("teacher", 7));
  /** 1,000 human answers (128k tokens): the clean student's training data. */
  static final List<Answer> HUMAN = WORLD.humanAnswers(1000, 11);
  /** 1,000 teacher answers (128k tokens), watermarked under TEACHER. */
  static final List<Answer> SERVED = WORLD.teacherAnswers(TEACHER, 1000, 13);
  /** Trained on human text only. */
  static final World.Student CLEAN = WORLD.student(HUMAN);
  /** Trained on watermarked answers only (rho = 100%). */
  static final World.Student DISTILLED = WORLD.student(SERVED);

  private Fixtures() {}

  /** P[X &gt; S] + u P[X = S] for the green-list null: exactly U(0, 1) under H0. */
  static double randomizedP(RadioactivityResult r, double u) {
    return Innocents.randomizedP(World.SPEC, r, u);
  }

}
