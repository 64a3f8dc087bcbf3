package dev.radiomark.prf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.radiomark.TestSupport;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/**
 * {@link KeyedPrf#tokenHashes} (three vectorisable loops) against {@link KeyedPrf#tokenHash} one
 * token at a time: random keys, ids from a small vocabulary and from the whole int range
 * (negative ids included), runs of 0 to 600 tokens (shorter and longer than a vector loop's
 * pre- and post-loops), offsets into both arrays; the slots outside the written range are left
 * alone. Deterministic (fixed seed).
 */
class KeyedPrfTokenHashesTest {
  @Test
  void tokenHashesEqualTokenHashOneAtATime() {
    UniformRandomProvider rng = TestSupport.rng(44);
    for (int trial = 0; trial < 300; trial++) {
      byte[] secret = new byte[32];
      rng.nextBytes(secret);
      KeyedPrf prf = KeyedPrf.derive(secret, "test/v1");
      int n = trial < 20 ? trial : rng.nextInt(601);
      int from = rng.nextInt(4);
      int[] tokens = new int[from + n + rng.nextInt(3)];
      for (int i = 0; i < tokens.length; i++) {
        tokens[i] = trial % 2 == 0 ? rng.nextInt(300) : rng.nextInt();
      }
      int off = rng.nextInt(4);
      long[] out = new long[off + n + 2];
      java.util.Arrays.fill(out, 0x5a5aL);
      prf.tokenHashes(tokens, from, n, out, off);
      for (int i = 0; i < out.length; i++) {
        long want = i >= off && i < off + n ? prf.tokenHash(tokens[from + i - off]) : 0x5a5aL;
        assertEquals(want, out[i], "trial " + trial + " slot " + i);
      }
    }
  }
}
