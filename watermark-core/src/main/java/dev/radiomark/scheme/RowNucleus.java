package dev.radiomark.scheme;

import java.util.Arrays;

/**
 * The top-p nucleus of a long row of candidates without sorting the row, with exactly the result
 * of the full computation: {@code p_i = exp((x_i - max) / T) / sum}, the sum over every candidate
 * in index order, then the shortest prefix of the order (p descending, id ascending) whose mass,
 * summed in that order, reaches top-p.
 *
 * <p>The pass that sums the exponentials also adds each to a histogram of mass by distance from
 * the maximum. The histogram gives a logit {@code cut} above which the top-p mass lies; only the
 * candidates at or above it are sorted (by logit descending, id ascending: p is a non-decreasing
 * function of the logit) and their p computed exactly. Tokens left out have a logit below the
 * cut, so a p at most the smallest p gathered: if the prefix ends on a p strictly above that, it
 * is exactly the prefix of the full order; otherwise the cut is lowered and the candidates
 * gathered again (rounding at the boundary; rare).
 */
final class RowNucleus {
  /** Histogram buckets over the candidate range. */
  static final int BUCKETS = 256;

  private RowNucleus() {}

  /**
   * Writes the nucleus to {@code w.ids} and {@code w.probs} (p not renormalised) and returns its
   * length.
   *
   * @param src logits; the candidates are the tokens i in [0, count) with {@code src[base + i] >= lo}
   * @param lo finite
   * @param max the largest candidate logit, finite, above lo
   */
  static int nucleus(float[] src, int base, int count, float lo, float max,
      double invT, double topP, Workspace w) {
    double[] hist = w.hist;
    Arrays.fill(hist, 0.0);
    int last = BUCKETS - 1;
    // Buckets of equal width in (max - x) / T over [0, (max - lo) / T].
    double scale = BUCKETS / (max - (double) lo);
    double sum = 0;
    for (int i = 0; i < count; i++) {
      float x = src[base + i];
      if (x >= lo) {
        double e = Math.exp((x - max) * invT);
        sum += e;
        hist[Math.min(last, (int) ((max - x) * scale))] += e;
      }
    }
    double inv = 1.0 / sum;
    double need = topP * sum * (1 - 1e-9);
    int k = 0;
    for (double m = hist[0]; m < need && k < last; ) {
      m += hist[++k];
    }
    while (true) {
      // Below (k + 1) buckets from the maximum, with room for rounding; at the last, everything.
      float cut = k >= last ? lo : (float) (max - (k + 1.001) / scale);
      boolean all = cut <= lo;
      int n = 0;
      long[] keys = w.keys;
      for (int i = 0; i < count; i++) {
        float x = src[base + i];
        if (x >= cut && x >= lo) {
          if (n == keys.length) {
            keys = w.growKeys();
          }
          keys[n++] = ((long) ~sortable(x) << 32) | i;
        }
      }
      Arrays.sort(keys, 0, n);
      w.ensure(n);
      int[] outIds = w.ids;
      double[] p = w.probs;
      for (int j = 0; j < n; j++) {
        long key = keys[j];
        int s = ~(int) (key >>> 32);
        float x = Float.intBitsToFloat(s ^ ((s >> 31) & 0x7fffffff));
        outIds[j] = (int) key;
        p[j] = Math.exp((x - max) * invT) * inv;
      }
      tiesById(outIds, p, n);
      double mass = 0;
      int kept = 0;
      for (int j = 0; j < n; j++) {
        mass += p[j];
        if (mass >= topP) {
          kept = j + 1;
          break;
        }
      }
      if (all) {
        return kept == 0 ? n : kept;
      }
      if (kept > 0 && p[kept - 1] > p[n - 1]) {
        return kept;
      }
      k = k + 1 + (k >> 2);
    }
  }

  /** Runs of equal p (distinct logits may round to one p) in ascending id order. */
  private static void tiesById(int[] ids, double[] p, int n) {
    for (int j = 1; j < n; j++) {
      if (p[j] == p[j - 1] && ids[j] < ids[j - 1]) {
        int id = ids[j];
        int i = j - 1;
        while (i >= 0 && p[i] == p[j] && ids[i] > id) {
          ids[i + 1] = ids[i];
          i--;
        }
        ids[i + 1] = id;
      }
    }
  }

  /** The bits of a float as an int whose signed order is the order of the floats. */
  private static int sortable(float x) {
    int b = Float.floatToRawIntBits(x);
    return b ^ ((b >> 31) & 0x7fffffff);
  }
}
