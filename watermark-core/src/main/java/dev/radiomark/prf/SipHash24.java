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
  /**
   * {@link #hash} of {@code count} windows of {@code h} tokens that end at consecutive positions:
   * {@code out[off + j] = hash(k0, k1, tokens, firstEnd + j - h, firstEnd + j)}, bit for bit. Two
   * windows are hashed in one loop body, so that the processor can overlap their rounds (one
   * SipHash is a chain of dependent rounds).
   *
   * @param k0 first key half
   * @param k1 second key half
   * @param tokens token ids
   * @param firstEnd end (exclusive) of the first window; {@code h <= firstEnd}
   * @param count number of windows; {@code firstEnd + count - 1 <= tokens.length}
   * @param h window width, at least 0
   * @param out receives the hashes
   * @param off first index of {@code out} written
   */
  public static void hashWindows(long k0, long k1, int[] tokens, int firstEnd, int count, int h,
      long[] out, int off) {
    long fin = ((long) h * 4L) << 56;
    int j = 0;
    for (; j + 1 < count; j += 2) {
      int fa = firstEnd + j - h;
      long a0 = 0x736f6d6570736575L ^ k0;
      long a1 = 0x646f72616e646f6dL ^ k1;
      long a2 = 0x6c7967656e657261L ^ k0;
      long a3 = 0x7465646279746573L ^ k1;
      long b0 = a0;
      long b1 = a1;
      long b2 = a2;
      long b3 = a3;
      int i = 0;
      for (; i + 1 < h; i += 2) {
        long ma = (tokens[fa + i] & 0xffffffffL) | ((long) tokens[fa + i + 1] << 32);
        long mb = (tokens[fa + i + 1] & 0xffffffffL) | ((long) tokens[fa + i + 2] << 32);
        a3 ^= ma;
        b3 ^= mb;
        for (int r = 0; r < 2; r++) {
          a0 += a1; a1 = Long.rotateLeft(a1, 13); a1 ^= a0; a0 = Long.rotateLeft(a0, 32);
          b0 += b1; b1 = Long.rotateLeft(b1, 13); b1 ^= b0; b0 = Long.rotateLeft(b0, 32);
          a2 += a3; a3 = Long.rotateLeft(a3, 16); a3 ^= a2;
          b2 += b3; b3 = Long.rotateLeft(b3, 16); b3 ^= b2;
          a0 += a3; a3 = Long.rotateLeft(a3, 21); a3 ^= a0;
          b0 += b3; b3 = Long.rotateLeft(b3, 21); b3 ^= b0;
          a2 += a1; a1 = Long.rotateLeft(a1, 17); a1 ^= a2; a2 = Long.rotateLeft(a2, 32);
          b2 += b1; b1 = Long.rotateLeft(b1, 17); b1 ^= b2; b2 = Long.rotateLeft(b2, 32);
        }
        a0 ^= ma;
        b0 ^= mb;
      }
      long la = fin;
      long lb = fin;
      if (i < h) {
        la |= tokens[fa + i] & 0xffffffffL;
        lb |= tokens[fa + i + 1] & 0xffffffffL;
      }
      a3 ^= la;
      b3 ^= lb;
      for (int r = 0; r < 2; r++) {
        a0 += a1; a1 = Long.rotateLeft(a1, 13); a1 ^= a0; a0 = Long.rotateLeft(a0, 32);
        b0 += b1; b1 = Long.rotateLeft(b1, 13); b1 ^= b0; b0 = Long.rotateLeft(b0, 32);
        a2 += a3; a3 = Long.rotateLeft(a3, 16); a3 ^= a2;
        b2 += b3; b3 = Long.rotateLeft(b3, 16); b3 ^= b2;
        a0 += a3; a3 = Long.rotateLeft(a3, 21); a3 ^= a0;
        b0 += b3; b3 = Long.rotateLeft(b3, 21); b3 ^= b0;
        a2 += a1; a1 = Long.rotateLeft(a1, 17); a1 ^= a2; a2 = Long.rotateLeft(a2, 32);
        b2 += b1; b1 = Long.rotateLeft(b1, 17); b1 ^= b2; b2 = Long.rotateLeft(b2, 32);
      }
      a0 ^= la;
      b0 ^= lb;
      a2 ^= 0xff;
      b2 ^= 0xff;
      for (int r = 0; r < 4; r++) {
        a0 += a1; a1 = Long.rotateLeft(a1, 13); a1 ^= a0; a0 = Long.rotateLeft(a0, 32);
        b0 += b1; b1 = Long.rotateLeft(b1, 13); b1 ^= b0; b0 = Long.rotateLeft(b0, 32);
        a2 += a3; a3 = Long.rotateLeft(a3, 16); a3 ^= a2;
        b2 += b3; b3 = Long.rotateLeft(b3, 16); b3 ^= b2;
        a0 += a3; a3 = Long.rotateLeft(a3, 21); a3 ^= a0;
        b0 += b3; b3 = Long.rotateLeft(b3, 21); b3 ^= b0;
        a2 += a1; a1 = Long.rotateLeft(a1, 17); a1 ^= a2; a2 = Long.rotateLeft(a2, 32);
        b2 += b1; b1 = Long.rotateLeft(b1, 17); b1 ^= b2; b2 = Long.rotateLeft(b2, 32);
      }
      out[off + j] = a0 ^ a1 ^ a2 ^ a3;
      out[off + j + 1] = b0 ^ b1 ^ b2 ^ b3;
    }
    if (j < count) {
      out[off + j] = hash(k0, k1, tokens, firstEnd + j - h, firstEnd + j);
    }
  }
}
