package dev.radiomark.scheme;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SelectionTest {

  /** The nucleus must equal a full sort by (p desc, id asc) followed by a prefix scan. */
  @Test
  void chunkedNucleusEqualsFullSortPrefix() {
    SplittableRandom r = new SplittableRandom(1);
    for (int trial = 0; trial < 150; trial++) {
      int n = 1 + r.nextInt(trial % 4 == 0 ? 200_000 : 5_000);
      int[] ids = new int[n];
      double[] p = new double[n];
      double sum = 0;
      for (int i = 0; i < n; i++) {
        ids[i] = r.nextInt(trial % 3 == 0 ? Math.max(1, n / 2) : Integer.MAX_VALUE);
        double x = trial % 5 == 0 ? (double) r.nextInt(20) : Math.exp(3 * r.nextGaussian());
        p[i] = x;
        sum += x;
      }
      for (int i = 0; i < n; i++) {
        p[i] /= sum;
      }
      double topP = new double[] {0.5, 0.9, 0.95, 0.999, 0.99999999, 1e-9}[trial % 6];

      assertNucleus(ids, p, n, topP, "trial " + trial + " n " + n);
    }
  }

  /**
   * Top-k sized sets (at most {@code Selection.BY_MAXIMA}, built one maximum at a time, sorting
   * the rest after 32 rounds), with ties in p, repeated ids, zero p and nuclei from 1 to n tokens.
   */
  @Test
  void smallNucleusEqualsFullSortPrefix() {
    SplittableRandom r = new SplittableRandom(2);
    for (int trial = 0; trial < 3000; trial++) {
      int n = 1 + r.nextInt(Selection.BY_MAXIMA);
      int[] ids = new int[n];
      double[] p = new double[n];
      double sum = 0;
      for (int i = 0; i < n; i++) {
        ids[i] = r.nextInt(trial % 3 == 0 ? Math.max(1, n / 2) : 1_000_000);
        double x = switch (trial % 4) {
          case 0 -> (double) r.nextInt(5); // ties and zeros
          case 1 -> Math.exp(3 * r.nextGaussian());
          case 2 -> Math.exp(0.1 * r.nextGaussian()); // flat: long nuclei
          default -> Math.exp(8 * r.nextGaussian()); // peaked
        };
        p[i] = x;
        sum += x;
      }
      if (sum == 0) {
        p[0] = 1;
        sum = 1;
      }
      for (int i = 0; i < n; i++) {
        p[i] /= sum;
      }
      double topP = new double[] {0.5, 0.9, 0.95, 0.999, 1.0, 1e-9}[r.nextInt(6)];
      assertNucleus(ids, p, n, topP, "trial " + trial + " n " + n);
    }
  }

  private static void assertNucleus(int[] ids, double[] p, int n, double topP, String what) {
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -p[i]).thenComparingInt(i -> ids[i]));
    int expectedLen = n;
    double mass = 0;
    for (int i = 0; i < n; i++) {
      mass += p[order[i]];
      if (mass >= topP) {
        expectedLen = i + 1;
        break;
      }
    }
    int[] expIds = new int[expectedLen];
    double[] expP = new double[expectedLen];
    for (int i = 0; i < expectedLen; i++) {
      expIds[i] = ids[order[i]];
      expP[i] = p[order[i]];
    }

    int[] gotIds = ids.clone();
    double[] gotP = p.clone();
    int len = Selection.nucleus(gotIds, gotP, n, topP);
    assertEquals(expectedLen, len, what);
    assertArrayEquals(expIds, Arrays.copyOf(gotIds, len), what);
    assertArrayEquals(expP, Arrays.copyOf(gotP, len), what);
  }
}
