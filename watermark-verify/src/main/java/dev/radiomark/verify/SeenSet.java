package dev.radiomark.verify;

import com.google.common.hash.BloomFilter;
import com.google.common.hash.Funnels;
import java.util.Locale;

/**
 * The de-duplication tape: remembers which tuple identities were already scored.
 *
 * <p>{@link #exact()} never forgets and never confuses two identities (up to 64-bit hash
 * collisions). {@link #bounded} keeps memory fixed with a Bloom filter: a false positive makes
 * the detector skip a tuple it has not seen. That decision depends only on the tuple's identity
 * and on identities seen before, never on whether a tuple scored high, so the scored tuples
 * remain distinct and independent under H0 and the p-value stays exact; the cost is power (the
 * skipped fraction, about the filter's false-positive rate).
 */
public interface SeenSet {
  /**
   * Records an identity.
   *
   * @param identity 64-bit tuple or window identity
   * @return true if it is (as far as this set knows) new and should be scored
   */
  boolean add(long identity);

  /**
   * An exact set in memory (16 bytes per identity or so).
   *
   * @return a new empty set
   */
  static SeenSet exact() {
    return new LongHashSet();
  }

  /**
   * An exact tape sized ahead for about {@code expected} identities: same answers as
   * {@link #exact()}, but the table is allocated once at its final size instead of being
   * doubled and rehashed as it fills (which is about half the cost of filling an exact tape of a
   * million identities). It still grows past {@code expected}. Memory: 16 to 32 bytes per
   * expected identity, allocated at once; a tape of a pooled test over n tokens holds at most n
   * identities, so the number of tokens to be scored is a safe hint.
   *
   * @param expected expected number of distinct identities, in [0, 2^29]
   * @return the set
   * @throws IllegalArgumentException if {@code expected} is out of range
   */
  static SeenSet exact(long expected) {
    if (expected < 0 || expected > 1L << 29) {
      throw new IllegalArgumentException("expected is not in [0, 2^29]: " + expected);
    }
    int capacity = 1024;
    while (capacity < 2 * expected + 1) {
      capacity <<= 1;
    }
    return new LongHashSet(capacity);
  }

  /**
   * A memory-bounded set backed by a Guava Bloom filter.
   *
   * @param expected expected number of distinct identities, at least 1
   * @param falsePositiveRate target rate of wrongly skipped new identities, in (0, 0.5)
   * @return a new empty set
   */
  static SeenSet bounded(long expected, double falsePositiveRate) {
    if (expected < 1) {
      throw new IllegalArgumentException("expected is not in [1, 2^63): " + expected);
    }
    if (!(falsePositiveRate > 0 && falsePositiveRate < 0.5)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "falsePositiveRate is not in (0, 0.5): %s", falsePositiveRate));
    }
    BloomFilter<Long> f = BloomFilter.create(Funnels.longFunnel(), expected, falsePositiveRate);
    return f::put;
  }
}
