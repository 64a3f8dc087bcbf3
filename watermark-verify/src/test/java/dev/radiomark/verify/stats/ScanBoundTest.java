package dev.radiomark.verify.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The scan-statistic bound against the exact law of the maximum window count, computed by
 * enumerating every 0/1 sequence of length n.
 */
class ScanBoundTest {

  /** Exact P(max over windows of length L of the count >= k), for every k, by enumeration. */
  private static double[] exactTail(int n, int len, double p) {
    double[] pmf = new double[len + 2];
    for (int bits = 0; bits < (1 << n); bits++) {
      int ones = Integer.bitCount(bits);
      double prob = Math.pow(p, ones) * Math.pow(1 - p, n - ones);
      int max = 0;
      for (int s = 0; s + len <= n; s++) {
        max = Math.max(max, Integer.bitCount((bits >>> s) & ((1 << len) - 1)));
      }
      pmf[max] += prob;
    }
    double[] tail = new double[len + 2];
    for (int k = len; k >= 0; k--) {
      tail[k] = tail[k + 1] + pmf[k];
    }
    return tail;
  }

  @Test
  void boundIsNeverBelowTheExactTailAndBeatsBonferroniInTheTail() {
    int n = 16;
    for (double p : new double[] {0.25, 0.5, 0.1}) {
      for (int len : new int[] {1, 3, 6, 10, 16}) {
        double[] exact = exactTail(n, len, p);
        for (int k = 0; k <= len; k++) {
          double bound = Math.pow(10, ScanBound.log10Bernoulli(n, len, k, p));
          double bonferroni = Math.min(1, (n - len + 1) * Math.pow(10, Tails.log10BinomialSurvival(len, k, p)));
          String at = String.format("p %s, L %d, k %d: exact %.6g, bound %.6g, Bonferroni %.6g", p, len, k,
              exact[k], bound, bonferroni);
          assertTrue(bound >= exact[k] * (1 - 1e-9), at);
          assertTrue(bound <= bonferroni * (1 + 1e-9), at);
          if (len >= 6 && 2 * len <= n && exact[k] < 1e-3) {
            // In the tail, counting up-crossings instead of windows is within 10% of exact, and with
            // at least L + 1 windows clearly below Bonferroni over them.
            assertTrue(bound <= 1.1 * exact[k], at);
            assertTrue(bound < 0.95 * bonferroni, at);
          }
        }
      }
    }
  }

  /** At the size of a pasted passage the gain over Bonferroni is a factor of about 3-5. */
  @Test
  void gainAtPassageSize() {
    for (int k : new int[] {45, 50, 60}) {
      double bound = ScanBound.log10Bernoulli(2000, 100, k, 0.25);
      double bonferroni = Math.log10(1901) + Tails.log10BinomialSurvival(100, k, 0.25);
      assertTrue(bonferroni - bound > 0.45, "k " + k + ": bound " + bound + ", Bonferroni " + bonferroni);
    }
  }

  @Test
  void edgesAndArguments() {
    assertEquals(0.0, ScanBound.log10Bernoulli(10, 5, 0, 0.25));
    assertEquals(Tails.log10BinomialSurvival(10, 7, 0.25), ScanBound.log10Bernoulli(10, 10, 7, 0.25), 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScanBound.log10Bernoulli(10, 11, 3, 0.25));
    assertTrue(e.getMessage().contains("length is not in [1, 10]: 11"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ScanBound.log10Bernoulli(10, 5, 6, 0.25));
    assertTrue(e.getMessage().contains("k is not in [0, 5]: 6"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ScanBound.log10Bernoulli(10, 5, 2, 1.0));
    assertTrue(e.getMessage().contains("p is not in (0, 1): 1.0"), e.getMessage());
    // Far in the tail it stays finite in log space.
    double far = ScanBound.log10Bernoulli(2_000_000, 1000, 1000, 0.25);
    assertTrue(far < -590 && far > -610, "far tail " + far);
  }
}
