package dev.radiomark.prf;

/**
 * SipHash-2-4 (Aumasson and Bernstein, 2012) over a run of 32-bit tokens, allocation-free.
 *
 * <p>The message is the tokens in order, each as four bytes little-endian; the result is the
 * standard 64-bit SipHash-2-4 of that byte string under the key {@code (k0, k1)} (each key half
 * read little-endian from the 16 key bytes, as in the reference implementation). It therefore
 * equals Guava's {@code Hashing.sipHash24(k0, k1).hashBytes(bytes).asLong()}, which the tests
 * check.
 */
public final class SipHash24 {
  private SipHash24() {}

  /**
   * Hashes {@code tokens[from, to)}.
   *
   * @param k0 first key half
   * @param k1 second key half
   * @param tokens token ids
   * @param from first index, inclusive
   * @param to last index, exclusive; {@code from <= to}
   * @return the 64-bit SipHash-2-4 value
   */
  public static long hash(long k0, long k1, int[] tokens, int from, int to) {
    long v0 = 0x736f6d6570736575L ^ k0;
    long v1 = 0x646f72616e646f6dL ^ k1;
    long v2 = 0x6c7967656e657261L ^ k0;
    long v3 = 0x7465646279746573L ^ k1;
    int i = from;
    for (; i + 1 < to; i += 2) {
      long m = (tokens[i] & 0xffffffffL) | ((long) tokens[i + 1] << 32);
      v3 ^= m;
      for (int r = 0; r < 2; r++) {
        v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
        v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
        v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
        v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
      }
      v0 ^= m;
    }
    long b = ((long) (to - from) * 4L) << 56;
    if (i < to) {
      b |= tokens[i] & 0xffffffffL;
    }
    v3 ^= b;
    for (int r = 0; r < 2; r++) {
      v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
      v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
      v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
      v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
    }
    v0 ^= b;
    v2 ^= 0xff;
    for (int r = 0; r < 4; r++) {
      v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
      v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
      v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
      v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
    }
    return v0 ^ v1 ^ v2 ^ v3;
  }
}
