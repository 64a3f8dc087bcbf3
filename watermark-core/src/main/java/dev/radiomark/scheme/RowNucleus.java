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
 * cut, so a p at most that of the largest float below the cut: if the prefix ends on a p strictly
 * above that, it is exactly the prefix of the full order; otherwise the cut is lowered and the
 * candidates gathered again (rounding at the boundary; rare). (Bounding by the smallest p
 * gathered instead sent every prefix that ends on the last token gathered, such as a nucleus of
 * one token far above the rest, to a second pass over the row.)
 */
final class RowNucleus {
  /**
   * Histogram buckets: bucket {@code k} holds the candidates with {@code (max - x) / T * PER_NAT}
   * in {@code [k, k + 1)}, a quarter nat each, computed from the logit (the biased logit on biased
   * rows) alone, so that the bucket does not wait for the exponential (a slot taken from the bits
   * of e in the same loop ran several times slower; in a loop of its own, about 5% slower than
   * this). Each bucket has 4 lanes (token index mod 4), so that consecutive tokens never add to
   * the same slot. The histogram only chooses the cut (any cut gives the exact nucleus, see above).
   */
  static final int BUCKETS = 512;
  static final int LANES = 4;

  private RowNucleus() {}

  /**
   * Writes the nucleus to {@code w.ids} and {@code w.probs} (p not renormalised) and returns its
   * length.
   *
   * @param count row length; the candidates are the tokens of {@code w}'s row with a logit
   *     {@code >= lo}
   * @param lo finite
   * @param max the largest candidate logit (after the bias, if any), finite, above lo
   * @param green when not null, the candidates' logits are biased by this scheme under the
   *     window {@code w.windowSeed} (computed with the exponentials into
   *     {@link Workspace#biasedRow}, from which the nucleus is gathered)
   */
  static int nucleus(int count, float lo, float max, double invT, double topP, Workspace w,
      GreenListScheme green) {
    double[] hist = w.hist;
    Arrays.fill(hist, 0.0);
    double sum = 0;
    for (int c = 0, len; c < count; c += len) {
      len = w.blockLength(c, count);
      float[] a = w.block(c, len);
      int b = w.blockStart(c);
      sum = green == null
          ? histogram(a, b, len, lo, max, invT, hist, sum)
          : green.histogram(w.windowSeed, a, b, c, len, lo, max, invT, hist, sum, w);
    }
    double inv = 1.0 / sum;
    double need = topP * sum * (1 - 1e-9);
    int k = 0;
    for (double m = mass(hist, k); m < need && k < BUCKETS - 1; ) {
      m += mass(hist, ++k);
    }
    while (true) {
      // Every token of buckets [0, k] (with room for rounding); at the last, everything.
      float cut = k >= BUCKETS - 1 ? lo
          : (float) (max - (k + 1.001) / (invT * PER_NAT));
      boolean all = cut <= lo;
      int n = 0;
      if (green != null) { // the biased candidates, by token, written by green.histogram
        n = gather(w.biasedRow(), 0, 0, count, lo, cut, w, n);
      } else {
        for (int c = 0, len; c < count; c += len) {
          len = w.blockLength(c, count);
          float[] a = w.block(c, len);
          int b = w.blockStart(c);
          n = gather(a, b, c, len, lo, cut, w, n);
        }
      }
      long[] keys = w.keys;
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
      // Tokens left out have a logit below cut, so at most nextDown(cut), and p at most that
      // logit's p (float subtraction, Math.exp and the products are monotone): a prefix ending
      // on a p strictly above it is the prefix of the full order.
      if (kept > 0 && p[kept - 1] > Math.exp((Math.nextDown(cut) - max) * invT) * inv) {
        return kept;
      }
      k += 8;
    }
  }

  /**
   * Adds e = exp((x - max) / T) of the candidates among a block of {@code len} tokens, held in
   * {@code a} from index b, to {@code sum} in token order and to their histogram buckets (by
   * logit, {@link #BUCKETS}).
   */
  private static double histogram(float[] a, int b, int len, float lo, float max,
      double invT, double[] hist, double sum) {
    double q = invT * PER_NAT;
    for (int j = 0; j < len; j++) {
      float x = a[b + j];
      if (x >= lo) {
        double e = Math.exp((x - max) * invT);
        sum += e;
        hist[slot(max, x, q, j)] += e;
      }
    }
    return sum;
  }

  /**
   * Histogram slot of a candidate of logit x (at most max), the j-th token of its block, by
   * distance from the maximum: bucket {@code (max - x) * q} ({@code q = invT * PER_NAT}), at most
   * the last.
   */
  static int slot(float max, float x, double q, int j) {
    return Math.min(BUCKETS - 1, (int) ((max - x) * q)) * LANES + (j & (LANES - 1));
  }

  /** Buckets per nat of the histogram (by logit, {@link #histogram}). */
  static final int PER_NAT = 4;

  /** Sub-block length of the exponential pass. */
  static final int SUB = 1024;

  private static double mass(double[] hist, int bucket) {
    int s = bucket * LANES;
    return hist[s] + hist[s + 1] + hist[s + 2] + hist[s + 3];
  }

  /**
   * Appends to {@code w.keys[n...]} the sort keys of the candidates at or above {@code cut} among
   * tokens [first, first + len) (held as in {@link #histogram}); returns the new count.
   */
  private static int gather(float[] a, int b, int first, int len, float lo, float cut, Workspace w, int n) {
    long[] keys = w.keys;
    for (int j = 0; j < len; j++) {
      float x = a[b + j];
      if (x >= cut && x >= lo) {
        if (n == keys.length) {
          keys = w.growKeys();
        }
        keys[n++] = key(x, first + j);
      }
    }
    return n;
  }

  /** Sort key of (logit, token): ascending keys are logits descending, then ids ascending. */
  static long key(float x, int token) {
    return ((long) ~sortable(x) << 32) | token;
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
