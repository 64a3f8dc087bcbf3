package dev.radiomark.verify;

/** Open-addressing set of longs with linear probing; the exact de-duplication tape. */
final class LongHashSet implements SeenSet {
  private long[] table;
  private boolean hasZero;
  private int size;

  LongHashSet() {
    this(1024);
  }

  /** @param capacity initial number of slots, a power of two */
  LongHashSet(int capacity) {
    table = new long[capacity];
  }

  @Override
  public boolean add(long key) {
    if (key == 0L) {
      boolean added = !hasZero;
      hasZero = true;
      return added;
    }
    int mask = table.length - 1;
    int i = spread(key) & mask;
    while (true) {
      long cur = table[i];
      if (cur == 0L) {
        table[i] = key;
        if (++size * 2 > table.length) {
          grow();
        }
        return true;
      }
      if (cur == key) {
        return false;
      }
      i = (i + 1) & mask;
    }
  }

  /**
   * {@link #add} of {@code keys[0, n)} in that order, with the same results; first touches the
   * home slot of every key so that their cache misses overlap instead of queueing one by one.
   *
   * @param keys keys
   * @param n number of keys
   * @param out receives {@code add(keys[i])} at index i
   */
  void addAll(long[] keys, int n, boolean[] out) {
    long[] tab = table;
    int mask = tab.length - 1;
    long touch = 0;
    for (int i = 0; i < n; i++) {
      touch += tab[spread(keys[i]) & mask];
    }
    sink = touch;
    for (int i = 0; i < n; i++) {
      out[i] = add(keys[i]);
    }
  }

  /**
   * {@link #add} of {@code keys[0, n)} with the same results, for large batches: the keys are
   * first ordered (stably, by a counting sort) by the region of the table their home slot lies
   * in, {@code 2^}{@value #REGION_BITS} slots per region, and inserted region after region, so
   * that the table is swept in address order instead of at random. Equal keys share a home slot
   * and keep their order, so the first occurrence is still the one reported new; the set's
   * contents do not depend on the order of insertion. Small batches and tables use
   * {@link #addAll}.
   *
   * @param keys keys
   * @param n number of keys
   * @param out receives {@code add(keys[i])} at index i
   * @param order scratch of at least n ints
   * @param region scratch of at least n ints
   * @param sorted scratch of at least n longs
   */
  void addAllOrdered(long[] keys, int n, boolean[] out, int[] order, int[] region, long[] sorted) {
    int bits = Integer.numberOfTrailingZeros(table.length) - REGION_BITS;
    if (bits <= 0 || n < 4096) {
      addAll(keys, n, out);
      return;
    }
    bits = Math.min(bits, 8);
    int shift = Integer.numberOfTrailingZeros(table.length) - bits;
    int mask = table.length - 1;
    int[] start = new int[(1 << bits) + 1];
    for (int i = 0; i < n; i++) {
      int r = (spread(keys[i]) & mask) >>> shift;
      region[i] = r;
      start[r + 1]++;
    }
    for (int r = 0; r < 1 << bits; r++) {
      start[r + 1] += start[r];
    }
    for (int i = 0; i < n; i++) {
      int at = start[region[i]]++;
      order[at] = i;
      sorted[at] = keys[i];
    }
    long touch = 0;
    for (int j0 = 0; j0 < n; j0 += 256) {
      int j1 = Math.min(n, j0 + 256);
      long[] tab = table;
      int m = tab.length - 1;
      for (int j = j0; j < j1; j++) {
        touch += tab[spread(sorted[j]) & m];
      }
      for (int j = j0; j < j1; j++) {
        out[order[j]] = add(sorted[j]);
      }
    }
    sink = touch;
  }

  /** Slots per region of {@link #addAllOrdered}, as a power of two (512 slots: a 4 KB page). */
  static final int REGION_BITS = 9;

  /** Keeps the touching loads of {@link #addAll} from being removed as dead code. */
  private long sink;

  boolean contains(long key) {
    if (key == 0L) {
      return hasZero;
    }
    int mask = table.length - 1;
    int i = spread(key) & mask;
    while (true) {
      long cur = table[i];
      if (cur == 0L) {
        return false;
      }
      if (cur == key) {
        return true;
      }
      i = (i + 1) & mask;
    }
  }

  int size() {
    return size + (hasZero ? 1 : 0);
  }

  private void grow() {
    long[] old = table;
    table = new long[old.length * 2];
    int mask = table.length - 1;
    for (long k : old) {
      if (k != 0L) {
        int i = spread(k) & mask;
        while (table[i] != 0L) {
          i = (i + 1) & mask;
        }
        table[i] = k;
      }
    }
  }

  private static int spread(long k) {
    long z = k * 0x9E3779B97F4A7C15L;
    return (int) (z ^ (z >>> 32));
  }
}
