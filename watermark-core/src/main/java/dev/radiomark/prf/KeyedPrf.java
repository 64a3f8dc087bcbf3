package dev.radiomark.prf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keyed pseudorandom function of the watermark, version 1 (frozen; see {@code docs/SPEC.md}).
 *
 * <p>Two levels keep the per-token part cheap enough to run over a whole vocabulary: a window of
 * context tokens is hashed once per step with SipHash-2-4 into a 64-bit <em>seed</em>; each
 * candidate token {@code v} then costs one SplitMix64 finalisation:
 *
 * <pre>
 *   value(seed, v) = mix64(seed + (uint32(v) + 1) * 0x9E3779B97F4A7C15)
 *   tokenHash(x)   = mix64(kTok + mix64(uint32(x) + 0x9E3779B97F4A7C15))
 * </pre>
 *
 * <p>Sub-keys come from the secret with HMAC-SHA256 under the label
 * {@code "radiomark/prf/v1/" + domain}: bytes 0-7, 8-15 and 16-23 of the tag, each little-endian,
 * are {@code k0}, {@code k1} (SipHash key) and {@code kTok}. Different domains (one per scheme)
 * give independent functions under one secret. No global state, no per-step permutation of the
 * vocabulary; results are bit-identical on every JVM. Instances are immutable and thread-safe.
 */
public final class KeyedPrf {
  /** Version of this function; a change of any output is a new version. */
  public static final int VERSION = 1;

  static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private static final double TWO_POW_MINUS_53 = 0x1p-53;

  private final long k0;
  private final long k1;
  private final long kTok;

  private KeyedPrf(long k0, long k1, long kTok) {
    this.k0 = k0;
    this.k1 = k1;
    this.kTok = kTok;
  }

  /**
   * Derives the PRF for one domain from a secret.
   *
   * @param secret key material, at least 16 bytes (not retained)
   * @param domain domain label, e.g. {@code "green-list/v1"}
   * @return the keyed function
   * @throws IllegalArgumentException if the secret is shorter than 16 bytes
   */
  public static KeyedPrf derive(byte[] secret, String domain) {
    if (secret.length < 16) {
      throw new IllegalArgumentException("secret is shorter than 16 bytes: " + secret.length);
    }
    byte[] tag = hmacSha256(secret, ("radiomark/prf/v1/" + domain).getBytes(StandardCharsets.UTF_8));
    ByteBuffer b = ByteBuffer.wrap(tag).order(ByteOrder.LITTLE_ENDIAN);
    KeyedPrf prf = new KeyedPrf(b.getLong(0), b.getLong(8), b.getLong(16));
    Arrays.fill(tag, (byte) 0);
    return prf;
  }

  /**
   * HMAC-SHA256 from the JDK.
   *
   * @param key MAC key
   * @param message message bytes
   * @return the 32-byte tag
   */
  public static byte[] hmacSha256(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  /**
   * Seed of an ordered window: SipHash-2-4 of {@code tokens[from, to)} as 32-bit little-endian
   * integers. An empty window gives the fixed seed of a context-free ("unigram") green list.
   *
   * @param tokens token ids
   * @param from first index, inclusive
   * @param to last index, exclusive
   * @return the window seed
   */
  public long orderedSeed(int[] tokens, int from, int to) {
    return SipHash24.hash(k0, k1, tokens, from, to);
  }

  /**
   * {@link #orderedSeed} of {@code count} windows of {@code h} tokens ending at consecutive
   * positions, bit for bit: {@code out[off + j] = orderedSeed(tokens, firstEnd + j - h, firstEnd
   * + j)}, two windows hashed per loop body.
   *
   * @param tokens token ids
   * @param firstEnd end (exclusive) of the first window; {@code h <= firstEnd}
   * @param count number of windows; {@code firstEnd + count - 1 <= tokens.length}
   * @param h window width
   * @param out receives the seeds
   * @param off first index of {@code out} written
   */
  public void orderedSeeds(int[] tokens, int firstEnd, int count, int h, long[] out, int off) {
    SipHash24.hashWindows(k0, k1, tokens, firstEnd, count, h, out, off);
  }

  /**
   * Keyed hash of one token, used by the min-hash and self-seeding window rules.
   *
   * @param token token id
   * @return 64-bit hash
   */
  public long tokenHash(int token) {
    return mix64(kTok + mix64((token & 0xffffffffL) + GOLDEN));
  }

  /**
   * {@link #tokenHash} of {@code n} tokens, bit for bit: {@code out[off + i] =
   * tokenHash(tokens[from + i])} for i in [0, n). In three loops of one step each (the ids
   * widened, the inner and the outer finaliser), which C2 vectorises where the one-step loop is
   * not.
   *
   * @param tokens token ids
   * @param from first index read
   * @param n number of tokens
   * @param out receives the hashes
   * @param off first index of {@code out} written
   */
  public void tokenHashes(int[] tokens, int from, int n, long[] out, int off) {
    for (int i = 0; i < n; i++) {
      out[off + i] = tokens[from + i] & 0xffffffffL;
    }
    for (int i = 0; i < n; i++) {
      out[off + i] = mix64(out[off + i] + GOLDEN);
    }
    long k = kTok;
    for (int i = 0; i < n; i++) {
      out[off + i] = mix64(k + out[off + i]);
    }
  }

  /**
   * Min-hash seed of a window: the smallest {@link #tokenHash} (unsigned) of
   * {@code tokens[from, to)}; requires {@code from < to}.
   *
   * @param tokens token ids
   * @param from first index, inclusive
   * @param to last index, exclusive
   * @return the window seed
   */
  public long minHashSeed(int[] tokens, int from, int to) {
    long min = -1L;
    for (int i = from; i < to; i++) {
      long h = tokenHash(tokens[i]);
      if (Long.compareUnsigned(h, min) < 0) {
        min = h;
      }
    }
    return min;
  }

  /**
   * The 64-bit PRF value of a (seed, token) pair.
   *
   * @param seed window (or tuple) seed
   * @param token token id
   * @return pseudorandom 64 bits
   */
  public static long value(long seed, int token) {
    return mix64(seed + ((token & 0xffffffffL) + 1L) * GOLDEN);
  }

  /**
   * The top 53 bits of a value as an open-interval uniform: {@code ((v >>> 11) + 0.5) * 2^-53},
   * in (0, 1).
   *
   * @param value a PRF value
   * @return uniform in (0, 1), never 0 or 1
   */
  public static double unitOpen(long value) {
    return ((value >>> 11) + 0.5) * TWO_POW_MINUS_53;
  }

  /**
   * The green threshold of a green fraction: {@code floor(gamma * 2^53)}; a value is green when
   * {@code (value >>> 11) < threshold}, which has probability exactly {@code threshold / 2^53}.
   *
   * @param gamma green fraction in (0, 1)
   * @return the threshold
   */
  public static long greenThreshold(double gamma) {
    return (long) Math.floor(gamma * 0x1p53);
  }

  /**
   * SplitMix64's finaliser (Stafford's variant 13).
   *
   * @param z input
   * @return mixed output, a bijection of the input
   */
  public static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Override
  public String toString() {
    return "KeyedPrf[v" + VERSION + ", key redacted]";
  }
}
