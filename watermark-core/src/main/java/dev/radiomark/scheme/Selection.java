package dev.radiomark.scheme;

/** In-place selection and sorting of parallel (id, value) arrays, allocation-free. */
final class Selection {
  private Selection() {}

  /** Moves the k largest values (with their ids) to [0, k), in no particular order. */
  static void selectTop(int[] ids, float[] vals, int n, int k) {
    int lo = 0;
    int hi = n - 1;
    while (lo < hi) {
      float pivot = median(vals[lo], vals[(lo + hi) >>> 1], vals[hi]);
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (vals[i] > pivot) {
          i++;
        }
        while (vals[j] < pivot) {
          j--;
        }
        if (i <= j) {
          swap(ids, vals, i++, j--);
        }
      }
      if (k - 1 <= j) {
        hi = j;
      } else if (k - 1 >= i) {
        lo = i;
      } else {
        return;
      }
    }
  }

  /** Below this many candidates the nucleus sorts everything at once. */
  private static final int FULL_SORT = 512;

  /**
   * Keeps the smallest prefix of the most likely tokens whose mass reaches {@code topP}; sorts
   * (ids, p) by decreasing p and returns the prefix length. Ties keep the order of the ids so
   * the result does not depend on the order the candidates arrived in.
   *
   * <p>Only the returned prefix {@code [0, result)} is guaranteed sorted (and it is exactly the
   * prefix a full sort would give, summed in the same order); entries past it are the remaining
   * candidates in unspecified order. Large candidate sets are therefore sorted in growing chunks
   * (quickselect the next chunk, sort it, add its mass) instead of all at once: a nucleus is
   * usually a few hundred tokens even when the candidate set is most of the vocabulary.
   */
  static int nucleus(int[] ids, double[] p, int n, double topP) {
    if (n <= BY_MAXIMA) {
      return nucleusByMaxima(ids, p, n, topP);
    }
    if (n <= FULL_SORT) {
      sortDescending(ids, p, 0, n - 1);
      double mass = 0;
      for (int i = 0; i < n; i++) {
        mass += p[i];
        if (mass >= topP) {
          return i + 1;
        }
      }
      return n;
    }
    double mass = 0;
    int done = 0;
    int chunk = FULL_SORT;
    while (done < n) {
      int end = (int) Math.min(n, (long) done + chunk);
      if (end < n) {
        selectFirst(ids, p, done, n - 1, end);
      }
      sortDescending(ids, p, done, end - 1);
      for (int i = done; i < end; i++) {
        mass += p[i];
        if (mass >= topP) {
          return i + 1;
        }
      }
      done = end;
      chunk *= 4;
    }
    return n;
  }

  /** Up to this many candidates the nucleus is built one maximum at a time. */
  static final int BY_MAXIMA = 64;
  /** Maxima taken one at a time before the rest is sorted. */
  private static final int MAXIMA = 32;

  /**
   * {@link #nucleus} of a few candidates (a top-k set): moves the first entry in the order
   * "larger p, then smaller id" of the rest to the front, adds its mass, and repeats. A top-p
   * nucleus of 50 candidates is usually a handful of tokens, so a few scans over them (whose
   * comparisons rarely change the running maximum, so rarely mispredict) beat a full sort; past
   * {@link #MAXIMA} rounds the rest is sorted.
   */
  private static int nucleusByMaxima(int[] ids, double[] p, int n, double topP) {
    double mass = 0;
    int rounds = Math.min(n, MAXIMA);
    for (int i = 0; i < rounds; i++) {
      int best = i;
      double bp = p[i];
      int bid = ids[i];
      for (int j = i + 1; j < n; j++) {
        double pj = p[j];
        if (before(pj, ids[j], bp, bid)) {
          best = j;
          bp = pj;
          bid = ids[j];
        }
      }
      ids[best] = ids[i];
      p[best] = p[i];
      ids[i] = bid;
      p[i] = bp;
      mass += bp;
      if (mass >= topP) {
        return i + 1;
      }
    }
    if (rounds == n) {
      return n;
    }
    sortDescending(ids, p, rounds, n - 1);
    for (int i = rounds; i < n; i++) {
      mass += p[i];
      if (mass >= topP) {
        return i + 1;
      }
    }
    return n;
  }

  /**
   * Reorders {@code [lo, hi]} so that every entry in {@code [lo, k)} comes before (larger p, or
   * equal p and smaller id) every entry in {@code [k, hi]}.
   */
  private static void selectFirst(int[] ids, double[] p, int lo, int hi, int k) {
    while (hi - lo > 16) {
      if (k <= lo || k > hi) {
        return;
      }
      long ij = partition(ids, p, lo, hi);
      int i = (int) (ij >>> 32);
      int j = (int) ij;
      // Now [lo, j] precede-or-equal the pivot, [i, hi] follow-or-equal it, (j, i) equal it.
      if (k <= j) {
        hi = j;
      } else if (k > i) {
        lo = i;
      } else {
        return;
      }
    }
    sortDescending(ids, p, lo, hi);
  }

  private static void sortDescending(int[] ids, double[] p, int lo, int hi) {
    while (hi - lo > 48) {
      long ij = partition(ids, p, lo, hi);
      int i = (int) (ij >>> 32);
      int j = (int) ij;
      if (j - lo < hi - i) {
        sortDescending(ids, p, lo, j);
        lo = i;
      } else {
        sortDescending(ids, p, i, hi);
        hi = j;
      }
    }
    for (int i = lo + 1; i <= hi; i++) {
      int id = ids[i];
      double v = p[i];
      int j = i - 1;
      while (j >= lo && before(v, id, p[j], ids[j])) {
        ids[j + 1] = ids[j];
        p[j + 1] = p[j];
        j--;
      }
      ids[j + 1] = id;
      p[j + 1] = v;
    }
  }

  /**
   * Hoare partition of {@code [lo, hi]} (hi - lo &gt; 16) around its middle entry in the order
   * "larger p, then smaller id"; returns the final scan positions as {@code (i << 32) | j}.
   */
  private static long partition(int[] ids, double[] p, int lo, int hi) {
    int mid = (lo + hi) >>> 1;
    int a = ids[mid];
    double pv = p[mid];
    int i = lo;
    int j = hi;
    while (i <= j) {
      while (before(p[i], ids[i], pv, a)) {
        i++;
      }
      while (before(pv, a, p[j], ids[j])) {
        j--;
      }
      if (i <= j) {
        swap(ids, p, i++, j--);
      }
    }
    return ((long) i << 32) | (j & 0xffffffffL);
  }

  private static boolean before(double p1, int id1, double p2, int id2) {
    return p1 > p2 || (p1 == p2 && id1 < id2);
  }

  private static float median(float a, float b, float c) {
    return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
  }

  private static void swap(int[] ids, float[] vals, int i, int j) {
    int t = ids[i];
    ids[i] = ids[j];
    ids[j] = t;
    float v = vals[i];
    vals[i] = vals[j];
    vals[j] = v;
  }

  private static void swap(int[] ids, double[] p, int i, int j) {
    int t = ids[i];
    ids[i] = ids[j];
    ids[j] = t;
    double v = p[i];
    p[i] = p[j];
    p[j] = v;
  }
}
