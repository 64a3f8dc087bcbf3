package dev.radiomark.verify.radioactivity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.Watermarker;
import dev.radiomark.verify.stats.TestResult;
import dev.radiomark.verify.stats.UniformityTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/**
 * Reading mode scored on the suspect's distribution: its k most probable tokens (exact null) or
 * their probability-weighted scores (Chernoff tail). Both keep their level on a clean student;
 * their power beside top-1 on a distilled student is printed (docs/power.md).
 */
class DistributionScoringTest {

  @Test
  void topKMatchesASort() {
    UniformRandomProvider r = World.rng(5);
    float[] logits = new float[3 * 50];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) Math.floor(r.nextDouble() * 20); // many ties
    }
    int[] ids = new int[3 * 7];
    float[] lp = new float[3 * 7];
    for (int b = 0; b < 3; b++) {
      TopK.select(logits, b * 50, 50, 7, ids, lp, b * 7);
      Integer[] order = new Integer[50];
      for (int i = 0; i < 50; i++) {
        order[i] = i;
      }
      int base = b * 50;
      Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -logits[base + i]).thenComparingInt(i -> i));
      double z = 0;
      for (int i = 0; i < 50; i++) {
        z += Math.exp(logits[base + i]);
      }
      for (int j = 0; j < 7; j++) {
        assertEquals(order[j], ids[b * 7 + j]);
        assertEquals(logits[base + order[j]] - Math.log(z), lp[b * 7 + j], 1e-5);
      }
    }
  }

  /**
   * The clean student under 100 fresh keys: top-8 scoring's randomized p-values are U(0, 1)
   * (KS at 1e-3: the false-failure rate), and weighted scoring's bound is at or below 0.01 for
   * at most 4 keys (P[Bin(100, 0.01) &gt;= 5] = 3.4e-3 for an exact test; the bound is
   * conservative).
   */
  @Test
  void cleanStudentKeepsTheLevel() {
    int keys = 100;
    UniformRandomProvider u = World.rng(77);
    double[] topk = new double[keys];
    int weightedHits = 0;
    for (int i = 0; i < keys; i++) {
      Watermarker wm = World.watermarker(World.key("dist-" + i, 3000 + i));
      List<int[]> probes = List.of(Fixtures.WORLD.teacherText(wm, 1500, 3500 + i));
      RadioactivityResult k = ReadingModeTest.builder(wm, Fixtures.CLEAN).topK(8).budget(10_000_000).build().run(probes);
      topk[i] = Innocents.randomizedP(World.SPEC, k, u.nextDouble());
      RadioactivityResult w = ReadingModeTest.builder(wm, Fixtures.CLEAN).topK(32).weighted(true).budget(10_000_000)
          .build().run(probes);
      if (w.log10P() <= -2) {
        weightedHits++;
      }
    }
    TestResult ks = UniformityTest.kolmogorovSmirnov(topk);
    assertFalse(ks.reject(1e-3), "top-k p-values are not uniform: " + ks);
    assertTrue(weightedHits <= 4, weightedHits + " of " + keys + " keys flag the clean student with weighted scoring");
  }

  /** Power beside top-1 on the same probes: printed, and each flags the fully distilled student. */
  @Test
  void distilledStudentIsFlaggedByEveryScoring() {
    Watermarker wm = Fixtures.TEACHER;
    List<int[]> probes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      probes.add(Fixtures.WORLD.teacherText(wm, 2000, 4000 + i));
    }
    List<Answer> mixed = new ArrayList<>(Fixtures.HUMAN);
    mixed.addAll(Fixtures.SERVED.subList(0, 50)); // 5% of the training answers watermarked
    World.Student rho5 = Fixtures.WORLD.student(mixed);
    for (World.Student s : new World.Student[] {Fixtures.DISTILLED, rho5}) {
      RadioactivityResult top1 = ReadingModeTest.builder(wm, s).budget(10_000_000).build().run(probes);
      RadioactivityResult top8 = ReadingModeTest.builder(wm, s).topK(8).budget(10_000_000).build().run(probes);
      RadioactivityResult weighted = ReadingModeTest.builder(wm, s).topK(32).weighted(true).budget(10_000_000)
          .build().run(probes);
      System.out.printf(Locale.ROOT, "%s: top-1 %d tuples log10 p %.1f; top-8 %d tuples %.1f; weighted top-32 %d terms %.1f%n",
          s == Fixtures.DISTILLED ? "distilled rho=100%" : "student rho=5%", top1.tuplesScored(), top1.log10P(),
          top8.tuplesScored(), top8.log10P(), weighted.tuplesScored(), weighted.log10P());
      if (s == Fixtures.DISTILLED) {
        assertTrue(top1.log10P() < -6 && top8.log10P() < -6 && weighted.log10P() < -6);
      }
    }
  }
}
