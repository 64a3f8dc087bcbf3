package dev.radiomark.verify.stats;

import static dev.radiomark.verify.stats.TailsTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;

class MultipleTestingTest {

  @Test
  void holmMatchesRPAdjust() {
    // R 4.x: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") = 0.03 0.06 0.06 0.02
    final double[] raw = log10(0.01, 0.04, 0.03, 0.005);
    final double[] adjusted = MultipleTesting.holm(raw);
    assertArrayEquals(log10(0.03, 0.06, 0.06, 0.02), adjusted, 1e-15);
    assertArrayEquals(log10(0.01, 0.04, 0.03, 0.005), raw, 0.0, "input not modified");
  }

  @Test
  void holmIsMonotoneCappedAndWorksFarBelowUnderflow() {
    final double[] raw = {-5000, -0.1, -4999.9, -2, Double.NEGATIVE_INFINITY, -0.01};
    final double[] adjusted = MultipleTesting.holm(raw);
    final double l6 = Math.log10(6);
    assertEquals(Double.NEGATIVE_INFINITY, adjusted[4]);
    assertEquals(-5000 + Math.log10(5), adjusted[0], 1e-12);
    assertEquals(-4999.9 + Math.log10(4), adjusted[2], 1e-12);
    assertEquals(-2 + Math.log10(3), adjusted[3], 1e-12);
    assertEquals(0.0, adjusted[1]);
    assertEquals(0.0, adjusted[5]);
    for (int i = 0; i < raw.length; i++) {
      assertTrue(adjusted[i] >= raw[i] && adjusted[i] <= 0);
      for (int j = 0; j < raw.length; j++) {
        assertTrue(raw[i] > raw[j] || adjusted[i] <= adjusted[j], "monotone " + i + " " + j);
      }
    }
    assertTrue(l6 > 0);
    assertEquals(0, MultipleTesting.holm(new double[0]).length);
  }

  @Test
  void bonferroni() {
    assertEquals(Math.log10(0.2), MultipleTesting.bonferroni(Math.log10(0.01), 20), 1e-15);
    assertEquals(0.0, MultipleTesting.bonferroni(Math.log10(0.1), 20));
    assertEquals(-700 + Math.log10(1e6), MultipleTesting.bonferroni(-700, 1_000_000), 1e-12);
  }

  @Test
  void sidakIsAccurateAcrossTheRange() {
    final MathContext mc = new MathContext(40);
    for (final double l : new double[] {-0.001, -0.3, -1, -2, -5, -10, -15, -20, -60, -250}) {
      for (final long m : new long[] {1, 2, 20, 1000, 1_000_000, 1L << 40}) {
        // 1 - (1 - p)^m by its alternating binomial series in 40-digit decimal while
        // m p < 1; above that p >= 1e-6 and the plain double formula is good to 1e-12.
        final double p = Math.pow(10, l);
        final double expected;
        if (m * p < 1) {
          final BigDecimal bp = new BigDecimal(p);
          BigDecimal term = bp.multiply(BigDecimal.valueOf(m), mc);
          BigDecimal sum = term;
          for (int j = 1; j < 60 && j < m; j++) {
            term = term.multiply(bp, mc).multiply(BigDecimal.valueOf(m - j), mc)
              .divide(BigDecimal.valueOf(j + 1L), mc).negate();
            sum = sum.add(term, mc);
          }
          expected = Math.log10(sum.doubleValue());
        } else {
          expected = Math.log10(1 - Math.pow(1 - p, m));
        }
        final double actual = MultipleTesting.sidak(l, m);
        assertEquals(expected, actual, 1e-12 * Math.max(1, -expected), "l=" + l + " m=" + m);
                assertTrue(actual <= MultipleTesting.bonferroni(l, m) && actual >= l,
          "l=" + l + " m=" + m + " sidak=" + actual);
      }
    }
    assertEquals(-5000 + Math.log10(64), MultipleTesting.sidak(-5000, 64), 1e-12);
    assertEquals(0.0, MultipleTesting.sidak(0, 5));
    assertEquals(-3.0, MultipleTesting.sidak(-3, 1));
  }

  /**
   * Why correction matters. K = 20 keys tried on null text, each p-value U(0, 1), 2000 texts
   * (RNG seed 20261127). Keeping the best raw p-value "finds" a watermark at alpha = 0.01 in
   * 1 - 0.99^20 = 18.2% of texts (this seed: 361 of 2000); after Holm the family-wise rate is
   * 1 - (1 - 0.01/20)^20 = 0.995% (this seed: 14 of 2000).
   *
   * <p>Checks: the raw rate's 99.9% Clopper-Pearson interval contains 18.2% and excludes 10%;
   * the Holm rate's 99% interval does not lie above 0.01. Were the seed changed, the chance of
   * a false failure would be about 0.1% + 0.5%.
   */
  @Test
  void correctionKeepsFamilyWiseErrorAtAlpha() {
    final UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(20261127L);
    final int keys = 20;
    final int trials = 2000;
    final double alpha = 0.01;
    final double log10Alpha = Math.log10(alpha);
    int rawHits = 0;
    int holmHits = 0;
    for (int t = 0; t < trials; t++) {
      final double[] l = new double[keys];
      double min = 0;
      for (int i = 0; i < keys; i++) {
        // 1 - nextDouble() is in (0, 1], so the log is finite.
        l[i] = Math.log10(1 - rng.nextDouble());
        min = Math.min(min, l[i]);
      }
      if (min < log10Alpha) {
        rawHits++;
      }
      for (final double a : MultipleTesting.holm(l)) {
        if (a < log10Alpha) {
          holmHits++;
          break;
        }
      }
    }
    final BinomialInterval raw = BinomialInterval.clopperPearson(rawHits, trials, 0.999);
    assertTrue(raw.contains(1 - Math.pow(1 - alpha, keys)) && raw.lower() > 0.10,
      "raw hits " + rawHits + " " + raw);
    final BinomialInterval holm = BinomialInterval.clopperPearson(holmHits, trials, 0.99);
    assertTrue(holm.lower() <= alpha, "Holm hits " + holmHits + " " + holm);
    assertEquals("361 14", rawHits + " " + holmHits, "seeded run: raw and Holm hits");
  }

  @Test
  void rejectsInvalidInput() {
    assertMessage("log10P[1] is not in [-inf, 0]: 0.5",
      () -> MultipleTesting.holm(new double[] {-1, 0.5}));
    assertMessage("log10P[0] is not in [-inf, 0]: NaN",
      () -> MultipleTesting.holm(new double[] {Double.NaN}));
    assertMessage("m is not in [1, inf): 0", () -> MultipleTesting.bonferroni(-1, 0));
    assertMessage("m is not in [1, inf): -2", () -> MultipleTesting.sidak(-1, -2));
    assertMessage("log10P is not in [-inf, 0]: 1.0", () -> MultipleTesting.sidak(1, 2));
  }

  private static double[] log10(double... p) {
    final double[] l = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      l[i] = Math.log10(p[i]);
    }
    return l;
  }
}
