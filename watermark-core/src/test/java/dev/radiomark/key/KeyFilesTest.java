package dev.radiomark.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.radiomark.WatermarkSpec;
import dev.radiomark.WindowRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilesTest {
  /** TEST VALUE ONLY. */
  static final byte[] SECRET = HexFormat.of().parseHex("a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7");
  static final String B64 = Base64.getEncoder().encodeToString(SECRET);

  @TempDir
  Path dir;

  static KeyFile content() {
    return new KeyFile(WatermarkKey.of("acme-2026", SECRET),
        WatermarkSpec.greenList("o200k_base", 200019).withContextWidth(4).withWindowRule(WindowRule.MIN_HASH)
            .withGamma(0.5).withDelta(3.0));
  }

  static String valid() {
    return "{\"format\":\"radiomark-key\",\"version\":1,\"key_id\":\"acme-2026\",\"secret\":\"" + B64 + "\","
        + "\"spec\":{\"scheme\":\"green-list\",\"scheme_version\":1,\"tokenizer\":\"o200k_base\",\"vocab_size\":200019,"
        + "\"context_width\":4,\"window_rule\":\"min-hash\",\"gamma\":0.5,\"delta\":3.0,\"layers\":30}}";
  }

  @Test
  void roundTripWithOwnerOnlyPermissions() throws IOException {
    Path p = dir.resolve("k.json");
    KeyFiles.write(p, content());
    KeyFile back = KeyFiles.read(p);
    assertEquals(content(), back);
    assertEquals(content().key(), back.key());
    List<String> warnings = new ArrayList<>();
    assertEquals(KeyFiles.parse("old.json", valid(), warnings::add), back);
    assertEquals(1, warnings.size());
    assertTrue(warnings.get(0).startsWith("old.json: key file version 1 has no checksum"), warnings.get(0));
    String json = Files.readString(p);
    assertTrue(json.contains("\"version\" : 2") && json.contains(back.key().fingerprint()), json);
    KeyFiles.read(p, w -> fail("a version 2 file gives no warning: " + w));
    try {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
    } catch (UnsupportedOperationException e) {
      assumeTrue(false, "not a POSIX file system");
    }
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temporary file left behind");
    }
    assertEquals(back.watermarker().windowSeed(new int[] {1, 2, 3, 4}, 4),
        content().watermarker().windowSeed(new int[] {1, 2, 3, 4}, 4));
    assertEquals("acme-2026/tenant=t1", back.forTenant("t1").key().id());
  }

  @Test
  void refusesToOverwrite() throws IOException {
    Path p = dir.resolve("k.json");
    Files.writeString(p, "precious");
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> KeyFiles.write(p, content()));
    assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
    assertEquals("precious", Files.readString(p));
    assertTrue(!e.getMessage().contains(B64.substring(0, 12)));
  }

  private void assertBad(String json, String... parts) throws IOException {
    Path p = dir.resolve("bad-" + Integer.toHexString(json.hashCode()) + ".json");
    Files.writeString(p, json);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyFiles.read(p));
    String m = e.getMessage();
    assertTrue(m.contains(p.toString()), m);
    for (String part : parts) {
      assertTrue(m.contains(part), "\"" + m + "\" lacks \"" + part + "\"");
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertTrue(t.getMessage() == null || !t.getMessage().contains(B64.substring(0, 12)), t.getMessage());
      assertTrue(t.getMessage() == null || !t.getMessage().contains(B64.substring(0, 12).replace("o", "")));
    }
  }

  @Test
  void malformedFilesAreRefusedNamingFileAndField() throws IOException {
    assertBad(valid().substring(0, 60), "malformed JSON");
    assertBad("[]", "not a JSON object");
    assertBad(valid().replace("\"version\":1", "\"version\":3"), "version", "3");
    assertBad(valid().replace("radiomark-key", "other"), "format");
    assertBad(valid().replace("\"key_id\"", "\"extra\":1,\"key_id\""), "unknown field extra");
    assertBad(valid().replace("\"layers\":30", "\"layers\":30,\"colour\":\"red\""), "unknown field spec.colour");
    assertBad(valid().replace("\"gamma\":0.5,", ""), "missing field spec.gamma");
    assertBad(valid().replace("\"secret\":\"" + B64 + "\",", ""), "missing field secret");
    assertBad(valid().replace(B64, Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(SECRET, 8))),
        "secret length", "8");
    assertBad(valid().replace(B64, B64 + "!!"), "secret is not valid base64");
    assertBad(valid().replace("\"gamma\":0.5", "\"gamma\":1.5"), "gamma is not in (0, 1): 1.5");
    assertBad(valid().replace("\"vocab_size\":200019", "\"vocab_size\":\"big\""), "vocab_size");
    assertBad(valid().replace("min-hash", "sideways"), "window rule", "sideways");
    assertBad(valid().replace("\"version\":1", "\"version\":1,\"version\":1"), "malformed JSON");
  }

  /** Before version 2, a changed character of the secret was read as another, valid key. */
  @Test
  void anyChangedCharacterIsRefused() throws IOException {
    Path p = dir.resolve("k.json");
    KeyFiles.write(p, content());
    String json = Files.readString(p);
    String b64 = Base64.getEncoder().encodeToString(SECRET);
    int at = json.indexOf(b64) + 5;
    String changedSecret = json.substring(0, at) + (json.charAt(at) == 'A' ? 'B' : 'A') + json.substring(at + 1);
    assertBad(changedSecret, "fingerprint does not match the secret");
    assertBad(json.replace("\"gamma\" : 0.5", "\"gamma\" : 0.25"), "checksum does not match");
    assertBad(json.replace("acme-2026", "acme-2027"), "checksum does not match");
    assertBad(json.replace("\"checksum\"", "\"check\""), "unknown field check");
    assertBad(json.replaceAll(",\\s*\"checksum\" : \"[0-9a-f]+\"", ""), "missing field checksum");
  }

  @Test
  void contentAfterTheObjectIsRefused() throws IOException {
    assertBad(valid() + "x", "content after the JSON object, which ends on line 1");
    assertBad(valid() + "\n{}", "content after the JSON object");
    assertEquals(content(), KeyFiles.parse("x", valid() + "\n\n", w -> { }));
  }

  @Test
  void writeAllIsAllOrNone() throws IOException {
    Map<Path, KeyFile> files = new LinkedHashMap<>();
    files.put(dir.resolve("a.json"), content());
    files.put(dir.resolve("b.json"), content().forTenant("t"));
    files.put(dir.resolve("missing/c.json"), content().forTenant("u"));
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> KeyFiles.writeAll(files));
    assertTrue(e.getMessage().contains(dir.resolve("missing/c.json").toString())
        && e.getMessage().contains("directory does not exist"), e.getMessage());
    try (var left = Files.list(dir)) {
      assertEquals(0, left.count(), "nothing is left behind");
    }
    files.remove(dir.resolve("missing/c.json"));
    Files.writeString(dir.resolve("b.json"), "precious");
    e = assertThrows(UncheckedIOException.class, () -> KeyFiles.writeAll(files));
    assertTrue(e.getMessage().contains("b.json: already exists"), e.getMessage());
    assertEquals("precious", Files.readString(dir.resolve("b.json")));
    assertTrue(Files.notExists(dir.resolve("a.json")));
    Files.delete(dir.resolve("b.json"));
    KeyFiles.writeAll(files);
    assertEquals(content().forTenant("t"), KeyFiles.read(dir.resolve("b.json")));
  }

  @Test
  void aDirectoryIsNamedAsSuch() throws IOException {
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> KeyFiles.read(dir));
    assertTrue(e.getMessage().startsWith(dir.toString()) && e.getMessage().contains("is a directory"), e.getMessage());
  }
}
