package dev.radiomark.verify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.radiomark.DecodeState;
import dev.radiomark.Sampler;
import dev.radiomark.SamplingConfig;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.key.KeyFile;
import dev.radiomark.key.KeyFiles;
import dev.radiomark.key.WatermarkKey;
import dev.radiomark.verify.text.TextTokenizer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs {@code wm} in-process with captured streams. */
class WmCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String HUMAN = "The committee met on Tuesday to review the budget for the coming year. "
      + "Several members raised concerns about the cost of repairs to the old library, which has been closed "
      + "since the spring floods. After a long discussion they agreed to ask the city for an independent "
      + "estimate before voting. The chair thanked the volunteers who had organised the book sale in March, "
      + "noting that it raised more money than any previous event. Residents who wish to comment on the plan "
      + "may write to the council office or attend the public meeting next month, where maps and drawings "
      + "of the proposed changes will be on display. Refreshments will be served after the meeting.";

  private static WatermarkSpec spec;
  static KeyFile acme;
  static KeyFile other;
  static String watermarked;

  @TempDir
  Path dir;

  record Run(int code, String out, String err) {
    JsonNode json() throws Exception {
      return JSON.readTree(out);
    }
  }

  static Run wm(String... args) {
    return wmWith(new Object[0], args);
  }

  static Run wmWith(Object[] extras, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = WmCommand.commandLine(extras);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static byte[] secret(int fill) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) fill);
    s[0] = 7;
    return s;
  }

  /**
   * Watermarked text from the real sampler in candidate mode: 50 random candidates per step with
   * random logits, drawn from whole-word tokens so that decoding and re-tokenizing mostly gives
   * the same ids back. 300 tokens at delta 4 give a green rate near 0.9 against 0.25.
   */
  @BeforeAll
  static void generate() {
    TextTokenizer tok = TextTokenizer.o200k();
    spec = WatermarkSpec.greenList(tok.name(), tok.vocabSize()).withDelta(4);
    acme = new KeyFile(WatermarkKey.of("acme", secret(1)), spec);
    other = new KeyFile(WatermarkKey.of("other", secret(2)), spec);
    List<Integer> pool = new ArrayList<>();
    for (int id = 0; id < 199_998 && pool.size() < 3000; id++) {
      String s;
      try {
        s = tok.decode(new int[] {id}, 0, 1);
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (s.matches(" [a-z]{3,9}") && Arrays.equals(tok.encode(s), new int[] {id})) {
        pool.add(id);
      }
    }
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(20261127L);
    Sampler sampler = acme.watermarker().sampler(SamplingConfig.defaults());
    DecodeState state = sampler.newState(rng);
    int n = 300;
    int[] tokens = new int[n];
    int[] ids = new int[50];
    float[] logits = new float[50];
    for (int t = 0; t < n; t++) {
      for (int j = 0; j < 50; j++) {
        int pick = rng.nextInt(pool.size() - j) + j;
        Integer a = pool.get(j);
        pool.set(j, pool.get(pick));
        pool.set(pick, a);
        ids[j] = pool.get(j);
        logits[j] = (float) (3 * rng.nextDouble());
      }
      tokens[t] = sampler.sampleCandidates(ids, logits, 50, tokens, t, state);
    }
    watermarked = tok.decode(tokens, 0, n).trim();
  }

  private Path write(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  private Path key(String name, KeyFile k) {
    Path p = dir.resolve(name);
    KeyFiles.write(p, k);
    return p;
  }

  private static String line(String id, String text) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", id);
    o.put("text", text);
    return o.toString() + "\n";
  }

  @Test
  void keygenWritesOwnerOnlyFilesAndNeverPrintsTheSecret() throws Exception {
    Path out = dir.resolve("acme.json");
    Run r = wm("keygen", "--out", out.toString(), "--tenant", "a", "--gamma", "0.5");
    assertEquals(0, r.code, r.err);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
    Path tenant = dir.resolve("acme.a.json");
    assertTrue(Files.exists(tenant));
    for (Path p : List.of(out, tenant)) {
      String secret = JSON.readTree(Files.readString(p)).get("secret").asText();
      assertFalse(r.out.contains(secret) || r.err.contains(secret), "secret printed");
    }
    JsonNode j = r.json();
    assertEquals("acme", j.get("key_id").asText());
    assertEquals(0.5, j.get("spec").get("gamma").asDouble());
    assertFalse(j.has("secret"));
    assertEquals("acme/tenant=a", j.get("tenants").get(0).get("key_id").asText());
    assertEquals("acme/tenant=a", KeyFiles.read(tenant).key().id());
    assertTrue(r.err.contains("acme"), r.err);
  }

  @Test
  void keygenDefaultsHoldPerKeyAndNarrowWindowsWarn() throws Exception {
    Run d = wm("keygen", "--out", dir.resolve("d.json").toString());
    assertEquals(0, d.code, d.err);
    JsonNode s = d.json().get("spec");
    assertEquals("green-list", s.get("scheme").asText());
    assertEquals(4, s.get("context_width").asInt());
    assertEquals("ordered", s.get("window_rule").asText());
    assertEquals(0.25, s.get("gamma").asDouble());
    assertEquals(3.0, s.get("delta").asDouble());
    assertFalse(d.err.contains("warning"), d.err);

    Run h1 = wm("keygen", "--out", dir.resolve("h1.json").toString(), "--context-width", "1");
    assertEquals(0, h1.code, h1.err);
    assertTrue(h1.err.contains("warning: with h = 1") && h1.err.contains("wm calibrate --key FILE"), h1.err);
    Run ss = wm("keygen", "--out", dir.resolve("ss.json").toString(), "--window-rule", "self-seeding");
    assertEquals(0, ss.code, ss.err);
    assertTrue(ss.err.contains("warning: with self-seeding windows"), ss.err);
    Run g = wm("keygen", "--out", dir.resolve("g.json").toString(), "--scheme", "gumbel");
    assertEquals(4, g.json().get("spec").get("context_width").asInt());
    assertFalse(g.err.contains("warning"), g.err);
  }

  @Test
  void keygenRefusesToOverwrite() throws Exception {
    Path out = write("k.json", "keep me");
    Run r = wm("keygen", "--out", out.toString(), "--id", "x");
    assertEquals(WmCommand.EXIT_IO, r.code);
    assertTrue(r.err.contains("already exists"), r.err);
    assertEquals("", r.out);
    assertEquals("keep me", Files.readString(out));
  }

  @Test
  void outOfRangeParameterIsAUsageErrorNamingIt() {
    Path out = dir.resolve("g.json");
    Run r = wm("keygen", "--out", out.toString(), "--gamma", "1.5");
    assertEquals(WmCommand.EXIT_USAGE, r.code);
    assertTrue(r.err.contains("gamma is not in (0, 1): 1.5"), r.err);
    assertEquals(1, r.err.strip().lines().count(), r.err);
    assertFalse(Files.exists(out));
  }

  @Test
  void missingOptionOrSubcommandIsAUsageError() {
    Run r = wm("detect", "--input", "x.jsonl");
    assertEquals(WmCommand.EXIT_USAGE, r.code);
    assertTrue(r.err.contains("--key"), r.err);
    assertEquals(1, r.err.strip().lines().count(), r.err);
    assertEquals(WmCommand.EXIT_USAGE, wm().code);
    assertEquals(WmCommand.EXIT_USAGE, wm("detect", "--key", "k", "--input", "x", "--alpha", "2").code);
    assertEquals(WmCommand.EXIT_USAGE, wm("keygen", "--out", "x", "--scheme", "purple").code);
    Run version = wm("--version");
    assertEquals(0, version.code);
    assertTrue(version.out.startsWith("wm (Radiomark) 0.") && !version.out.contains("unknown"), version.out);
  }

  /** Upper case, tabs and a symbol between words: flagged by default, not with --no-canonical. */
  @Test
  void detectUndoesSpellingEditsByDefault() throws Exception {
    Path k = key("acme-canonical.json", acme);
    String edited = watermarked.toUpperCase(java.util.Locale.ROOT).replace(" ", " *\t");
    Path in = write("edited.jsonl", line("edited", edited) + line("human", HUMAN.toUpperCase(java.util.Locale.ROOT)));
    Run on = wm("detect", "--key", k.toString(), "--input", in.toString());
    Run off = wm("detect", "--key", k.toString(), "--input", in.toString(), "--no-canonical");
    assertEquals(0, on.code, on.err);
    assertEquals(0, off.code, off.err);
    JsonNode a = on.json().get("records");
    JsonNode b = off.json().get("records");
    assertEquals("flagged", a.get(0).get("verdict").asText(), a.toString());
    assertEquals("not_flagged", b.get(0).get("verdict").asText(), b.toString());
    assertEquals("not_flagged", a.get(1).get("verdict").asText(), a.toString());
  }

  @Test
  void detectFindsTheWatermarkAndNotInHumanText() throws Exception {
    Path k = key("acme.json", acme);
    Path in = write("in.jsonl", line("wm", watermarked) + line("human", HUMAN) + line("empty", ""));
    Run r = wm("detect", "--key", k.toString(), "--input", in.toString(), "--segments");
    assertEquals(0, r.code, r.err);
    JsonNode j = r.json();
    assertEquals(1e-6, j.get("alpha").asDouble(), "one default alpha for detect and verify");
    JsonNode wmRec = j.get("records").get(0);
    JsonNode human = j.get("records").get(1);
    JsonNode empty = j.get("records").get(2);
    assertEquals("wm", wmRec.get("id").asText());
    assertEquals("flagged", wmRec.get("verdict").asText());
    assertTrue(wmRec.get("log10_p_corrected").asDouble() < -20, wmRec.toString());
    // One key with segments: whole text and best segment, Holm-corrected together.
    assertEquals("holm", wmRec.get("correction").asText());
    assertEquals(2, wmRec.get("family").asInt());
    assertEquals("the text carries the watermark of key acme beyond chance (corrected p <= alpha = 1.0E-6)",
        wmRec.get("statement").asText());
    JsonNode wmKey = wmRec.get("keys").get(0);
    assertEquals("flagged", wmKey.get("verdict").asText());
    assertTrue(wmKey.get("segment").get("segments_tried").asLong() >= 1);
    assertEquals(Math.min(wmKey.get("log10_p_whole_corrected").asDouble(),
        wmKey.get("segment").get("log10_p_corrected").asDouble()), wmKey.get("log10_p_corrected").asDouble(), 0.0);
    assertFalse(wmRec.has("fires") || wmKey.has("fires"), "no boolean beside the verdict");
    // Fixed key: deterministic; a fresh key would give p < 1e-3 with probability at most 1e-3.
    assertTrue(human.get("keys").get(0).get("log10_p").asDouble() > -3, human.toString());
    assertEquals("not_flagged", human.get("verdict").asText());
    assertTrue(human.get("statement").asText().startsWith("no evidence at alpha = 1.0E-6 that the text carries"),
        human.toString());
    // Nothing scored: inconclusive, never not_flagged; its rate is null.
    assertEquals("inconclusive", empty.get("verdict").asText());
    assertTrue(empty.get("keys").get(0).get("rate").isNull());
    assertEquals(3, j.get("pooled").get("records").asInt());
    assertEquals("flagged", j.get("pooled").get("verdict").asText());
    assertEquals(1, j.get("pooled").get("family").asInt());
    assertTrue(j.get("pooled").get("log10_p_corrected").asDouble() < -20);
    assertEquals(0, j.get("skipped_lines").asInt());
    assertTrue(r.err.contains("3 records (0 bad lines skipped): 1 flagged, 1 not_flagged, 1 inconclusive"), r.err);
    assertTrue(r.err.contains("pooled, key acme: ") && r.err.contains("pooled verdict: flagged: "), r.err);
    assertFalse(r.err.contains("FLAGGED"), r.err);
  }

  @Test
  void detectUnderSeveralKeysReportsHolmCorrectedP() throws Exception {
    Path k1 = key("acme.json", acme);
    Path k2 = key("other.json", other);
    Path in = write("in.jsonl", line("wm", watermarked));
    Run r = wm("detect", "--key", k1.toString(), "--key", k2.toString(), "--input", in.toString());
    assertEquals(0, r.code, r.err);
    JsonNode rec = r.json().get("records").get(0);
    JsonNode keys = rec.get("keys");
    assertEquals(2, keys.size());
    assertEquals("acme", keys.get(0).get("key_id").asText());
    assertEquals("flagged", keys.get(0).get("verdict").asText());
    assertEquals("not_flagged", keys.get(1).get("verdict").asText());
    double raw = keys.get(0).get("log10_p").asDouble();
    double corrected = keys.get(0).get("log10_p_corrected").asDouble();
    assertEquals(raw + Math.log10(2), corrected, 1e-9);
    assertEquals(corrected, rec.get("log10_p_corrected").asDouble(), 1e-9);
    assertEquals("flagged", rec.get("verdict").asText());
    assertEquals(2, rec.get("family").asInt());
    assertTrue(rec.get("statement").asText().startsWith("the text carries the watermark of key acme beyond"),
        rec.toString());
    assertEquals(2, r.json().get("pooled").get("keys").size());
    assertTrue(r.err.contains("Holm"), r.err);
  }

  /** Over many records the summary says how many flags chance alone gives (records x alpha), and not below 0.01. */
  @Test
  void detectSummaryStatesTheFlagsExpectedByChanceOverManyRecords() throws Exception {
    Path k1 = key("acme.json", acme);
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      lines.append(line("h" + i, HUMAN + " " + i));
    }
    Path in = write("many.jsonl", lines.toString());
    Run loose = wm("detect", "--key", k1.toString(), "--input", in.toString(), "--alpha", "0.001");
    assertEquals(0, loose.code, loose.err);
    assertTrue(loose.err.contains("of 40 records without the watermark, up to 0.040 are expected to be flagged by chance"),
        loose.err);
    Run strict = wm("detect", "--key", k1.toString(), "--input", in.toString());
    assertEquals(0, strict.code, strict.err);
    assertFalse(strict.err.contains("expected to be flagged by chance"), strict.err);
  }

  /**
   * The whole document and summary of a run with two keys, segments, a prompt, an empty text, a
   * pasted passage and a skipped bad line, against the recorded output of the version that held
   * every record in memory (resources/detect/expected.*). Streaming must not change one byte.
   */
  @Test
  void detectOutputMatchesTheRecordedDocument() throws Exception {
    Path k1 = key("acme.json", acme);
    Path k2 = key("other.json", other);
    String half = watermarked.substring(0, watermarked.length() / 2);
    String input = line("wm", watermarked) + line("human", HUMAN) + "{\"text\": oops}\n" + line("empty", "")
        + line("pasted", HUMAN + " " + half + " " + HUMAN)
        + "{\"id\": 7, \"prompt\": \"" + half + "\", \"text\": \"" + half + "\"}\n";
    InputStream saved = System.in;
    Run r;
    try {
      System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
      r = wm("detect", "--key", k1.toString(), "--key", k2.toString(), "--input", "-", "--segments", "--skip-bad");
    } finally {
      System.setIn(saved);
    }
    assertEquals(0, r.code, r.err);
    String golden = System.getenv("RADIOMARK_DETECT_GOLDEN");
    if (golden != null) {
      Files.writeString(Path.of(golden, "expected.json"), r.out, StandardCharsets.UTF_8);
      Files.writeString(Path.of(golden, "expected-stderr.txt"), r.err, StandardCharsets.UTF_8);
    }
    assertEquals(resource("/detect/expected.json"), r.out);
    assertEquals(resource("/detect/expected-stderr.txt"), r.err);
  }

  /** The temporary files {@code wm detect} spools its document to. */
  private static List<Path> spools() throws Exception {
    try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files.filter(p -> p.getFileName().toString().startsWith("wm-detect-")).sorted().toList();
    }
  }

  private static String resource(String name) throws Exception {
    try (InputStream in = WmCommandTest.class.getResourceAsStream(name)) {
      assertTrue(in != null, "missing test resource " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void malformedLineIsAnInputErrorWithItsLineAndNoOutput() throws Exception {
    Path k = key("acme.json", acme);
    Path in = write("in.jsonl", line("a", HUMAN) + "{\"text\": oops}\n" + line("c", HUMAN));
    List<Path> spoolsBefore = spools();
    Run r = wm("detect", "--key", k.toString(), "--input", in.toString());
    assertEquals(WmCommand.EXIT_INPUT, r.code);
    assertTrue(r.err.contains("in.jsonl:2:"), r.err);
    assertEquals(1, r.err.strip().lines().count(), r.err);
    // Record 1 was scored and spooled before line 2 failed: nothing of it reaches stdout.
    assertEquals("", r.out);
    assertEquals(spoolsBefore, spools(), "the spool file is deleted");

    Run skip = wm("detect", "--key", k.toString(), "--input", in.toString(), "--skip-bad");
    assertEquals(0, skip.code, skip.err);
    assertEquals(1, skip.json().get("skipped_lines").asInt());
    assertEquals(2, skip.json().get("records").size());
  }

  @Test
  void invalidUtf8IsAnInputError() throws Exception {
    Path k = key("acme.json", acme);
    Path in = dir.resolve("bad.jsonl");
    Files.write(in, new byte[] {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xC3, '(', '"', '}', '\n'});
    Run r = wm("detect", "--key", k.toString(), "--input", in.toString());
    assertEquals(WmCommand.EXIT_INPUT, r.code);
    assertTrue(r.err.contains("bad.jsonl:1:") && r.err.contains("UTF-8"), r.err);
    assertEquals("", r.out);
    Run text = wm("detect", "--key", k.toString(), "--input", in.toString(), "--format", "text");
    assertEquals(WmCommand.EXIT_INPUT, text.code);
  }

  @Test
  void badKeysAreKeyErrors() throws Exception {
    Path in = write("in.jsonl", line("h", HUMAN));
    Path junk = write("junk.json", "{\"format\": \"something else\"}");
    Run r = wm("detect", "--key", junk.toString(), "--input", in.toString());
    assertEquals(WmCommand.EXIT_KEY, r.code);
    assertTrue(r.err.contains("junk.json"), r.err);
    assertEquals(WmCommand.EXIT_KEY, wm("detect", "--key", dir.resolve("none.json").toString(),
        "--input", in.toString()).code);

    Path k1 = key("acme.json", acme);
    Path k2 = key("cl.json", new KeyFile(WatermarkKey.of("cl", secret(3)),
        WatermarkSpec.greenList("cl100k_base", 100277)));
    Run mismatch = wm("detect", "--key", k1.toString(), "--key", k2.toString(), "--input", in.toString());
    assertEquals(WmCommand.EXIT_KEY, mismatch.code);
    assertTrue(mismatch.err.contains("tokenizer mismatch"), mismatch.err);
    assertEquals("", mismatch.out);
  }

  @Test
  void missingInputIsAnIoError() throws Exception {
    Path k = key("acme.json", acme);
    Run r = wm("detect", "--key", k.toString(), "--input", dir.resolve("nope.jsonl").toString());
    assertEquals(WmCommand.EXIT_IO, r.code);
    assertTrue(r.err.contains("nope.jsonl"), r.err);
  }

  @Test
  void detectReadsStdin() throws Exception {
    Path k = key("acme.json", acme);
    InputStream saved = System.in;
    try {
      System.setIn(new ByteArrayInputStream(watermarked.getBytes(StandardCharsets.UTF_8)));
      Run r = wm("detect", "--key", k.toString(), "--input", "-", "--format", "text");
      assertEquals(0, r.code, r.err);
      JsonNode rec = r.json().get("records").get(0);
      assertEquals("<stdin>", rec.get("id").asText());
      assertTrue(rec.get("log10_p_corrected").asDouble() < -20 && rec.get("verdict").asText().equals("flagged"));
    } finally {
      System.setIn(saved);
    }
  }

  @Test
  void calibrateIsReproducibleWithASeed() throws Exception {
    Path in = write("human.jsonl", line("h1", HUMAN) + line("h2", HUMAN.toUpperCase(java.util.Locale.ROOT)));
    Run a = wm("calibrate", "--input", in.toString(), "--keys", "200", "--seed", "7");
    assertEquals(0, a.code, a.err);
    JsonNode j = a.json();
    assertEquals("fresh-keys", j.get("mode").asText());
    assertEquals(200, j.get("keys").asInt());
    assertEquals(2, j.get("texts").asInt());
    assertTrue(j.get("mean_tuples_scored").asDouble() > 50);
    assertTrue(j.get("ks").has("statistic") && j.get("ks").has("log10_p"));
    assertEquals(2, j.get("fpr_1e-2").get("ci").size());
    assertTrue(j.get("fpr_1e-3").get("count").asInt() <= 200);
    assertEquals(a.out, wm("calibrate", "--input", in.toString(), "--keys", "200", "--seed", "7").out);

    Path k = key("acme.json", acme);
    Run fromKey = wm("calibrate", "--input", in.toString(), "--keys", "10", "--key", k.toString());
    assertEquals(0, fromKey.code, fromKey.err);
    assertEquals(4.0, fromKey.json().get("spec").get("delta").asDouble());
    assertEquals(WmCommand.EXIT_USAGE,
        wm("calibrate", "--input", in.toString(), "--keys", "10", "--key", k.toString(), "--gamma", "0.5").code);
  }

  @Test
  void calibrateWithOnlyAKeyMeasuresThatKey() throws Exception {
    Path k = key("acme.json", acme);
    StringBuilder human = new StringBuilder();
    String[] sentences = HUMAN.split("(?<=\\.) ");
    for (int i = 0; i < sentences.length; i++) {
      human.append(line("h" + i, sentences[i]));
    }
    human.append(line("one-token", "a"));
    Run r = wm("calibrate", "--input", write("human.jsonl", human.toString()).toString(), "--key", k.toString());
    assertEquals(0, r.code, r.err);
    JsonNode j = r.json();
    assertEquals("key", j.get("mode").asText());
    assertEquals("acme", j.get("key_id").asText());
    assertEquals(sentences.length + 1, j.get("documents").asInt());
    assertEquals(1, j.get("unscored_documents").asInt(), "a one-token text has no window");
    JsonNode levels = j.get("levels");
    assertEquals(3, levels.size());
    assertEquals(1e-4, levels.get(2).get("alpha").asDouble());
    assertEquals(sentences.length, levels.get(0).get("scored").asInt());
    assertEquals(2, levels.get(0).get("ci").size());
    assertEquals("pass", j.get("result").asText(), r.err);
    assertTrue(r.err.contains("PASS"), r.err);
    assertFalse(r.out.contains("secret") || r.err.contains("secret"));

    // Texts watermarked under this very key: every one fires, the rate is provably above alpha.
    String marked = line("w1", watermarked) + line("w2", watermarked) + line("w3", watermarked);
    Run f = wm("calibrate", "--input", write("marked.jsonl", marked).toString(), "--key", k.toString());
    assertEquals(0, f.code, f.err);
    assertEquals("fail", f.json().get("result").asText());
    assertTrue(f.json().get("levels").get(2).get("above_nominal").asBoolean());
    assertTrue(f.err.contains("FAIL"), f.err);

    Run neither = wm("calibrate", "--input", write("x.jsonl", marked).toString());
    assertEquals(WmCommand.EXIT_USAGE, neither.code);
    assertTrue(neither.err.contains("--keys N") && neither.err.contains("--key FILE"), neither.err);
    assertEquals(WmCommand.EXIT_USAGE,
        wm("calibrate", "--input", write("y.jsonl", marked).toString(), "--key", k.toString(), "--seed", "1").code);
  }

  /** An added subcommand, as the examples module adds demo and generate. */
  @CommandLine.Command(name = "boom")
  static final class Boom implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Option(names = "--key-error")
    boolean keyError;

    @Override
    public Integer call() {
      if (keyError) {
        throw WmException.key("k.json: no such key", null);
      }
      throw new NullPointerException("oops");
    }
  }

  @Test
  void addedSubcommandsGetTheSameExitCodes() {
    Run internal = wmWith(new Object[] {new Boom()}, "boom");
    assertEquals(WmCommand.EXIT_INTERNAL, internal.code);
    assertTrue(internal.err.startsWith("wm boom: internal error: java.lang.NullPointerException: oops"), internal.err);
    assertTrue(internal.err.contains("please report"), internal.err);
    assertEquals(1, internal.err.strip().lines().count(), internal.err);
    Run key = wmWith(new Object[] {new Boom()}, "boom", "--key-error");
    assertEquals(WmCommand.EXIT_KEY, key.code);
    assertEquals("wm boom: k.json: no such key", key.err.strip());
  }
}
