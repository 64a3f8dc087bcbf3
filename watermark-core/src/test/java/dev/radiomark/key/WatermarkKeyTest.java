package dev.radiomark.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WatermarkKeyTest {
  /** TEST VALUE ONLY. */
  static final byte[] SECRET = HexFormat.of().parseHex("00112233445566778899aabbccddeeff0123456789abcdef");

  static void assertNoSecret(String text, byte[] secret) {
    String hex = HexFormat.of().formatHex(secret);
    assertFalse(text.toLowerCase(Locale.ROOT).contains(hex.substring(0, 16)), text);
    String b64 = Base64.getEncoder().encodeToString(secret);
    assertFalse(text.contains(b64.substring(0, 12)), text);
  }

  @Test
  void generatedKeysAreLongAndDistinct() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      WatermarkKey k = WatermarkKey.generate("k" + i);
      byte[] s = k.secret();
      assertTrue(s.length * 8 >= 128);
      assertEquals(WatermarkKey.DEFAULT_SECRET_BYTES, s.length);
      assertTrue(seen.add(HexFormat.of().formatHex(s)));
    }
  }

  @Test
  void toStringRedactsTheSecret() {
    WatermarkKey k = WatermarkKey.of("prod-1", SECRET);
    String s = k.toString();
    assertTrue(s.contains("prod-1") && s.contains("redacted"), s);
    assertNoSecret(s, SECRET);
    assertNoSecret(k.prf("green-list/v1").toString(), SECRET);
    WatermarkKey g = WatermarkKey.generate("g");
    assertNoSecret(g.toString(), g.secret());
  }

  @Test
  void equalityComparesIdAndSecret() {
    WatermarkKey a = WatermarkKey.of("a", SECRET);
    assertEquals(a, WatermarkKey.of("a", SECRET.clone()));
    assertEquals(a.hashCode(), WatermarkKey.of("a", SECRET).hashCode());
    byte[] other = SECRET.clone();
    other[other.length - 1] ^= 1;
    assertNotEquals(a, WatermarkKey.of("a", other));
    assertNotEquals(a, WatermarkKey.of("b", SECRET));
    byte[] longer = java.util.Arrays.copyOf(SECRET, SECRET.length + 1);
    assertNotEquals(a, WatermarkKey.of("a", longer));
    assertNotEquals(a, null);
  }

  @Test
  void secretIsCopiedInAndOut() {
    byte[] s = SECRET.clone();
    WatermarkKey k = WatermarkKey.of("a", s);
    s[0] ^= 1;
    assertEquals(SECRET[0], k.secret()[0]);
    k.secret()[0] ^= 1;
    assertEquals(SECRET[0], k.secret()[0]);
  }

  @Test
  void tenantAndEpochDerivation() {
    WatermarkKey k = WatermarkKey.of("acme", SECRET);
    WatermarkKey t1 = k.forTenant("cohort-7");
    assertEquals("acme/tenant=cohort-7", t1.id());
    assertEquals(t1, WatermarkKey.of("acme", SECRET).forTenant("cohort-7"));
    assertNotEquals(HexFormat.of().formatHex(t1.secret()), HexFormat.of().formatHex(k.forTenant("cohort-8").secret()));
    WatermarkKey e = k.forEpoch(2925);
    assertEquals("acme/epoch=2925", e.id());
    assertEquals(32, e.secret().length);
    assertEquals(e, k.forEpoch(2925));
    // A tenant named like an epoch still gets a different secret (the kind is part of the label).
    assertFalse(java.util.Arrays.equals(k.forTenant("2925").secret(), e.secret()));
    assertFalse(java.util.Arrays.equals(k.secret(), e.secret()));
    assertEquals("acme/tenant=x/epoch=1", k.forTenant("x").forEpoch(1).id());
    // HMAC-SHA256(secret, "radiomark/key/v1/tenant/cohort-7"): the documented derivation.
    assertEquals(HexFormat.of().formatHex(dev.radiomark.prf.KeyedPrf.hmacSha256(SECRET,
        "radiomark/key/v1/tenant/cohort-7".getBytes(java.nio.charset.StandardCharsets.UTF_8))),
        HexFormat.of().formatHex(t1.secret()));
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> k.forEpoch(-1));
    assertTrue(x.getMessage().contains("epoch is not in [0, 2^63): -1"), x.getMessage());
    x = assertThrows(IllegalArgumentException.class, () -> k.forTenant("a b"));
    assertTrue(x.getMessage().contains("\"a b\""), x.getMessage());
  }

  @Test
  void badInputIsRefusedWithoutTheSecret() {
    byte[] shortSecret = java.util.Arrays.copyOf(SECRET, 15);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WatermarkKey.of("a", shortSecret));
    assertTrue(e.getMessage().contains("secret length is not in [16, inf) bytes: 15"), e.getMessage());
    assertNoSecret(e.getMessage(), shortSecret);
    e = assertThrows(IllegalArgumentException.class, () -> WatermarkKey.of("", SECRET));
    assertNoSecret(e.getMessage(), SECRET);
    assertThrows(IllegalArgumentException.class, () -> WatermarkKey.generate("x".repeat(201)));
  }
}
