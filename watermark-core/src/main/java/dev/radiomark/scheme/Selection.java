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

  /**
   * Keeps the smallest prefix of the most likely tokens whose mass reaches {@code topP}; sorts
   * (ids, p) by decreasing p and returns the prefix length. Ties keep the order of the ids so
   * the result does not depend on the order the candidates arrived in.
   */
  static int nucleus(int[] ids, double[] p, int n, double topP) {
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

  private static void sortDescending(int[] ids, double[] p, int lo, int hi) {
    while (hi - lo > 16) {
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
