package dev.radiomark.examples.lm;

/**
 * Open-addressing map from {@code long} keys to non-negative {@code int} values with linear
 * probing; {@code -1} marks an empty slot and is returned for absent keys. Grows on insert,
 * read-only use is thread-safe.
 */
final class LongIntMap {

  private long[] keys;
  private int[] values;
  private int mask;
  private int size;

  LongIntMap(int expected) {
    int cap = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
    keys = new long[cap];
    values = new int[cap];
    java.util.Arrays.fill(values, -1);
    mask = cap - 1;
  }

  int size() {
    return size;
  }

  int get(long key) {
    for (int i = slot(key); ; i = (i + 1) & mask) {
      int v = values[i];
      if (v < 0 || keys[i] == key) {
        return v;
      }
    }
  }

  /** Returns the existing value for {@code key}, or stores {@code value} and returns -1. */
  int putIfAbsent(long key, int value) {
    int i = slot(key);
    for (; values[i] >= 0; i = (i + 1) & mask) {
      if (keys[i] == key) {
        return values[i];
      }
    }
    keys[i] = key;
    values[i] = value;
    if (++size * 2 > keys.length) {
      grow();
    }
    return -1;
  }

  private int slot(long key) {
    return (int) Corpus.mix(key) & mask;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new int[oldKeys.length * 2];
    java.util.Arrays.fill(values, -1);
    mask = keys.length - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      if (oldValues[j] >= 0) {
        int i = slot(oldKeys[j]);
        while (values[i] >= 0) {
          i = (i + 1) & mask;
        }
        keys[i] = oldKeys[j];
        values[i] = oldValues[j];
      }
    }
  }
}
