package dev.radiomark.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.TestSupport;
import dev.radiomark.Watermarker;
import dev.radiomark.key.WatermarkKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ledger files that are damaged, forged or of another key are refused, never read as "no windows". */
class LedgerIntegrityTest {
  @TempDir
  Path dir;

  private static ServedWindowLedger filled(Watermarker w, int n, long seed) {
    ServedWindowLedger l = ServedWindowLedger.create(w, 1000, 0.01);
    UniformRandomProvider rng = TestSupport.rng(seed);
    for (int i = 0; i < n; i++) {
      l.recordWindow(rng.nextLong());
    }
    return l;
  }

  private byte[] saved(ServedWindowLedger l) throws IOException {
    Path p = dir.resolve("l-" + System.nanoTime() + ".bin");
    l.save(p);
    return Files.readAllBytes(p);
  }

  /** Offset of the first filter's Guava strategy byte (docs/SPEC.md section 8). */
  private static int strategyOffset(ServedWindowLedger l) {
    return 8 + 4 + 16 + 2 + l.keyId().getBytes(StandardCharsets.UTF_8).length
        + 2 + l.specDescription().getBytes(StandardCharsets.UTF_8).length + 8 + 4 + 8 + 8 + 8;
  }

  /** Rewrites the trailing SHA-256, as a forger or a buggy writer would. */
  private static byte[] rechecksummed(byte[] b) throws Exception {
    byte[] d = MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(b, b.length - 32));
    byte[] out = b.clone();
    System.arraycopy(d, 0, out, b.length - 32, 32);
    return out;
  }

  private IllegalArgumentException refused(byte[] content, String part) throws IOException {
    Path p = dir.resolve("bad-" + System.nanoTime() + ".bin");
    Files.write(p, content);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServedWindowLedger.load(p));
    assertTrue(e.getMessage().startsWith(p.toString()) && e.getMessage().contains(part), e.getMessage());
    return e;
  }

  @Test
  void aFlippedByteAnywhereIsRefusedByTheChecksum() throws Exception {
    ServedWindowLedger l = filled(ServedWindowLedgerTest.wm(), 500, 1);
    byte[] b = saved(l);
    int strategy = strategyOffset(l);
    assertEquals(1, b[strategy], "the strategy byte is where SPEC.md says");
    // Without the checksum, a flipped strategy byte made Guava probe other bits: every window "absent".
    for (int at : new int[] {strategy, 40, b.length / 2, b.length - 33}) {
      byte[] bad = b.clone();
      bad[at] ^= 0x01;
      refused(bad, "checksum does not match");
    }
    byte[] longer = Arrays.copyOf(b, b.length + 1);
    refused(longer, "checksum does not match");
  }

  @Test
  void lengthsAreCheckedBeforeAllocating() throws Exception {
    ServedWindowLedger l = filled(ServedWindowLedgerTest.wm(), 500, 2);
    byte[] b = saved(l);
    int words = strategyOffset(l) + 2;
    // Before: Guava allocated new long[0x7fffffff] (OutOfMemoryError); the checksum is rewritten
    // so that only the length check stands between the file and the allocation.
    byte[] bad = b.clone();
    ByteBuffer.wrap(bad).putInt(words, Integer.MAX_VALUE);
    refused(rechecksummed(bad), "claims 2147483647 words");
    bad = b.clone();
    ByteBuffer.wrap(bad).putInt(words, -1);
    refused(rechecksummed(bad), "claims -1 words");
    bad = b.clone();
    bad[strategyOffset(l)] = 0;
    refused(rechecksummed(bad), "hash strategy 0");
    bad = b.clone();
    ByteBuffer.wrap(bad).putInt(words - 2 - 24 - 4, 1 << 30);
    refused(rechecksummed(bad), "filter count is not in [1, 4096]: 1073741824");
    refused(Arrays.copyOf(b, b.length - 40), "damaged or truncated");
    refused(Arrays.copyOf(b, 20), "truncated");
  }

  @Test
  void aLedgerIsBoundToTheKeyNotItsId() throws IOException {
    Watermarker w = ServedWindowLedgerTest.wm();
    // Same id, other secret: before, its ledger was accepted and the test scored no window.
    Watermarker impostor = Watermarker.of(WatermarkKey.of(w.keyId(), new byte[32]), w.spec());
    assertEquals(w.keyId(), impostor.keyId());
    assertFalse(w.keyFingerprint().equals(impostor.keyFingerprint()));
    ServedWindowLedger mine = filled(w, 10, 3);
    ServedWindowLedger theirs = ServedWindowLedger.create(impostor, 100, 0.01);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> mine.record(impostor, new int[] {1, 2, 3}, 2, 3));
    assertTrue(e.getMessage().contains(impostor.keyFingerprint()), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> mine.merge(theirs));
    assertTrue(e.getMessage().contains("different keys") && e.getMessage().contains(w.keyFingerprint()), e.getMessage());
    Path p = dir.resolve("l.bin");
    mine.save(p);
    assertEquals(w.keyFingerprint(), ServedWindowLedger.load(p).keyFingerprint());
  }

  @Test
  void fingerprintIsAPublicHmacOfTheSecret() throws Exception {
    byte[] secret = new byte[32];
    Arrays.fill(secret, (byte) 7);
    WatermarkKey k = WatermarkKey.of("k", secret);
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
    byte[] tag = mac.doFinal("radiomark key fingerprint v1".getBytes(StandardCharsets.US_ASCII));
    assertEquals(java.util.HexFormat.of().formatHex(tag, 0, 16), k.fingerprint());
    assertTrue(k.toString().contains(k.fingerprint()));
    assertFalse(k.fingerprint().equals(k.forTenant("t").fingerprint()));
  }

  /** A version 1 file as the previous release wrote it (docs/SPEC.md section 8, version 1). */
  private Path version1(Watermarker w, long[] seeds) throws IOException {
    com.google.common.hash.BloomFilter<Long> f = com.google.common.hash.BloomFilter.create(
        com.google.common.hash.Funnels.longFunnel(), 1000, 0.01);
    for (long s : seeds) {
      f.put(s);
    }
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream out = new java.io.DataOutputStream(b);
    out.write("RMLEDGER".getBytes(StandardCharsets.US_ASCII));
    out.writeInt(1);
    out.writeUTF(w.keyId());
    out.writeUTF(w.spec().describe());
    out.writeLong(seeds.length);
    f.writeTo(out);
    Path p = dir.resolve("v1-" + System.nanoTime() + ".ledger");
    Files.write(p, b.toByteArray());
    return p;
  }

  @Test
  void version1IsRefusedByLoadAndConvertedUnderANamedKey() throws IOException {
    Watermarker w = ServedWindowLedgerTest.wm();
    long[] seeds = TestSupport.rng(5).longs(500).toArray();
    Path v1 = version1(w, seeds);
    refused(Files.readAllBytes(v1), "ledger format version 1 is not supported");
    ServedWindowLedger l = ServedWindowLedger.loadVersion1(v1, w);
    assertEquals(w.keyFingerprint(), l.keyFingerprint());
    assertEquals(500, l.recordedWindows());
    assertEquals(1000, l.capacity(), 100); // inferred from the bits and the rounded hash count
    assertTrue(Math.abs(l.distinctWindows() - 500) < 10, "distinct " + l.distinctWindows());
    Path v2 = dir.resolve("v2.ledger");
    l.save(v2);
    ServedWindowLedger back = ServedWindowLedger.load(v2);
    for (long s : seeds) {
      assertTrue(back.mightContain(s));
    }
    Watermarker other = Watermarker.of(TestSupport.key(82), w.spec());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServedWindowLedger.loadVersion1(v1, other));
    assertTrue(e.getMessage().contains("ledger of key test-81"), e.getMessage());
    byte[] bad = Files.readAllBytes(v1);
    int words = 8 + 4 + 2 + w.keyId().length() + 2 + w.spec().describe().length() + 8 + 2;
    ByteBuffer.wrap(bad).putInt(words, Integer.MAX_VALUE);
    Path badPath = dir.resolve("bad-v1.ledger");
    Files.write(badPath, bad);
    e = assertThrows(IllegalArgumentException.class, () -> ServedWindowLedger.loadVersion1(badPath, w));
    assertTrue(e.getMessage().contains("2147483647 words"), e.getMessage());
  }
}
