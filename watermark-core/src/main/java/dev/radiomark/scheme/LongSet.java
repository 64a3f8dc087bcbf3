package dev.radiomark.scheme;

/** Open-addressing set of longs (linear probing); allocates only when it grows. */
final class LongSet {
  private static final long EMPTY = 0L;
  private long[] table = new long[64];
  private boolean hasEmptyKey;
  private int size;

  boolean add(long key) {
    if (key == EMPTY) {
      boolean added = !hasEmptyKey;
      hasEmptyKey = true;
      return added;
    }
    int mask = table.length - 1;
    int i = (int) mix(key) & mask;
    while (true) {
      long cur = table[i];
      if (cur == EMPTY) {
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

  int size() {
    return size + (hasEmptyKey ? 1 : 0);
  }

  void clear() {
    java.util.Arrays.fill(table, EMPTY);
    size = 0;
    hasEmptyKey = false;
  }

  private void grow() {
    long[] old = table;
    table = new long[old.length * 2];
    int mask = table.length - 1;
    for (long k : old) {
      if (k != EMPTY) {
        int i = (int) mix(k) & mask;
        while (table[i] != EMPTY) {
          i = (i + 1) & mask;
        }
        table[i] = k;
      }
    }
  }

  private static long mix(long k) {
    long z = k * 0x9E3779B97F4A7C15L;
    return z ^ (z >>> 29);
  }
}
