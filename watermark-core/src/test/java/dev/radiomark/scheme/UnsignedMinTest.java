package dev.radiomark.scheme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.radiomark.TestSupport;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/**
 * {@link SchemeCore#unsignedMin} and {@link SchemeCore#unsignedMinNoCompare} against the
 * definition ({@link Long#compareUnsigned}): the edge values (0, 1, -1, the signed extremes and
 * their neighbours) in every pair, random pairs, pairs that differ only in their low bits or only
 * in the top bit. Deterministic (fixed seed).
 */
class UnsignedMinTest {
  private static long definition(long a, long b) {
    return Long.compareUnsigned(a, b) < 0 ? a : b;
  }

  private static void check(long a, long b) {
    long want = definition(a, b);
    assertEquals(want, SchemeCore.unsignedMin(a, b), () -> a + " " + b);
    assertEquals(want, SchemeCore.unsignedMinNoCompare(a, b), () -> a + " " + b);
  }

  @Test
  void bothFormsEqualTheDefinition() {
    long[] edges = {0L, 1L, 2L, -1L, -2L, Long.MAX_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE,
        Long.MIN_VALUE + 1, 0xffffffffL, 0x100000000L};
    for (long a : edges) {
      for (long b : edges) {
        check(a, b);
      }
    }
    UniformRandomProvider rng = TestSupport.rng(45);
    for (int i = 0; i < 200_000; i++) {
      long a = rng.nextLong();
      check(a, rng.nextLong());
      check(a, a ^ (rng.nextLong() & 0xff));
      check(a, a ^ Long.MIN_VALUE);
      check(a, a);
    }
  }
}
