package dev.radiomark.verify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiomark.DecodeState;
import dev.radiomark.Sampler;
import dev.radiomark.SamplingConfig;
import dev.radiomark.Watermarker;
import dev.radiomark.key.KeyFile;
import dev.radiomark.key.KeyFiles;
import dev.radiomark.ledger.ServedWindowLedger;
import dev.radiomark.verify.DetectionResult;
import dev.radiomark.verify.Detector;
import dev.radiomark.verify.radioactivity.ClosedModelTest;
import dev.radiomark.verify.text.JsonlReader;
import dev.radiomark.verify.text.TextRecord;
import dev.radiomark.verify.text.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wm scan} (Spark, local mode) against {@code wm detect} on the same input: the whole JSON
 * document must be equal, character for character, so the pooled tuple counts, scores and log10 p
 * are equal bit for bit (the document prints doubles in their shortest exact form). One shared
 * session, local[2], 4 shuffle partitions, input split in 8 KB pieces so that records, their
 * duplicates and their first occurrences land in different partitions.
 */
class ScanCommandTest {
  @TempDir
  static Path dir;

  private static SparkSession spark;
  private static Path green;
  private static Path gumbel;
  private static Path tournament;
  private static Path input;

  @BeforeAll
  static void setUp() throws Exception {
    spark = SparkSession.builder().master("local[2]").appName("ScanCommandTest")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.hadoop.mapreduce.input.fileinputformat.split.maxsize", "8192")
        .getOrCreate();
    green = keygen("green", "--scheme", "green-list", "--context-width", "2");
    gumbel = keygen("gumbel", "--scheme", "gumbel", "--context-width", "2");
    tournament = keygen("tour", "--scheme", "tournament", "--context-width", "1", "--layers", "8");
    input = dir.resolve("in.jsonl");
    Files.writeString(input, corpus(KeyFiles.read(green).watermarker(), KeyFiles.read(gumbel).watermarker(), true));
  }

  @AfterAll
  static void tearDown() {
    if (spark != null) {
      spark.stop();
    }
  }

  private static Path keygen(String id, String... spec) {
    Path p = dir.resolve(id + ".key");
    List<String> args = new ArrayList<>(List.of("keygen", "--out", p.toString(), "--id", id, "--tokenizer", "ids:1000"));
    args.addAll(List.of(spec));
    WmCommandTest.Run r = WmCommandTest.wm(args.toArray(new String[0]));
    assertEquals(0, r.code(), r.err());
    return p;
  }

  /** Watermarked ids of a uniform law over the vocabulary. */
  private static int[] watermarked(Watermarker wm, int length, long seed) {
    float[] logits = new float[wm.spec().vocabSize()];
    Sampler s = wm.sampler(SamplingConfig.defaults());
    DecodeState st = s.newState(RandomSource.XO_RO_SHI_RO_128_PP.create(seed));
    int[] buf = new int[length];
    for (int t = 0; t < length; t++) {
      buf[t] = s.sample(logits, buf, t, st);
    }
    return buf;
  }

  /**
   * Watermarked and plain records, exact and partial duplicates (tuples repeated across records),
   * prompts, a blank line and, when asked, a malformed line and a record without id.
   */
  private static String corpus(Watermarker a, Watermarker b, boolean withBad) {
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(42L);
    StringBuilder sb = new StringBuilder();
    List<int[]> texts = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      texts.add(watermarked(i % 2 == 0 ? a : b, 60 + 7 * i, i));
    }
    for (int i = 0; i < 8; i++) {
      int[] t = new int[50 + i];
      for (int j = 0; j < t.length; j++) {
        t[j] = rng.nextInt(40); // small alphabet: many repeated tuples within and across records
      }
      texts.add(t);
    }
    for (int i = 0; i < texts.size(); i++) {
      sb.append("{\"id\":\"r").append(i).append("\",");
      if (i % 3 == 0) {
        sb.append("\"prompt_tokens\":").append(Arrays.toString(Arrays.copyOf(texts.get((i + 5) % texts.size()), 6))).append(',');
      }
      sb.append("\"tokens\":").append(Arrays.toString(texts.get(i))).append("}\n");
      if (i == 4) {
        sb.append('\n');
        if (withBad) {
          sb.append("{\"tokens\": [1, 2,\n");
        }
      }
      if (i % 4 == 1) { // a later duplicate, whole or its second half
        int[] t = texts.get(i);
        int[] d = i % 8 == 1 ? t : Arrays.copyOfRange(t, t.length / 2, t.length);
        sb.append("{\"tokens\":").append(Arrays.toString(d)).append("}\n");
      }
    }
    return sb.toString();
  }

  private static WmCommandTest.Run scan(String... args) {
    List<String> a = new ArrayList<>(List.of("scan", "--master", "local[2]"));
    a.addAll(List.of(args));
    return WmCommandTest.wm(a.toArray(new String[0]));
  }

  private static String[] keys(Path... ks) {
    List<String> a = new ArrayList<>();
    for (Path k : ks) {
      a.add("--key");
      a.add(k.toString());
    }
    return a.toArray(new String[0]);
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static void assertSameDocument(String[] args) throws Exception {
    WmCommandTest.Run d = WmCommandTest.wm(concat(new String[] {"detect", "--no-canonical"}, args));
    assertEquals(0, d.code(), d.err());
    WmCommandTest.Run s = scan(args);
    assertEquals(0, s.code(), s.err());
    assertEquals(d.out(), s.out());
    JsonNode pooled = s.json().get("pooled");
    assertTrue(pooled.get("keys").get(0).get("tokens_scored").asLong() > 500, s.out());
  }

  @Test
  void integerScoresEqualDetectBitForBit() throws Exception {
    assertSameDocument(concat(keys(green, tournament), "--input", input.toString(), "--skip-bad"));
  }

  @Test
  void gumbelScoresEqualDetectBitForBitInTheTapeOrder() throws Exception {
    assertSameDocument(concat(keys(gumbel, green), "--input", input.toString(), "--skip-bad", "--alpha", "1e-3",
        "--special-token", "7"));
  }

  @Test
  void aBadLineStopsAStrictScanAsItStopsDetect() {
    WmCommandTest.Run d = WmCommandTest.wm(concat(new String[] {"detect", "--no-canonical"}, concat(keys(green), "--input", input.toString())));
    WmCommandTest.Run s = scan(concat(keys(green), "--input", input.toString()));
    assertEquals(WmCommand.EXIT_INPUT, d.code(), d.err());
    assertEquals(WmCommand.EXIT_INPUT, s.code(), s.err());
    assertEquals("", s.out());
    String where = input + ":8: malformed JSON";
    assertTrue(d.err().contains(where), d.err());
    assertTrue(s.err().startsWith("wm scan: " + where), s.err());
  }

  @Test
  void tenantSubKeysAttributeInOnePassAsDetectDoesKeyByKey() throws Exception {
    KeyFile master = KeyFiles.read(green);
    List<String> labels = new ArrayList<>();
    List<String> detectArgs = new ArrayList<>(List.of("detect", "--no-canonical"));
    for (int i = 0; i < 24; i++) {
      String t = String.format("acct-%02d", i);
      labels.add(t);
      Path p = dir.resolve("tenant-" + t + ".key");
      if (!Files.exists(p)) {
        KeyFiles.write(p, master.forTenant(t));
      }
      detectArgs.addAll(List.of("--key", p.toString()));
    }
    Path tenants = Files.write(dir.resolve("tenants.txt"), labels);
    Watermarker account = master.forTenant("acct-13").watermarker();
    Path in = Files.writeString(dir.resolve("tenant-in.jsonl"),
        corpus(account, KeyFiles.read(gumbel).watermarker(), false));
    detectArgs.addAll(List.of("--input", in.toString()));
    WmCommandTest.Run d = WmCommandTest.wm(detectArgs.toArray(new String[0]));
    assertEquals(0, d.code(), d.err());
    WmCommandTest.Run s = scan("--key", green.toString(), "--tenants", tenants.toString(), "--input", in.toString());
    assertEquals(0, s.code(), s.err());
    assertEquals(d.out(), s.out());
    // Holm over 24 keys at 1e-6: a wrongly flagged account has probability at most 1e-6 per run
    // (fixed seeds make the outcome deterministic); acct-13's six watermarked records give
    // log10 p far below -6.
    JsonNode keys = s.json().get("pooled").get("keys");
    for (JsonNode k : keys) {
      boolean carrier = k.get("key_id").asText().equals("green/tenant=acct-13");
      assertEquals(carrier ? "flagged" : "not_flagged", k.get("verdict").asText(), k.toString());
    }
  }

  @Test
  void parquetInputGivesTheResultsOfItsJsonLinesAndWritesParquet() throws Exception {
    Path jsonl = Files.writeString(dir.resolve("clean.jsonl"),
        corpus(KeyFiles.read(green).watermarker(), KeyFiles.read(tournament).watermarker(), false).replace("\n\n", "\n"));
    StructType schema = new StructType().add("id", DataTypes.StringType)
        .add("tokens", DataTypes.createArrayType(DataTypes.IntegerType))
        .add("prompt_tokens", DataTypes.createArrayType(DataTypes.IntegerType));
    List<Row> rows = new ArrayList<>();
    JsonNode recs = new com.fasterxml.jackson.databind.ObjectMapper().readTree("[" + String.join(",", Files.readAllLines(jsonl)) + "]");
    int line = 0;
    for (JsonNode r : recs) {
      line++;
      rows.add(RowFactory.create(r.has("id") ? r.get("id").asText() : "line-" + line, ints(r.get("tokens")),
          r.has("prompt_tokens") ? ints(r.get("prompt_tokens")) : null));
    }
    Path pq = dir.resolve("in.parquet");
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(pq.toString());
    WmCommandTest.Run j = scan(concat(keys(green, tournament), "--input", jsonl.toString()));
    Path out = dir.resolve("out");
    WmCommandTest.Run p = scan(concat(keys(green, tournament), "--input", pq.toString(), "--format", "parquet",
        "--out", out.toString()));
    assertEquals(0, j.code(), j.err());
    assertEquals(0, p.code(), p.err());
    assertEquals(j.out(), p.out());
    List<Row> keyRows = spark.read().parquet(out.resolve("keys").toString()).orderBy("key_index").collectAsList();
    JsonNode pooled = p.json().get("pooled").get("keys");
    for (int i = 0; i < 2; i++) {
      assertEquals(pooled.get(i).get("tokens_scored").asLong(), keyRows.get(i).getLong(2));
      assertEquals(pooled.get(i).get("log10_p").asDouble(), keyRows.get(i).getDouble(6));
    }
    assertEquals(line, spark.read().parquet(out.resolve("records").toString()).count());
    WmCommandTest.Run again = scan(concat(keys(green), "--input", pq.toString(), "--format", "parquet",
        "--out", out.toString()));
    assertEquals(WmCommand.EXIT_IO, again.code(), again.err());
    assertTrue(again.err().contains("--out: the directory exists: " + out), again.err());
  }

  /** A ledger of the windows of the watermarked texts {@code i} of {@link #corpus} in {@code served}. */
  private static Path ledger(Path key, String name, int... served) throws Exception {
    Watermarker wm = KeyFiles.read(key).watermarker();
    ServedWindowLedger l = ServedWindowLedger.create(wm, 10_000, 1e-4);
    for (int i : served) {
      l.record(wm, watermarked(wm, 60 + 7 * i, i), 0, 60 + 7 * i);
    }
    Path p = dir.resolve(name + ".ledger");
    l.save(p);
    return p;
  }

  /**
   * The supervised scan is the supervised closed test: with a budget the input does not reach,
   * {@code wm verify --mode closed --ledger} pools every tuple of the input on one tape with the
   * ledger's window filter. Tuple counts are equal for every scheme, and for integer scores (green
   * list) the score and log10 p too. A Gumbel score is summed per record, then across records, as
   * the pooled tape of {@code wm detect} sums it, while the closed test keeps one running sum: the
   * scan's Gumbel score and log10 p equal bit for bit those of a {@link Detector.Tape} fed the
   * records with the ledger filter, and the closed test's up to that rounding.
   */
  @Test
  void aLedgerScanGivesThePooledTestOfVerifyClosedWithTheLedger() throws Exception {
    Path in = Files.writeString(dir.resolve("ledger-in.jsonl"),
        corpus(KeyFiles.read(green).watermarker(), KeyFiles.read(gumbel).watermarker(), false));
    // Part of each key's texts was served (even texts are green's, odd ones gumbel's): the filter drops the rest.
    Path lg = ledger(green, "green", 0, 2, 6);
    Path lb = ledger(gumbel, "gumbel", 1, 3, 9);
    String[] ks = keys(green, gumbel);
    String[] ledgers = {"--ledger", lg.toString(), "--ledger", lb.toString()};
    WmCommandTest.Run v = WmCommandTest.wm(concat(concat(new String[] {"verify", "--mode", "closed"}, ks),
        concat(ledgers, "--input", in.toString(), "--budget", "1000000000")));
    assertEquals(0, v.code(), v.err());
    WmCommandTest.Run s = scan(concat(concat(ks, ledgers), "--input", in.toString(), "--pooled-only"));
    assertEquals(0, s.code(), s.err());
    assertTrue(s.json().get("supervised").asBoolean(), s.out());
    assertEquals(v.json().get("results").get(1).get("ledger"), s.json().get("ledgers").get(1));
    JsonNode verified = v.json().get("results");
    JsonNode scanned = s.json().get("pooled").get("keys");
    Path[] ks2 = {green, gumbel};
    Path[] ls2 = {lg, lb};
    for (int i = 0; i < 2; i++) {
      JsonNode a = verified.get(i);
      JsonNode b = scanned.get(i);
      assertEquals(false, a.get("budget_reached").asBoolean(), a.toString());
      assertEquals(a.get("key_id").asText(), b.get("key_id").asText());
      assertEquals(a.get("tuples_scored").asLong(), b.get("tokens_scored").asLong(), b.toString());
      DetectionResult tape = supervisedTape(in, KeyFiles.read(ks2[i]).watermarker(), ServedWindowLedger.load(ls2[i]));
      assertEquals(tape.tokensScored(), b.get("tokens_scored").asLong());
      assertEquals(tape.score(), b.get("score").asDouble(), 0.0, b.toString());
      assertEquals(tape.log10P(), b.get("log10_p").asDouble(), 0.0, b.toString());
      double tol = i == 0 ? 0.0 : 1e-12 * Math.abs(a.get("score").asDouble()); // i == 1: Gumbel, summation order
      assertEquals(a.get("score").asDouble(), b.get("score").asDouble(), tol, b.toString());
      assertEquals(a.get("log10_p").asDouble(), b.get("log10_p").asDouble(), i == 0 ? 0.0 : 1e-9, b.toString());
      long n = b.get("tokens_scored").asLong();
      long all = supervisedTape(in, KeyFiles.read(ks2[i]).watermarker(), null).tokensScored();
      assertTrue(n > 100 && n < all - 100, "the filter keeps served windows only: " + n + " of " + all);
    }
  }

  /** One tape, every record of a JSONL file in line order, the ledger's window filter (none if null). */
  private static DetectionResult supervisedTape(Path jsonl, Watermarker wm, ServedWindowLedger l) throws Exception {
    TextTokenizer tok = TextTokenizer.named(wm.spec().tokenizer());
    JsonlReader reader = JsonlReader.strict(jsonl.toString());
    Detector.Tape tape = Detector.of(wm).newTape();
    List<String> lines = Files.readAllLines(jsonl);
    for (int i = 0; i < lines.size(); i++) {
      byte[] b = lines.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      TextRecord r = reader.parseLine(b, b.length, i + 1);
      if (r != null) {
        tape.add(r.promptIds(tok, jsonl.toString()), r.textIds(tok, jsonl.toString()), l == null ? null : l::mightContain, null);
      }
    }
    return tape.result();
  }

  @Test
  void aSelfSeedingKeyWithALedgerIsRefusedAsVerifyRefusesIt() throws Exception {
    Path ss = keygen("self", "--scheme", "green-list", "--context-width", "2", "--window-rule", "self-seeding");
    Path l = ledger(ss, "self", 0);
    // A clean input: wm verify reads it before it builds the test that refuses the ledger.
    Path in = Files.writeString(dir.resolve("self-in.jsonl"), "{\"tokens\": [1, 2, 3, 4]}\n");
    String[] args = concat(keys(ss), "--ledger", l.toString(), "--input", in.toString());
    WmCommandTest.Run v = WmCommandTest.wm(concat(new String[] {"verify", "--mode", "closed"}, args));
    WmCommandTest.Run s = scan(args);
    assertEquals(WmCommand.EXIT_USAGE, s.code(), s.err());
    assertEquals(v.code(), s.code(), v.err());
    assertEquals("", s.out());
    assertEquals("wm scan: " + ClosedModelTest.SELF_SEEDING_LEDGER, s.err().strip());
    assertTrue(v.err().contains(ClosedModelTest.SELF_SEEDING_LEDGER), v.err());
  }

  @Test
  void everyKeyNeedsItsLedgerMatchedByFingerprint() throws Exception {
    Path lg = ledger(green, "green-only", 0);
    WmCommandTest.Run s = scan(concat(keys(green, tournament), "--ledger", lg.toString(), "--input", input.toString()));
    assertEquals(WmCommand.EXIT_KEY, s.code(), s.err());
    assertTrue(s.err().contains("--ledger: no ledger of key tour") && s.err().contains(tournament.toString()), s.err());
  }

  private static List<Integer> ints(JsonNode a) {
    List<Integer> out = new ArrayList<>();
    a.forEach(x -> out.add(x.asInt()));
    return out;
  }
}
