package dev.radiomark.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.Watermarker;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Java serialization (a Spark broadcast of ledgers) carries the file format and its checks. */
class LedgerSerializationTest {
  @TempDir
  Path dir;

  private static byte[] serialize(Object o) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(b)) {
      out.writeObject(o);
    }
    return b.toByteArray();
  }

  private static Object deserialize(byte[] bytes) throws IOException, ClassNotFoundException {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return in.readObject();
    }
  }

  /** A ledger grown to three filters, so that every filter of the chain must travel. */
  private static ServedWindowLedger grown(Watermarker w) {
    ServedWindowLedger l = ServedWindowLedger.create(w, 100, 1e-4);
    for (long s = 0; s < 600; s++) {
      l.recordWindow(s * 0x9E3779B97F4A7C15L);
    }
    return l;
  }

  @Test
  void aSerializedLedgerHoldsTheSameWindowsKeyAndSpec() throws Exception {
    Watermarker w = ServedWindowLedgerTest.wm();
    ServedWindowLedger l = grown(w);
    assertTrue(l.filterCount() >= 3, l.toString());
    ServedWindowLedger copy = (ServedWindowLedger) deserialize(serialize(l));
    assertEquals(l.keyFingerprint(), copy.keyFingerprint());
    assertEquals(l.specDescription(), copy.specDescription());
    assertEquals(l.filterCount(), copy.filterCount());
    assertEquals(l.recordedWindows(), copy.recordedWindows());
    assertEquals(l.distinctWindows(), copy.distinctWindows());
    for (long s = 0; s < 20_000; s++) {
      long seed = s * 0x9E3779B97F4A7C15L;
      assertEquals(l.mightContain(seed), copy.mightContain(seed), "seed " + s);
    }
    // The serial form is the file format: the copy saves to the same bytes as the original.
    l.save(dir.resolve("a.ledger"));
    copy.save(dir.resolve("b.ledger"));
    assertTrue(java.util.Arrays.equals(Files.readAllBytes(dir.resolve("a.ledger")), Files.readAllBytes(dir.resolve("b.ledger"))));
  }

  @Test
  void aDamagedSerialFormIsRefusedByItsChecksum() throws Exception {
    Watermarker w = ServedWindowLedgerTest.wm();
    ServedWindowLedger l = grown(w);
    byte[] bytes = serialize(l);
    // Flip one bit well inside the filters' words (the embedded file bytes end the stream).
    bytes[bytes.length - 200] ^= 1;
    InvalidObjectException e = assertThrows(InvalidObjectException.class, () -> deserialize(bytes));
    assertTrue(e.getMessage().contains("checksum does not match"), e.getMessage());
    assertFalse(e.getMessage().isEmpty());
  }
}
