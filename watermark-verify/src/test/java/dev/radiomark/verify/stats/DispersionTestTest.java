package dev.radiomark.verify.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DispersionTestTest {
  @Test
  void equalCountsAreNotDispersed() {
    TestResult r = DispersionTest.poisson(new long[] {7, 7, 7, 7});
    assertEquals(0, r.statistic());
    assertEquals(0, r.log10P());
    assertEquals(0, DispersionTest.poisson(new long[] {0, 0}).log10P(), "no counts, no information");
  }

  /**
   * Reference: the closed forms of the chi-square tail, {@code erfc(sqrt(x / 2))} on 1 degree of
   * freedom and {@code erfc(sqrt(x / 2)) + sqrt(2 x / pi) exp(-x / 2)} on 3, in Python 3.11 math.
   */
  @Test
  void matchesTheChiSquareTail() {
    TestResult one = DispersionTest.poisson(new long[] {0, 20});
    assertEquals(20, one.statistic(), 1e-12);
    assertEquals(Math.log10(7.744216431044074e-06), one.log10P(), 1e-9);
    TestResult three = DispersionTest.poisson(new long[] {1, 3, 5, 7});
    assertEquals(20.0 / 4, three.statistic(), 1e-12);
    // D = ((-3)^2 + 1 + 1 + 9) / 4 = 5 on 3 df
    assertEquals(Math.log10(0.17179714429673315), three.log10P(), 1e-9);
  }

  @Test
  void refusesBadInput() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DispersionTest.poisson(new long[] {3}));
    assertEquals("counts.length is not in [2, inf): 1", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> DispersionTest.poisson(new long[] {3, -1}));
    assertEquals("counts[1] is not in [0, inf): -1", e.getMessage());
  }
}
