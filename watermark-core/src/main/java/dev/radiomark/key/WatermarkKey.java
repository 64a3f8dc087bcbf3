package dev.radiomark.key;

import dev.radiomark.prf.KeyedPrf;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Secret key material of a watermark, with a public key id.
 *
 * <p>At least 128 bits of secret (256 by default, from {@link SecureRandom}). Sub-keys for a
 * tenant (account cohort) or a time epoch are derived with HMAC-SHA256:
 * {@code secret' = HMAC-SHA256(secret, "radiomark/key/v1/" + kind + "/" + label)}, kind
 * {@code tenant} or {@code epoch}; the derived id is {@code id + "/" + kind + "=" + label}.
 *
 * <p>The public {@link #fingerprint()} identifies the secret without revealing it. The secret
 * never appears in {@link #toString()}; {@link #equals} compares secrets in constant
 * time. Immutable and thread-safe. There is no default key.
 */
public final class WatermarkKey {
  /** Smallest accepted secret, in bytes. */
  public static final int MIN_SECRET_BYTES = 16;
  /** Size of a generated secret, in bytes. */
  public static final int DEFAULT_SECRET_BYTES = 32;

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:/=@-]{1,200}");

  private static final byte[] FINGERPRINT_LABEL = "radiomark key fingerprint v1".getBytes(StandardCharsets.US_ASCII);

  private final String id;
  private final byte[] secret;
  private final String fingerprint;

  private WatermarkKey(String id, byte[] secret) {
    this.id = id;
    this.secret = secret;
    byte[] tag = KeyedPrf.hmacSha256(secret, FINGERPRINT_LABEL);
    this.fingerprint = HexFormat.of().formatHex(tag, 0, 16);
    Arrays.fill(tag, (byte) 0);
  }

  /**
   * A new random key.
   *
   * @param id public key id: 1 to 200 of {@code A-Z a-z 0-9 . _ : / = @ -}
   * @return a fresh key with a 256-bit secret from {@link SecureRandom}
   */
  public static WatermarkKey generate(String id) {
    byte[] s = new byte[DEFAULT_SECRET_BYTES];
    new SecureRandom().nextBytes(s);
    return new WatermarkKey(checkId(id), s);
  }

  /**
   * A key from existing material (for example read from a key file).
   *
   * @param id public key id
   * @param secret at least 16 bytes; copied
   * @return the key
   * @throws IllegalArgumentException if the id is malformed or the secret too short
   */
  public static WatermarkKey of(String id, byte[] secret) {
    if (secret == null) {
      throw new IllegalArgumentException("secret is null");
    }
    if (secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "secret length is not in [%d, inf) bytes: %d", MIN_SECRET_BYTES, secret.length));
    }
    return new WatermarkKey(checkId(id), secret.clone());
  }

  private static String checkId(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "key id must be 1 to 200 of A-Z a-z 0-9 . _ : / = @ -: " + (id == null ? "null" : '"' + id + '"'));
    }
    return id;
  }

  /**
   * The sub-key of a tenant or account cohort.
   *
   * @param tenant tenant label (same character set as key ids)
   * @return the derived key, id {@code id() + "/tenant=" + tenant}
   */
  public WatermarkKey forTenant(String tenant) {
    return derive("tenant", checkId(tenant));
  }

  /**
   * The sub-key of a time epoch (for example a week number), for key rotation.
   *
   * @param epoch epoch number, {@code >= 0}
   * @return the derived key, id {@code id() + "/epoch=" + epoch}
   */
  public WatermarkKey forEpoch(long epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch is not in [0, 2^63): " + epoch);
    }
    return derive("epoch", Long.toString(epoch));
  }

  private WatermarkKey derive(String kind, String label) {
    byte[] tag = KeyedPrf.hmacSha256(secret,
        ("radiomark/key/v1/" + kind + "/" + label).getBytes(StandardCharsets.UTF_8));
    return new WatermarkKey(checkId(id + "/" + kind + "=" + label), tag);
  }

  /**
   * The public key id.
   *
   * @return the id
   */
  public String id() {
    return id;
  }

  /**
   * The public fingerprint of this key: the first 16 bytes of
   * {@code HMAC-SHA256(secret, "radiomark key fingerprint v1")} (label in ASCII) as 32 lowercase
   * hex digits. It identifies the secret (two keys with one id but different secrets have
   * different fingerprints) without revealing it, and binds ledgers and key files to the key.
   *
   * @return 32 lowercase hex digits
   */
  public String fingerprint() {
    return fingerprint;
  }

  /**
   * A copy of the secret. Callers should clear it after use.
   *
   * @return the secret bytes
   */
  public byte[] secret() {
    return secret.clone();
  }

  /**
   * The PRF of one scheme domain under this key.
   *
   * @param domain the scheme's domain label
   * @return the keyed function
   */
  public KeyedPrf prf(String domain) {
    return KeyedPrf.derive(secret, domain);
  }

  /** Same id and same secret, the secret compared in constant time. */
  @Override
  public boolean equals(Object o) {
    return o instanceof WatermarkKey k && id.equals(k.id) && MessageDigest.isEqual(secret, k.secret);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  /** The id and the secret length; never the secret. */
  @Override
  public String toString() {
    return "WatermarkKey[id=" + id + ", fingerprint=" + fingerprint + ", secret=<redacted " + secret.length * 8 + " bits>]";
  }
}
