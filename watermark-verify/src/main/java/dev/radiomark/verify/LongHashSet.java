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
