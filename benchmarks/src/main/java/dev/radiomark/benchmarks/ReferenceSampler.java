package dev.radiomark.benchmarks;

import dev.radiomark.SamplingConfig;
import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * An independent plain sampler, written as simply as an efficient one can be: the denominator of
 * every ratio in the benchmarks, beside {@code Sampler.plain}. It draws the same token as
 * {@code Sampler.plain} for the same row and random stream (checked by
 * {@code ReferenceSamplerTest}), so a ratio against it cannot be flattered by a slow baseline.
 *
 * <p>A step: the maximum; one pass that sums {@code exp((x - max) / T)} over the tokens within the
 * margin and adds each to a histogram of mass by distance from the maximum (4 buckets per nat,
 * each in 4 copies by token index mod 4, so that consecutive additions do not wait on each other);
 * from the histogram the distance within which the top-p mass lies; the tokens within it, sorted
 * by (logit descending, id ascending); their probabilities, the top-p prefix (exact when it ends
 * above the p of the largest float below the distance's cut, else the cut is lowered), and the
 * same multinomial draw. Candidate sets: the probabilities, then the top-p prefix built one
 * largest p at a time. Top-p below 1 and no top-k (the benchmarks' configuration).
 */
final class ReferenceSampler {
  private static final int PER_NAT = 4;

  private final double invT;
  private final double topP;
  private final double marginLogits;
  private final int buckets;
  private final double[] hist;
  private long[] keys = new long[64];
  private int[] ids = new int[64];
  private double[] p = new double[64];

  ReferenceSampler(SamplingConfig c) {
    if (c.topK() != 0 || c.topP() >= 1) {
      throw new IllegalArgumentException("the reference sampler needs top-k 0 and top-p < 1: " + c);
    }
    invT = 1.0 / c.temperature();
    topP = c.topP();
    marginLogits = c.margin() * c.temperature();
    buckets = (int) Math.ceil(c.margin() * PER_NAT) + 2;
    hist = new double[4 * buckets];
  }

  /** Samples from {@code row[off, off + vocab)}. */
  int sample(float[] row, int off, int vocab, UniformRandomProvider random) {
    float max = Float.NEGATIVE_INFINITY;
    for (int i = off; i < off + vocab; i++) {
      if (row[i] > max) {
        max = row[i];
      }
    }
    float lo = (float) (max - marginLogits);
    Arrays.fill(hist, 0.0);
    double sum = 0;
    for (int i = off; i < off + vocab; i++) {
      float x = row[i];
      if (x >= lo) {
        double e = Math.exp((x - max) * invT);
        sum += e;
        hist[4 * bucket(max, x) + (i & 3)] += e;
      }
    }
    double inv = 1.0 / sum;
    double need = topP * sum;
    int last = buckets - 1;
    int k = 0; // the first bucket where the histogram's mass reaches top-p
    for (double m = mass(0); m < need * (1 - 1e-9) && k < last; ) {
      m += mass(++k);
    }
    while (true) {
      // Every token of buckets [0, k] (with room for rounding); at the last bucket, everything.
      float cut = k == last ? lo : (float) (max - (k + 1.001) / (invT * PER_NAT));
      int n = 0;
      for (int i = off; i < off + vocab; i++) {
        float x = row[i];
        if (x >= cut && x >= lo) {
          if (n == keys.length) {
            grow();
          }
          keys[n++] = ((long) ~sortable(x) << 32) | (i - off);
        }
      }
      int kept = nucleus(row, off, max, inv, n);
      if (k == last) { // everything within the margin
        return ids[multinomial(kept == 0 ? n : kept, random)];
      }
      // Valid when the prefix ends above the p of the largest float below the cut: every token
      // left out has a logit below the cut, so a p at most that (Math.exp is semi-monotonic),
      // and comes later in the full order.
      if (kept > 0 && p[kept - 1] > Math.exp((Math.nextDown(cut) - max) * invT) * inv) {
        return ids[multinomial(kept, random)];
      }
      k++;
    }
  }

  /**
   * Sorts the gathered keys, computes p in that order (equal p: ascending id), returns the
   * top-p prefix length, 0 if the gathered mass does not reach top-p.
   */
  private int nucleus(float[] row, int off, float max, double inv, int n) {
    Arrays.sort(keys, 0, n);
    for (int j = 0; j < n; j++) {
      ids[j] = (int) keys[j];
      p[j] = Math.exp((row[off + ids[j]] - max) * invT) * inv;
    }
    sortTiesById(n);
    double mass = 0;
    for (int j = 0; j < n; j++) {
      mass += p[j];
      if (mass >= topP) {
        return j + 1;
      }
    }
    return 0;
  }

  /** Samples among {@code k} candidates (every one is used, as by {@code sampleCandidates}). */
  int sampleCandidates(int[] candIds, float[] logits, int k, UniformRandomProvider random) {
    if (keys.length < k) {
      keys = new long[k];
      ids = new int[k];
      p = new double[k];
    }
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < k; i++) {
      max = Math.max(max, logits[i]);
    }
    double sum = 0;
    for (int i = 0; i < k; i++) {
      double e = Math.exp((logits[i] - max) * invT);
      p[i] = e;
      sum += e;
    }
    double inv = 1.0 / sum;
    for (int i = 0; i < k; i++) {
      p[i] *= inv;
      ids[i] = candIds[i];
    }
    // The top-p prefix of the order (p descending, id ascending), one next-largest at a time:
    // top-p nuclei of top-k sets are short, so this stops long before a full sort would.
    int kept = k;
    double mass = 0;
    for (int j = 0; j < k; j++) {
      int best = j;
      for (int i = j + 1; i < k; i++) {
        if (p[i] > p[best] || p[i] == p[best] && ids[i] < ids[best]) {
          best = i;
        }
      }
      double pb = p[best];
      int idb = ids[best];
      p[best] = p[j];
      ids[best] = ids[j];
      p[j] = pb;
      ids[j] = idb;
      mass += pb;
      if (mass >= topP) {
        kept = j + 1;
        break;
      }
    }
    return ids[multinomial(kept, random)];
  }

  /** Normalises p[0, n) and draws an index as {@code Sampler.plain} does. */
  private int multinomial(int n, UniformRandomProvider random) {
    double kept = 0;
    for (int i = 0; i < n; i++) {
      kept += p[i];
    }
    double invKept = 1.0 / kept;
    for (int i = 0; i < n; i++) {
      p[i] *= invKept;
    }
    double total = 0;
    for (int i = 0; i < n; i++) {
      total += p[i];
    }
    double r = random.nextDouble() * total;
    int last = -1;
    for (int i = 0; i < n; i++) {
      if (p[i] > 0) {
        last = i;
        r -= p[i];
        if (r < 0) {
          return i;
        }
      }
    }
    return last;
  }

  /** Runs of equal p (different logits can round to one p) in ascending id order. */
  private void sortTiesById(int n) {
    for (int j = 1; j < n; j++) {
      int id = ids[j];
      int i = j - 1;
      while (i >= 0 && p[i] == p[j] && ids[i] > id) {
        i--;
      }
      if (i < j - 1) {
        System.arraycopy(ids, i + 1, ids, i + 2, j - i - 1);
        ids[i + 1] = id;
      }
    }
  }

  private int bucket(float max, float x) {
    return Math.min((int) ((max - x) * invT * PER_NAT), buckets - 1);
  }

  private double mass(int bucket) {
    return hist[4 * bucket] + hist[4 * bucket + 1] + hist[4 * bucket + 2] + hist[4 * bucket + 3];
  }

  /** Float bits as an int whose signed order is the float order. */
  private static int sortable(float x) {
    int b = Float.floatToRawIntBits(x);
    return b ^ ((b >> 31) & 0x7fffffff);
  }

  private void grow() {
    keys = Arrays.copyOf(keys, keys.length * 2);
    ids = new int[keys.length];
    p = new double[keys.length];
  }
}
