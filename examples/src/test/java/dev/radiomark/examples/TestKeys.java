package dev.radiomark.examples;

import dev.radiomark.key.WatermarkKey;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Keys of tests whose assertions depend on the key (a p-value, a flag count): fixed, so that a
 * run is reproducible. Every secret made here is a TEST VALUE derived from a fixed seed; none
 * exists in main code.
 */
public final class TestKeys {
  private TestKeys() {}

  /** A key named {@code id} whose 32 secret bytes come from a generator seeded by {@code seed}. */
  public static WatermarkKey key(String id, long seed) {
    byte[] s = new byte[32];
    RandomSource.XO_RO_SHI_RO_128_PP.create(seed).nextBytes(s);
    return WatermarkKey.of(id, s);
  }
}
