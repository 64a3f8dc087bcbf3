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
   * @param out receives {@code add(keys[i])} at index i: 1 if new, 0 if not
   */
  void addAll(long[] keys, int n, byte[] out) {
    // Room for every key of the batch first, so that the insertion loop needs no growth check
    // (the table may double a batch earlier than one add at a time would: same answers).
    while ((long) (size + n) * 2 > table.length) {
      grow();
    }
    long[] tab = table;
    int mask = tab.length - 1;
    int[] home = homes;
    if (home.length < n) {
      home = new int[Math.max(n, 256)];
      homes = home;
    }
    for (int i = 0; i < n; i++) {
      home[i] = spread(keys[i]) & mask;
    }
    // The touching loop alone, as short as possible, so that the most loads are in flight.
    long touch = 0;
    for (int i = 0; i < n; i++) {
      touch += tab[home[i]];
    }
    sink = touch;
    int added = 0;
    for (int i = 0; i < n; i++) {
      long k = keys[i];
      if (k == 0L) {
        out[i] = (byte) (hasZero ? 0 : 1);
        hasZero = true;
        continue;
      }
      int s = home[i];
      long cur;
      while ((cur = tab[s]) != 0L && cur != k) {
        s = (s + 1) & mask;
      }
      if (cur == 0L) {
        tab[s] = k;
        added++;
      }
      out[i] = (byte) (cur == 0L ? 1 : 0);
    }
    size += added;
  }

  /** Home slots of the keys of the current {@link #addAll} batch (reused). */
  private int[] homes = new int[0];

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
