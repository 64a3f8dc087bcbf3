package dev.radiomark.verify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.hash.Hashing;
import dev.radiomark.key.KeyFile;
import dev.radiomark.key.KeyFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --report}, {@code --csv} and the stderr table of {@code wm detect} and {@code wm verify}. */
class ReportCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @BeforeAll
  static void generate() {
    if (WmCommandTest.watermarked == null) {
      WmCommandTest.generate();
    }
  }

  static Path key(Path dir, String name, KeyFile k) {
    Path p = dir.resolve(name);
    KeyFiles.write(p, k);
    return p;
  }

  static String line(String id, String text) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", id);
    o.put("text", text);
    return o.toString() + "\n";
  }

  /** The token spans of one document's block in the report. */
  static String docBlock(String html, int index) {
    int start = html.indexOf("<div class=\"doc\" id=\"doc-" + index + "\">");
    assertTrue(start >= 0, "document " + index + " is shown with tokens");
    int end = html.indexOf("<div class=\"doc\"", start + 10);
    return html.substring(start, end < 0 ? html.indexOf("<script>", start) : end);
  }

  /** The page's text with HTML's character references read back (the template escapes all user data). */
  static String unescape(String html) {
    Matcher m = Pattern.compile("&#(\\d+);").matcher(html);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(b, Matcher.quoteReplacement(Character.toString(Integer.parseInt(m.group(1)))));
    }
    m.appendTail(b);
    return b.toString().replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
  }

  static int count(String s, String needle) {
    int n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void detectReportShowsWhatWasTestedAndColoursTheTokensAsScored() throws Exception {
    Path k1 = key(dir, "acme.json", WmCommandTest.acme);
    Path k2 = key(dir, "other.json", WmCommandTest.other);
    Path in = Files.writeString(dir.resolve("in.jsonl"), line("human", WmCommandTest.HUMAN)
        + line("wm", WmCommandTest.watermarked) + line("<script>alert(1)</script>", WmCommandTest.HUMAN));
    Path html = dir.resolve("out.html");
    WmCommandTest.Run r = WmCommandTest.wm("detect", "--key", k1.toString(), "--key", k2.toString(), "--input",
        in.toString(), "--segments", "--report", html.toString());
    assertEquals(0, r.code(), r.err());
    String page = Files.readString(html);
    JsonNode doc = JSON.readTree(r.out());
    // Reports are meant to be shared: readable by everyone, unlike keys and ledgers.
    assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(html)));

    assertTrue(page.contains(Hashing.sha256().hashBytes(Files.readAllBytes(in)).toString()), "input SHA-256");
    assertTrue(page.contains(WmCommandTest.acme.watermarker().keyFingerprint()), "key fingerprint");
    assertTrue(unescape(page).contains(WmCommandTest.acme.spec().describe()), "scheme and parameters");
    assertTrue(page.contains("o200k_base"), "tokenizer");
    byte[] secret = new byte[32]; // WmCommandTest's key acme: 7, then 31 times 1
    java.util.Arrays.fill(secret, (byte) 1);
    secret[0] = 7;
    assertFalse(page.toLowerCase(java.util.Locale.ROOT).contains(HexFormat.of().formatHex(secret)), "no secret (hex)");
    assertFalse(page.contains(java.util.Base64.getEncoder().encodeToString(secret).substring(0, 40)), "no secret (base64)");
    assertFalse(page.contains(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(secret).substring(0, 40)),
        "no secret (base64url)");
    assertTrue(unescape(page).contains(doc.get("pooled").get("statement").asText()), "the verdict's sentence");
    assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "ids are HTML-escaped");
    assertFalse(page.contains("<script>alert(1)"), "no injected markup");
    assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(page).find(), "nothing fetched from a network");

    // Each shown document's green and red tokens are the tuples its own test scored under the key
    // its verdict rests on: green = the green-list score, green + red = tuples scored.
    for (int i = 0; i < 3; i++) {
      JsonNode rec = doc.get("records").get(i);
      JsonNode best = rec.get("keys").get(0);
      for (JsonNode k : rec.get("keys")) {
        if (k.get("log10_p_corrected").asDouble() < best.get("log10_p_corrected").asDouble()) {
          best = k;
        }
      }
      String block = docBlock(page, i);
      assertTrue(block.contains("under key " + best.get("key_id").asText()), block.substring(0, 200));
      int green = count(block, "<span class=\"g");
      int red = count(block, "<span class=\"r");
      assertEquals(best.get("score").asInt(), green, "record " + i);
      assertEquals(best.get("tokens_scored").asInt(), green + red, "record " + i);
    }
    // Segments are marked on the watermarked record.
    assertTrue(docBlock(page, 1).contains(" seg\""), "segment marked");
  }

  @Test
  void unscoredTokensAreExplained() throws Exception {
    Path k1 = key(dir, "acme.json", WmCommandTest.acme);
    String half = WmCommandTest.watermarked.substring(0, WmCommandTest.watermarked.length() / 2);
    String other = WmCommandTest.watermarked.substring(WmCommandTest.watermarked.length() / 2);
    // Record 0: its prompt is its text's first half (prompt windows). Record 1: its text says the
    // same passage twice (repeats). The special token is the passage's first token.
    String recs = "{\"id\":\"p\",\"prompt\":" + JSON.writeValueAsString(half) + ",\"text\":"
        + JSON.writeValueAsString(half + other) + "}\n" + line("twice", other + other);
    Path in = Files.writeString(dir.resolve("in.jsonl"), recs);
    Path html = dir.resolve("out.html");
    WmCommandTest.Run r = WmCommandTest.wm("detect", "--key", k1.toString(), "--input", in.toString(), "--report",
        html.toString(), "--special-token", Integer.toString(TokenSpecial.firstToken(other)));
    assertEquals(0, r.code(), r.err());
    String page = Files.readString(html);
    JsonNode records = JSON.readTree(r.out()).get("records");
    for (int i = 0; i < 2; i++) {
      String block = docBlock(page, i);
      JsonNode k = records.get(i).get("keys").get(0);
      assertEquals(k.get("tokens_scored").asInt(), count(block, "<span class=\"g") + count(block, "<span class=\"r"));
    }
    String prompted = docBlock(page, 0);
    String twice = docBlock(page, 1);
    int half0 = TextTokenizerHolder.O200K.encode(half).length;
    assertTrue(count(prompted, "class=\"up\"") >= half0 - 2, "the prompt's passage: " + count(prompted, "class=\"up\""));
    assertTrue(count(twice, "class=\"ur\"") >= TextTokenizerHolder.O200K.encode(other).length - 4,
        "the second copy repeats the first: " + count(twice, "class=\"ur\""));
    assertEquals(0, count(twice, "class=\"up\""), "no prompt");
    assertTrue(count(twice, "class=\"us\"") >= 2, "the special token, in each copy");
  }

  /** The key's tokenizer. */
  static final class TextTokenizerHolder {
    static final dev.radiomark.verify.text.TextTokenizer O200K = dev.radiomark.verify.text.TextTokenizer.o200k();
  }

  @Test
  void failedRunWritesNoReportAndKeepsTheOldOne() throws Exception {
    Path k1 = key(dir, "acme.json", WmCommandTest.acme);
    Path in = Files.writeString(dir.resolve("in.jsonl"), line("a", WmCommandTest.HUMAN) + "{broken\n");
    Path html = Files.writeString(dir.resolve("out.html"), "old");
    WmCommandTest.Run r = WmCommandTest.wm("detect", "--key", k1.toString(), "--input", in.toString(), "--report",
        html.toString());
    assertEquals(WmCommand.EXIT_INPUT, r.code(), r.err());
    assertEquals("old", Files.readString(html));
    try (var s = Files.list(dir)) {
      assertEquals(3, s.count(), "key, input, the old report: no temporary file");
    }
  }

  @Test
  void reportInAMissingDirectoryIsAnIoErrorNamingIt() throws Exception {
    Path k1 = key(dir, "acme.json", WmCommandTest.acme);
    Path in = Files.writeString(dir.resolve("in.jsonl"), line("a", WmCommandTest.HUMAN));
    Path html = dir.resolve("missing").resolve("out.html");
    WmCommandTest.Run r = WmCommandTest.wm("detect", "--key", k1.toString(), "--input", in.toString(), "--report",
        html.toString());
    assertEquals(WmCommand.EXIT_IO, r.code(), r.err());
    assertTrue(r.err().contains("cannot write " + html + ": directory does not exist"), r.err());
    assertEquals("", r.out(), "nothing on stdout");
  }

  @Test
  void reportIsBoundedAndSaysSo() throws Exception {
    Path k1 = key(dir, "acme.json", WmCommandTest.acme);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      b.append(line("h" + i, WmCommandTest.HUMAN.substring(0, 80 + i)));
    }
    b.append(line("late-wm", WmCommandTest.watermarked));
    Path in = Files.writeString(dir.resolve("in.jsonl"), b.toString());
    Path html = dir.resolve("out.html");
    WmCommandTest.Run r = WmCommandTest.wm("detect", "--key", k1.toString(), "--input", in.toString(), "--report",
        html.toString(), "--table", "3");
    assertEquals(0, r.code(), r.err());
    String page = Files.readString(html);
    int shown = count(page, "<div class=\"doc\"");
    assertEquals(2 * dev.radiomark.verify.report.HtmlReport.TOKEN_DOCS, shown);
    assertTrue(page.contains("id=\"doc-40\""), "the most significant document is shown although it came last");
    assertTrue(page.contains("Tokens of 20 of 41 documents"), "the page says what it left out");
    // stderr: three rows, then the count of the rest
    assertTrue(r.err().contains("  ... and 38 more; see --csv/--report"), r.err());
    assertEquals(3, r.err().lines().filter(l -> l.startsWith("  h")).count(), r.err());
  }

  @Test
  void verifyWritesCsvPerAnswerAndKeyAndAReport() throws Exception {
    Path k1 = key(dir, "acme.json", WmCommandTest.acme);
    Path k2 = key(dir, "other.json", WmCommandTest.other);
    Path in = Files.writeString(dir.resolve("answers.jsonl"), line("a1", WmCommandTest.watermarked)
        + line("a2", WmCommandTest.HUMAN) + line("a3", WmCommandTest.watermarked.substring(0, 400)));
    Path csv = dir.resolve("v.csv");
    Path html = dir.resolve("v.html");
    WmCommandTest.Run r = WmCommandTest.wm("verify", "--mode", "closed", "--key", k1.toString(), "--key",
        k2.toString(), "--input", in.toString(), "--budget", "200", "--csv", csv.toString(), "--report",
        html.toString());
    assertEquals(0, r.code(), r.err());
    List<String> rows = Files.readAllLines(csv, StandardCharsets.UTF_8);
    assertEquals(1 + 3 * 2, rows.size(), rows.toString());
    assertTrue(rows.get(1).startsWith("a1,1,") && rows.get(1).contains(",acme,"), rows.get(1));
    assertTrue(rows.get(2).startsWith("a1,1,") && rows.get(2).contains(",other,"), rows.get(2));
    String page = Files.readString(html);
    JsonNode doc = JSON.readTree(r.out());
    assertTrue(unescape(page).contains(doc.get("statement").asText()), "the radioactivity verdict's sentence");
    assertTrue(page.contains("closed mode"), "mode");
    Matcher m = Pattern.compile("<polyline class=\"key-curve\"[^>]*points=\"([^\"]*)\"").matcher(page);
    int curves = 0;
    while (m.find()) {
      curves++;
      assertEquals(1 + doc.get("results").get(curves - 1).get("curve").size(), m.group(1).trim().split(" ").length,
          "one vertex per curve point, plus the origin");
    }
    assertEquals(2, curves);
  }

  @Test
  void readingModeReportHasTheVerdictAndNoPerRecordSection() throws Exception {
    Path key = dir.resolve("k.key");
    assertEquals(0, WmCommandTest.wm("keygen", "--out", key.toString(), "--id", "tiny", "--tokenizer", "ids:1024").code());
    dev.radiomark.Watermarker w = KeyFiles.read(key).watermarker();
    dev.radiomark.Sampler s = w.sampler(dev.radiomark.SamplingConfig.defaults());
    StringBuilder in = new StringBuilder();
    float[] logits = new float[1024];
    for (int i = 0; i < 3; i++) {
      dev.radiomark.DecodeState st = s.newState(org.apache.commons.rng.simple.RandomSource.XO_RO_SHI_RO_128_PP.create(i));
      int[] t = new int[100];
      for (int j = 0; j < t.length; j++) {
        t[j] = s.sample(logits, t, j, st);
      }
      in.append("{\"tokens\":").append(java.util.Arrays.toString(t)).append("}\n");
    }
    Path probes = Files.writeString(dir.resolve("probes.jsonl"), in);
    Path html = dir.resolve("r.html");
    WmCommandTest.Run r = WmCommandTest.wm("verify", "--key", key.toString(), "--mode", "reading", "--model",
        "src/test/resources/onnx/tiny-gpt.onnx", "--input", probes.toString(), "--chunk", "64", "--report",
        html.toString());
    assertEquals(0, r.code(), r.err());
    String page = unescape(Files.readString(html));
    JsonNode doc = JSON.readTree(r.out());
    assertTrue(page.contains(doc.get("statement").asText()), "the reading-mode sentence");
    assertTrue(page.contains("(reading mode)"), "mode");
    assertFalse(page.contains("<table id=\"documents\""), "no per-record table in reading mode");
    assertTrue(page.contains("no per-document results"), "and the page says why");
  }

  @Test
  void verifyCsvIsRefusedInReadingMode() {
    WmCommandTest.Run r = WmCommandTest.wm("verify", "--mode", "reading", "--key", "k", "--input", "x", "--model",
        "m.onnx", "--csv", "out.csv");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--csv applies to --mode closed only"), r.err());
  }

  /** The first token id of a text, as the key's tokenizer reads it. */
  static final class TokenSpecial {
    static int firstToken(String s) {
      return dev.radiomark.verify.text.TextTokenizer.o200k().encode(s)[0];
    }
  }
}
