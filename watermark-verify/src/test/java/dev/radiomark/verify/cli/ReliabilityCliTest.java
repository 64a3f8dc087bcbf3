package dev.radiomark.verify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.key.KeyFile;
import dev.radiomark.key.KeyFiles;
import dev.radiomark.key.WatermarkKey;
import dev.radiomark.ledger.ServedWindowLedger;
import dev.radiomark.verify.cli.WmCommandTest.Run;
import dev.radiomark.verify.text.InputFormatException;
import dev.radiomark.verify.text.JsonlReader;
import dev.radiomark.verify.text.TextTokenizer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key files, ledgers and input edges at the command line: refused loudly, never a silent wrong verdict. */
class ReliabilityCliTest {
  private static final WatermarkSpec SPEC = WatermarkSpec.greenList("cl100k_base", 100277);
  private static final String ANSWERS = answers(30);

  @TempDir
  Path dir;

  private static String answers(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append("{\"id\": ").append(i).append(", \"prompt\": \"Tell me about rivers number ").append(i)
          .append("\", \"text\": \"Rivers carry water from high ground to the sea; river ").append(i)
          .append(" floods in spring and its delta feeds the farms along the coast.\"}\n");
    }
    return sb.toString();
  }

  private static KeyFile keyOf(String id, int fill) {
    byte[] secret = new byte[32];
    Arrays.fill(secret, (byte) fill);
    return new KeyFile(WatermarkKey.of(id, secret), SPEC);
  }

  private Path key(String name, KeyFile kf) {
    Path p = dir.resolve(name);
    KeyFiles.write(p, kf);
    return p;
  }

  private Path write(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  private Path ledger(String name, KeyFile kf, String text) {
    Watermarker wm = kf.watermarker();
    ServedWindowLedger l = ServedWindowLedger.create(wm, 1000, 0.01);
    int[] served = TextTokenizer.cl100k().encode(text);
    l.record(wm, served, 0, served.length);
    Path p = dir.resolve(name);
    l.save(p);
    return p;
  }

  private static void assertError(Run r, int code, String... parts) {
    assertEquals(code, r.code(), r.err());
    assertEquals("", r.out());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    for (String part : parts) {
      assertTrue(r.err().contains(part), "\"" + r.err() + "\" lacks \"" + part + "\"");
    }
  }

  private long files() throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.count();
    }
  }

  @Test
  void tenantNamesCannotLeaveTheOutputDirectory() throws Exception {
    Path sub = Files.createDirectory(dir.resolve("keys"));
    for (String bad : new String[] {"../escape", "a/b", "..", ".hidden", "", "x".repeat(65), "a:b"}) {
      Run r = WmCommandTest.wm("keygen", "--out", sub.resolve("k.json").toString(), "--tenant", bad);
      assertError(r, WmCommand.EXIT_USAGE, "--tenant must be 1 to 64");
    }
    assertEquals(2, files(), "nothing written, in keys/ or beside it");
    Run ok = WmCommandTest.wm("keygen", "--out", sub.resolve("k.json").toString(), "--tenant", "eu-1.a_b",
        "--scheme", "green-list", "--tokenizer", "cl100k_base");
    assertEquals(0, ok.code(), ok.err());
    assertTrue(Files.exists(sub.resolve("k.eu-1.a_b.json")));
    assertEquals(KeyFiles.read(sub.resolve("k.json")).key().fingerprint(), ok.json().get("fingerprint").asText());
  }

  @Test
  void aFailedTenantWriteLeavesNoMainKeyBehind() throws Exception {
    Files.writeString(dir.resolve("k.t2.json"), "precious");
    Run r = WmCommandTest.wm("keygen", "--out", dir.resolve("k.json").toString(), "--tenant", "t1", "--tenant", "t2");
    assertError(r, WmCommand.EXIT_IO, "k.t2.json: already exists");
    assertFalse(Files.exists(dir.resolve("k.json")), "the main key is not left behind");
    assertFalse(Files.exists(dir.resolve("k.t1.json")));
    assertEquals("precious", Files.readString(dir.resolve("k.t2.json")));
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(1, s.count(), "no temporary file either");
    }
    r = WmCommandTest.wm("keygen", "--out", dir.resolve("missing/k.json").toString());
    assertError(r, WmCommand.EXIT_IO, dir.resolve("missing/k.json").toString(), "directory does not exist");
    assertFalse(r.err().contains(".tmp"), r.err());
  }

  @Test
  void aDamagedKeyFileIsAKeyErrorNotAVerdict() throws Exception {
    KeyFile kf = keyOf("acme", 3);
    Path k = key("k.json", kf);
    String json = Files.readString(k);
    String b64 = Base64.getEncoder().encodeToString(kf.key().secret());
    int at = json.indexOf(b64) + 3;
    Files.writeString(k, json.substring(0, at) + (json.charAt(at) == 'A' ? 'B' : 'A') + json.substring(at + 1));
    Path in = write("in.jsonl", ANSWERS);
    Run r = WmCommandTest.wm("detect", "--key", k.toString(), "--input", in.toString());
    assertError(r, WmCommand.EXIT_KEY, k.toString(), "fingerprint does not match the secret");
    assertFalse(r.err().contains(b64.substring(0, 10)));
    Files.writeString(k, json + "garbage");
    assertError(WmCommandTest.wm("detect", "--key", k.toString(), "--input", in.toString()),
        WmCommand.EXIT_KEY, k.toString(), "content after the JSON object");
  }

  @Test
  void messagesNameTheFile() throws Exception {
    Path k = key("k.json", keyOf("acme", 3));
    Path wrongVocab = key("v.json", new KeyFile(WatermarkKey.of("v", new byte[32]),
        WatermarkSpec.greenList("cl100k_base", 5000)));
    Path in = write("in.jsonl", ANSWERS);
    // A folder is read for its *.jsonl files; one without any is an I/O error naming it.
    Path empty = Files.createDirectory(dir.resolve("empty"));
    Files.writeString(empty.resolve("notes.txt"), "not JSONL");
    assertError(WmCommandTest.wm("detect", "--key", k.toString(), "--input", empty.toString()),
        WmCommand.EXIT_IO, empty + ": folder has no input file (*.jsonl, not hidden)");
    assertError(WmCommandTest.wm("verify", "--key", k.toString(), "--mode", "closed", "--input", empty.toString()),
        WmCommand.EXIT_IO, empty + ": folder has no input file (*.jsonl, not hidden)");
    assertError(WmCommandTest.wm("detect", "--key", wrongVocab.toString(), "--input", in.toString()),
        WmCommand.EXIT_KEY, wrongVocab + ": tokenizer mismatch");
    assertError(WmCommandTest.wm("detect", "--key", dir.toString(), "--input", in.toString()),
        WmCommand.EXIT_KEY, dir + ": cannot read key file: is a directory");
  }

  @Test
  void ledgersAreBoundToTheKeyAndCheckedAtTheCommandLine() throws Exception {
    KeyFile kf = keyOf("acme", 3);
    Path k = key("k.json", kf);
    Path in = write("in.jsonl", ANSWERS);
    Path l1 = ledger("r1.ledger", kf, "Rivers carry water from high ground to the sea");
    Path l2 = ledger("r2.ledger", kf, "floods in spring and its delta feeds the farms along the coast.");
    Run both = WmCommandTest.wm("verify", "--key", k.toString(), "--mode", "closed", "--input", in.toString(),
        "--ledger", l1.toString(), "--ledger", l2.toString());
    assertEquals(0, both.code(), both.err());
    Run one = WmCommandTest.wm("verify", "--key", k.toString(), "--mode", "closed", "--input", in.toString(),
        "--ledger", l1.toString());
    JsonNode lb = both.json().get("results").get(0).get("ledger");
    assertEquals(kf.key().fingerprint(), lb.get("fingerprint").asText());
    assertTrue(lb.get("windows").asLong() > one.json().get("results").get(0).get("ledger").get("windows").asLong());
    assertTrue(lb.get("capacity").asLong() >= 1000 && lb.get("estimated_fpr").asDouble() < 0.01, lb.toString());
    assertTrue(both.json().get("results").get(0).get("tuples_scored").asLong()
        > one.json().get("results").get(0).get("tuples_scored").asLong(), "the second replica's windows count");

    // Same id, other secret: before, "no evidence" without a word.
    KeyFile impostor = keyOf("acme", 4);
    Path li = ledger("i.ledger", impostor, "Rivers carry water from high ground to the sea");
    assertError(WmCommandTest.wm("verify", "--key", k.toString(), "--mode", "closed", "--input", in.toString(),
        "--ledger", li.toString()), WmCommand.EXIT_KEY, "no ledger of key acme", kf.key().fingerprint());
    assertError(WmCommandTest.wm("verify", "--key", k.toString(), "--mode", "closed", "--input", in.toString(),
        "--ledger", l1.toString(), "--ledger", li.toString()), WmCommand.EXIT_KEY, "belongs to none of the --key files");

    byte[] bytes = Files.readAllBytes(l1);
    bytes[bytes.length / 2] ^= 0x10;
    Path damaged = dir.resolve("damaged.ledger");
    Files.write(damaged, bytes);
    assertError(WmCommandTest.wm("verify", "--key", k.toString(), "--mode", "closed", "--input", in.toString(),
        "--ledger", damaged.toString()), WmCommand.EXIT_KEY, damaged + ": ledger file is corrupt: checksum");
    assertError(WmCommandTest.wm("ledger", "info", damaged.toString()), WmCommand.EXIT_KEY, damaged.toString());
  }

  @Test
  void ledgerMergeAndInfo() throws Exception {
    KeyFile kf = keyOf("acme", 3);
    Path l1 = ledger("r1.ledger", kf, "Rivers carry water from high ground to the sea");
    Path l2 = ledger("r2.ledger", kf, "floods in spring and its delta feeds the farms along the coast.");
    Path out = dir.resolve("all.ledger");
    Run m = WmCommandTest.wm("ledger", "merge", "--out", out.toString(), l1.toString(), l2.toString());
    assertEquals(0, m.code(), m.err());
    ServedWindowLedger a = ServedWindowLedger.load(l1);
    ServedWindowLedger b = ServedWindowLedger.load(l2);
    ServedWindowLedger all = ServedWindowLedger.load(out);
    assertEquals(a.recordedWindows() + b.recordedWindows(), all.recordedWindows());
    assertEquals(1, all.filterCount());
    Run info = WmCommandTest.wm("ledger", "info", out.toString());
    assertEquals(0, info.code(), info.err());
    JsonNode j = info.json();
    assertEquals(kf.key().fingerprint(), j.get("fingerprint").asText());
    assertEquals(SPEC.describe(), j.get("spec").asText());
    assertEquals(all.distinctWindows(), j.get("windows").asLong());
    assertEquals(1000, j.get("capacity").asLong());
    assertEquals(1, j.get("filters").asInt());
    assertTrue(j.get("estimated_fpr").asDouble() > 0 && j.get("estimated_fpr").asDouble() < 0.01);

    // An existing --out is merged in, never replaced by less.
    Path l3 = ledger("r3.ledger", kf, "A third replica served this sentence about mountains.");
    Run again = WmCommandTest.wm("ledger", "merge", "--out", out.toString(), l3.toString());
    assertEquals(0, again.code(), again.err());
    assertTrue(again.err().contains("the existing " + out), again.err());
    assertEquals(all.recordedWindows() + ServedWindowLedger.load(l3).recordedWindows(),
        ServedWindowLedger.load(out).recordedWindows());

    Path other = ledger("o.ledger", keyOf("acme", 4), "Rivers carry water");
    byte[] before = Files.readAllBytes(out);
    assertError(WmCommandTest.wm("ledger", "merge", "--out", out.toString(), other.toString()),
        WmCommand.EXIT_KEY, "different keys");
    assertTrue(Arrays.equals(before, Files.readAllBytes(out)), "a refused merge writes nothing");
    Path otherSpec = dir.resolve("s.ledger");
    KeyFile kf2 = new KeyFile(kf.key(), SPEC.withGamma(0.5));
    ServedWindowLedger.create(kf2.watermarker(), 10, 0.01).save(otherSpec);
    assertError(WmCommandTest.wm("ledger", "merge", "--out", dir.resolve("x.ledger").toString(), l1.toString(),
        otherSpec.toString()), WmCommand.EXIT_KEY, "different specs");
    assertError(WmCommandTest.wm("ledger", "info", dir.resolve("none.ledger").toString()), WmCommand.EXIT_KEY,
        "none.ledger: cannot read ledger: no such file");
  }

  @Test
  void emptyInputIsANormalResultOverZeroRecords() throws Exception {
    Path k = key("k.json", keyOf("acme", 3));
    Path empty = write("empty.jsonl", "");
    Run d = WmCommandTest.wm("detect", "--key", k.toString(), "--input", empty.toString());
    assertEquals(0, d.code(), d.err());
    assertEquals(0, d.json().get("pooled").get("records").asInt());
    Run v = WmCommandTest.wm("verify", "--key", k.toString(), "--mode", "closed", "--input", empty.toString());
    assertEquals(0, v.code(), v.err());
    assertEquals(0, v.json().get("input_records").asInt());
    assertEquals(0, v.json().get("results").get(0).get("tuples_scored").asLong());
    Run c = WmCommandTest.wm("calibrate", "--key", k.toString(), "--input", empty.toString(), "--keys", "20",
        "--seed", "1");
    assertEquals(0, c.code(), c.err());
    assertEquals(0, c.json().get("texts").asInt());
    assertEquals(0, c.json().get("fpr_1e-2").get("count").asInt(), c.out());
  }

  @Test
  void verifyReadsStandardInput() throws Exception {
    Path k = key("k.json", keyOf("acme", 3));
    InputStream saved = System.in;
    Run r;
    try {
      System.setIn(new ByteArrayInputStream(ANSWERS.getBytes(StandardCharsets.UTF_8)));
      r = WmCommandTest.wm("verify", "--key", k.toString(), "--mode", "closed", "--input", "-");
    } finally {
      System.setIn(saved);
    }
    assertEquals(0, r.code(), r.err());
    assertEquals(30, r.json().get("input_records").asInt());
  }

  @Test
  void aLoneSurrogateInAnIdIsAnInputError() throws Exception {
    Path k = key("k.json", keyOf("acme", 3));
    Path in = write("in.jsonl", "{\"id\": \"ok\", \"text\": \"fine\"}\n{\"id\": \"a\\ud800b\", \"text\": \"fine\"}\n");
    assertError(WmCommandTest.wm("detect", "--key", k.toString(), "--input", in.toString()), WmCommand.EXIT_INPUT,
        in + ":2: \"id\" has an unpaired surrogate U+D800");
  }

  @Test
  void aStringOverTheLimitIsAnInputErrorWithItsLine() throws Exception {
    String big = "{\"text\": \"" + "a".repeat(JsonlReader.MAX_STRING_CHARS + 1) + "\"}\n";
    byte[] in = ("{\"text\": \"small\"}\n" + big).getBytes(StandardCharsets.US_ASCII);
    InputFormatException e = assertThrows(InputFormatException.class,
        () -> JsonlReader.strict("big.jsonl").readAll(new ByteArrayInputStream(in)));
    assertEquals("big.jsonl:2: a JSON value exceeds the reader's limit of 20,000,000 characters per string"
        + " (split the text into several records)", e.getMessage());
  }

  @Test
  void aVersion1LedgerIsUpgradedUnderItsKey() throws Exception {
    KeyFile kf = keyOf("acme", 3);
    Path k = key("k.json", kf);
    com.google.common.hash.BloomFilter<Long> f = com.google.common.hash.BloomFilter.create(
        com.google.common.hash.Funnels.longFunnel(), 1000, 0.01);
    f.put(42L);
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream out = new java.io.DataOutputStream(b);
    out.write("RMLEDGER".getBytes(StandardCharsets.US_ASCII));
    out.writeInt(1);
    out.writeUTF("acme");
    out.writeUTF(SPEC.describe());
    out.writeLong(1);
    f.writeTo(out);
    Path v1 = dir.resolve("old.ledger");
    Files.write(v1, b.toByteArray());
    assertError(WmCommandTest.wm("ledger", "info", v1.toString()), WmCommand.EXIT_KEY,
        "ledger format version 1 is not supported", "wm ledger upgrade");
    Path v2 = dir.resolve("new.ledger");
    Run r = WmCommandTest.wm("ledger", "upgrade", "--key", k.toString(), "--out", v2.toString(), v1.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(kf.key().fingerprint(), r.json().get("fingerprint").asText());
    assertTrue(ServedWindowLedger.load(v2).mightContain(42L));
    assertError(WmCommandTest.wm("ledger", "upgrade", "--key", k.toString(), "--out", v2.toString(), v1.toString()),
        WmCommand.EXIT_IO, "already exists");
    Path other = key("o.json", keyOf("other", 4));
    assertError(WmCommandTest.wm("ledger", "upgrade", "--key", other.toString(), "--out",
        dir.resolve("x.ledger").toString(), v1.toString()), WmCommand.EXIT_KEY, "ledger of key acme");
  }
}
