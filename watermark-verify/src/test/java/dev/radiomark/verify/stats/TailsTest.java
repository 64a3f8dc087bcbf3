package dev.radiomark.verify.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.commons.statistics.distribution.BinomialDistribution;
import org.apache.commons.statistics.distribution.GammaDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

class TailsTest {

  private static final String REFERENCE = "/reference/tail-pvalues.tsv";

  /** The accuracy guarantee documented in the package: relative in log10 p, absolute near 0. */
  private static double tolerance(double expected) {
    return 1e-9 * Math.max(1, Math.abs(expected));
  }

  @Test
  void everyReferenceRowMatchesMpmath() throws IOException {
    assertEquals(221, checkReference(REFERENCE), "reference rows read");
  }

  /** n = 1e9 and 3e9 (beyond int) and non-integer gamma shapes, also mpmath. */
  @Test
  void largeNAndNonIntegerShapeMatchMpmath() throws IOException {
    assertEquals(13, checkReference("/reference/tail-pvalues-extra.tsv"), "reference rows read");
  }

  /** Checks every data row of a reference TSV and returns how many there were. */
  private static int checkReference(String resource) throws IOException {
    final List<String> failures = new ArrayList<>();
    int rows = 0;
    try (InputStream in = TailsTest.class.getResourceAsStream(resource);
       BufferedReader reader =
         new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        final String[] f = line.split("\t");
        final double expected = Double.parseDouble(f[4]);
        final double actual;
        if (f[0].equals("binomial")) {
          actual = Tails.log10BinomialSurvival(
            Long.parseLong(f[1]), Long.parseLong(f[2]), Double.parseDouble(f[3]));
        } else if (f[0].equals("gamma")) {
          // P[Y >= x] for scale s is Q(shape, x / s).
          actual = Tails.log10GammaSurvival(Double.parseDouble(f[1]),
            Double.parseDouble(f[2]) / Double.parseDouble(f[3]));
        } else {
          throw new AssertionError("unknown family: " + line);
        }
        rows++;
        if (!(Math.abs(actual - expected) <= tolerance(expected))) {
          failures.add(String.format(Locale.ROOT, "%s -> %.17g (error %.3g)",
            line, actual, actual - expected));
        }
      }
    }
    assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
    return rows;
  }

  /** Exact rational tails: P[X >= k] = sum_{j >= k} C(n, j) (d - 1)^(n - j) / d^n, p = 1/d. */
  @Test
  void matchesExactRationalSumIncludingBelowDoubleRange() {
    for (final int[] nd : new int[][] {{50, 4}, {400, 8}, {1200, 2}}) {
      final int n = nd[0];
      final int d = nd[1];
      final BigInteger denominator = BigInteger.valueOf(d).pow(n);
      final BigInteger q = BigInteger.valueOf(d - 1L);
      BigInteger numerator = BigInteger.ZERO;
      BigInteger binom = BigInteger.ONE;   // C(n, j), walked down from j = n
      for (int j = n; j >= 1; j--) {
        numerator = numerator.add(binom.multiply(q.pow(n - j)));
        final double expected = log10(numerator) - log10(denominator);
        final double actual = Tails.log10BinomialSurvival(n, j, 1.0 / d);
        assertEquals(expected, actual, 1e-12 * Math.max(1, -expected),
          () -> "n=" + n + " p=1/" + d);
        binom = binom.multiply(BigInteger.valueOf(j)).divide(BigInteger.valueOf(n - j + 1L));
      }
    }
  }

  @Test
  void agreesWithCommonsStatisticsInItsRange() {
    for (final int n : new int[] {1, 7, 50, 333, 10_000, 1_000_000}) {
      for (final double p : new double[] {0.01, 0.25, 0.5, 0.9}) {
        final BinomialDistribution dist = BinomialDistribution.of(n, p);
        for (int i = 0; i <= 40; i++) {
          final int k = (int) ((long) n * i / 40);
          final double s = dist.survivalProbability(k - 1);
          if (s < 1e-250) {
            continue;
          }
          assertEquals(Math.log10(s), Tails.log10BinomialSurvival(n, k, p), 1e-12,
            () -> "n=" + n + " k=" + k + " p=" + p);
        }
      }
    }
  }

  @Test
  void monotoneInKAndContinuousAcrossTheLogSpaceSwitch() {
    for (final long n : new long[] {1000, 100_000, 1_000_000_000L, 3_000_000_000L}) {
      final double p = 0.3;
      double previous = 0;
      int switches = 0;
      // Step through the whole support at n <= 1e5; at 1e9 walk a band around the switch.
      final long start = n <= 100_000 ? 0 : (long) (n * p + 36 * Math.sqrt(n * p * 0.7));
      final long end = n <= 100_000 ? n : start + (long) (4 * Math.sqrt(n));
      final long step = Math.max(1, (end - start) / 3_000);
      boolean logSpace = false;
      for (long k = start; k <= end; k += step) {
        final double l = Tails.log10BinomialSurvival(n, k, p);
        assertTrue(Double.isFinite(l) && l <= previous || k == start,
          "n=" + n + " k=" + k + " l=" + l + " previous=" + previous);
        final boolean nowLogSpace = l < Math.log10(Tails.LOG_SPACE_BELOW);
        if (nowLogSpace != logSpace) {
          switches++;
          logSpace = nowLogSpace;
        }
        previous = l;
      }
      assertEquals(1, switches, "the walk should cross the log-space switch once: n=" + n);
    }
  }

  @Test
  void switchIsSeamless() {
    // One step either side of the switch: the drop must match the pmf ratio, not jump.
    final long n = 1_000_000;
    final double p = 0.25;
    long k = 250_000;
    while (Tails.log10BinomialSurvival(n, k, p) >= Math.log10(Tails.LOG_SPACE_BELOW)) {
      k += 10;
    }
    final double[] l = new double[5];
    for (int i = 0; i < 5; i++) {
      l[i] = Tails.log10BinomialSurvival(n, k - 12 + i * 6, p);
    }
    // Second differences of a smooth log tail at unit-ish spacing are tiny.
    for (int i = 1; i < 4; i++) {
      final double second = l[i - 1] - 2 * l[i] + l[i + 1];
      assertTrue(Math.abs(second) < 1e-3, "second difference " + second + " at " + k);
    }
  }

  /**
   * REFERENCE.md section 2: at z = 4, gamma = 0.25, n = 50 the normal approximation
   * understates p by about 5.5x; the exact tail matches an exact rational sum.
   */
  @Test
  void normalApproximationIsAntiConservativeOnShortTexts() {
    final int n = 50;
    final double gamma = 0.25;
    final double sd = Math.sqrt(n * gamma * (1 - gamma));
    // The smallest count whose z-score reaches 4.
    final int k = (int) Math.ceil(n * gamma + 4 * sd);
    final double z = (k - n * gamma) / sd;
    final double normal = NormalDistribution.of(0, 1).survivalProbability(z);

    BigInteger numerator = BigInteger.ZERO;
    for (int j = k; j <= n; j++) {
      numerator = numerator.add(binomial(n, j).multiply(BigInteger.valueOf(3).pow(n - j)));
    }
    final double exact = log10(numerator) - log10(BigInteger.valueOf(4).pow(n));

    final double ours = Tails.log10BinomialSurvival(n, k, gamma);
    assertEquals(exact, ours, 1e-13);
    final double understatement = Math.pow(10, ours) / normal;
    assertTrue(understatement > 5, "normal approximation understates p by " + understatement);
    assertEquals(5.5, understatement, 0.1);
  }

  @Test
  void gammaMatchesCommonsAndIntegerShapePoissonIdentity() {
    for (final double shape : new double[] {0.5, 1, 3.5, 25, 1000}) {
      final GammaDistribution dist = GammaDistribution.of(shape, 1);
      for (double x = 0.01; x < 20 * shape + 50; x *= 1.7) {
        final double s = dist.survivalProbability(x);
        final double l = Tails.log10GammaSurvival(shape, x);
        if (s > 1e-250) {
          assertEquals(Math.log10(s), l, 1e-12 * Math.max(1, -l), "shape=" + shape + " x=" + x);
        }
      }
    }
    // Q(1, x) = e^-x exactly, all the way down.
    for (final double x : new double[] {1, 700, 800, 1e4, 1e6}) {
      assertEquals(-x / Math.log(10), Tails.log10GammaSurvival(1, x), 1e-12 * x);
    }
  }

  @Test
  void gammaMonotoneAndContinuousAtLargeShape() {
    for (final double shape : new double[] {0.5, 7.5, 1e4, 1e7}) {
      double previous = 0;
      int switches = 0;
      boolean logSpace = false;
      final double sd = Math.sqrt(shape);
      final double end = shape + 60 * sd + 800;
      for (double x = Math.max(0, shape - 5 * sd); x <= end; x += (end - shape + 5 * sd) / 5000) {
        final double l = Tails.log10GammaSurvival(shape, x);
        assertTrue(Double.isFinite(l) && l <= previous, "shape=" + shape + " x=" + x);
        final boolean nowLogSpace = l < Math.log10(Tails.LOG_SPACE_BELOW);
        if (nowLogSpace != logSpace) {
          switches++;
          logSpace = nowLogSpace;
        }
        previous = l;
      }
      assertEquals(1, switches, "shape=" + shape);
    }
  }

  @Test
  void edgeCases() {
    assertEquals(0.0, Tails.log10BinomialSurvival(0, 0, 0.5));
    assertEquals(0.0, Tails.log10BinomialSurvival(10, -3, 0.5));
    assertEquals(0.0, Tails.log10BinomialSurvival(10, 10, 1.0));
    assertEquals(Double.NEGATIVE_INFINITY, Tails.log10BinomialSurvival(10, 1, 0.0));
    assertEquals(-1e9 * Math.log10(2), Tails.log10BinomialSurvival(1_000_000_000L, 1_000_000_000L, 0.5),
      1e-9 * 3e8);
    assertEquals(0.0, Tails.log10GammaSurvival(3, 0));
    assertEquals(0.5, Tails.pFromLog10(Math.log10(0.5)), 1e-16);
    assertEquals(0.0, Tails.pFromLog10(-400));
  }

  @Test
  void rejectsInvalidInputNamingParameterValueAndRange() {
    assertMessage("n is not in [0, inf): -1", () -> Tails.log10BinomialSurvival(-1, 0, 0.5));
    assertMessage("k is not in (-inf, n = 10]: 11", () -> Tails.log10BinomialSurvival(10, 11, 0.5));
    assertMessage("p is not in [0, 1]: 1.5", () -> Tails.log10BinomialSurvival(10, 1, 1.5));
    assertMessage("p is not in [0, 1]: NaN", () -> Tails.log10BinomialSurvival(10, 1, Double.NaN));
    assertMessage("shape is not in (0, inf): 0.0", () -> Tails.log10GammaSurvival(0, 1));
    assertMessage("x is not in [0, inf): -1.0", () -> Tails.log10GammaSurvival(1, -1));
    assertMessage("x is not in [0, inf): NaN", () -> Tails.log10GammaSurvival(1, Double.NaN));
    assertMessage("log10P is not in [-inf, 0]: 0.5", () -> Tails.pFromLog10(0.5));
  }

  static void assertMessage(String expected, Runnable call) {
    final IllegalArgumentException e =
      assertThrows(IllegalArgumentException.class, call::run);
    assertEquals(expected, e.getMessage());
  }

  private static BigInteger binomial(int n, int k) {
    BigInteger c = BigInteger.ONE;
    for (int i = 0; i < k; i++) {
      c = c.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1L));
    }
    return c;
  }

  /** log10 of a positive integer of any size, to double precision. */
  static double log10(BigInteger v) {
    final int shift = Math.max(0, v.bitLength() - 60);
    return Math.log10(v.shiftRight(shift).doubleValue()) + shift * Math.log10(2);
  }
}
