package dev.radiomark.verify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.radiomark.verify.Evidence;
import dev.radiomark.verify.NullModel;
import dev.radiomark.verify.Verdict;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.key.KeyFile;
import dev.radiomark.key.KeyFiles;
import dev.radiomark.key.WatermarkKey;
import dev.radiomark.ledger.ServedWindowLedger;
import dev.radiomark.verify.radioactivity.SuspectModel;
import dev.radiomark.verify.text.TextTokenizer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code verify} subcommand end to end on small files (no statistical claims). */
class VerifyCommandTest {
  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(VerifyCommand cmd, String... args) {
    return new CommandLine(cmd).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
  }

  private Path keyFile(String name, String tenant) {
    byte[] secret = new byte[32];
    Arrays.fill(secret, (byte) 7);
    WatermarkKey k = WatermarkKey.of("cli-test", secret);
    if (tenant != null) {
      k = k.forTenant(tenant);
    }
    Path p = dir.resolve(name);
    KeyFiles.write(p, new KeyFile(k, WatermarkSpec.greenList("cl100k_base", 100277)));
    return p;
  }

  private Path input() throws Exception {
    Path p = dir.resolve("answers.jsonl");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      sb.append("{\"id\": ").append(i).append(", \"prompt\": \"Tell me about rivers number ").append(i)
          .append("\", \"text\": \"Rivers carry water from high ground to the sea; river ").append(i)
          .append(" floods in spring and its delta feeds the farms along the coast.\"}\n");
    }
    Files.writeString(p, sb.toString(), StandardCharsets.UTF_8);
    return p;
  }

  @Test
  void closedModeWritesAJsonReportAndASummary() throws Exception {
    Path k1 = keyFile("k1.json", "a");
    Path k2 = keyFile("k2.json", "b");
    int code = run(new VerifyCommand(), "--key", k1.toString(), "--key", k2.toString(), "--mode", "closed",
        "--input", input().toString(), "--budget", "20", "--alpha", "0.001");
    assertEquals(0, code, err.toString());
    JsonNode r = new ObjectMapper().readTree(out.toString());
    assertEquals("closed", r.get("mode").asText());
    assertEquals(2, r.get("key_ids").size());
    assertEquals("holm", r.get("correction").asText());
    assertTrue(r.get("curve_note").asText().contains("not a stopping rule"));
    JsonNode first = r.get("results").get(0);
    assertEquals("cli-test/tenant=a", first.get("key_id").asText());
    assertEquals(20, first.get("tuples_scored").asLong());
    assertTrue(first.get("budget_reached").asBoolean());
    assertEquals(0.25, first.get("null_rate").asDouble(), 1e-9);
    assertTrue(first.get("log10_p_corrected").asDouble() >= first.get("log10_p").asDouble());
    assertEquals(20, first.get("curve").get(first.get("curve").size() - 1).get(0).asLong());
    assertEquals(2, r.get("family").asInt());
    // Keys a and b never marked the input, and 20 tuples are enough evidence at 0.001 / 2.
    for (JsonNode x : r.get("results")) {
      assertEquals("not_flagged", x.get("verdict").asText(), x.toString());
      assertFalse(x.has("reject"), "no boolean beside the verdict");
    }
    assertEquals("not_flagged", r.get("verdict").asText());
    assertEquals(0, r.get("flagged_keys").size());
    assertFalse(r.has("learned_from"));
    String statement = r.get("statement").asText();
    assertTrue(statement.startsWith("no evidence at alpha = 0.001 that the suspect's outputs carry our watermark"),
        statement);
    assertTrue(err.toString().contains("green rate"), err.toString());
    assertTrue(err.toString().contains("verdict: not_flagged: " + statement), err.toString());
    assertFalse(err.toString().toLowerCase(java.util.Locale.ROOT).contains("learn"), err.toString());
  }

  @Test
  void supervisedWithALedger() throws Exception {
    Path k = keyFile("k.json", null);
    Watermarker wm = KeyFiles.read(k).watermarker();
    ServedWindowLedger ledger = ServedWindowLedger.create(wm, 10_000, 0.01);
    int[] served = TextTokenizer.cl100k().encode("Rivers carry water from high ground to the sea");
    ledger.record(wm, served, 0, served.length);
    Path lp = dir.resolve("ledger.bin");
    ledger.save(lp);
    int code = run(new VerifyCommand(), "--key", k.toString(), "--mode", "closed", "--input", input().toString(),
        "--ledger", lp.toString(), "--budget", "100000");
    assertEquals(0, code, err.toString());
    JsonNode r = new ObjectMapper().readTree(out.toString());
    assertTrue(r.get("supervised").asBoolean());
    JsonNode first = r.get("results").get(0);
    assertFalse(first.get("budget_reached").asBoolean());
    assertTrue(first.get("budget_note").asText().startsWith("budget not reached"));
    assertTrue(first.get("tuples_scored").asLong() > 0);
    // Default alpha 1e-6, one key: the verdict follows the evidence rule at this n.
    assertEquals(1e-6, r.get("alpha").asDouble());
    Verdict expected = Evidence.of(NullModel.of(wm.spec()), 1e-6)
        .verdict(first.get("tuples_scored").asLong(), first.get("log10_p_corrected").asDouble());
    assertEquals(expected.word(), first.get("verdict").asText());
  }

  @Test
  void readingModeWithoutAModelIsAUsageError() throws Exception {
    Path k = keyFile("k.json", null);
    int code = run(new VerifyCommand(), "--key", k.toString(), "--mode", "reading", "--input", input().toString());
    assertEquals(2, code);
    assertTrue(err.toString().contains("--mode reading needs the suspect model's weights"), err.toString());
    assertEquals("", out.toString());
  }

  @Test
  void readingModeWithASuppliedModel() throws Exception {
    SuspectModel echo = new SuspectModel() {
      @Override
      public int vocabSize() {
        return 100277;
      }

      @Override
      public void nextTokenLogits(int[][] contexts, int[] lens, int batch, float[] out) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void top1(int[][] contexts, int[] lens, int batch, int[] out) {
        for (int b = 0; b < batch; b++) {
          out[b] = contexts[b][lens[b] - 1];
        }
      }
    };
    Path k = keyFile("k.json", null);
    int code = run(new VerifyCommand(echo), "--key", k.toString(), "--mode", "reading", "--input",
        input().toString(), "--budget", "20");
    assertEquals(0, code, err.toString());
    JsonNode r = new ObjectMapper().readTree(out.toString());
    assertEquals("reading", r.get("mode").asText());
    assertEquals(20, r.get("results").get(0).get("tuples_scored").asLong());
  }

  @Test
  void userErrorsAreIllegalArguments() throws Exception {
    Path k = keyFile("k.json", null);
    VerifyCommand cmd = new VerifyCommand();
    CommandLine cl = new CommandLine(cmd);
    cl.parseArgs("--key", k.toString(), "--mode", "closed", "--input", input().toString(), "--alpha", "2");
    var e = assertThrows(IllegalArgumentException.class, cmd::call);
    assertEquals("--alpha is not in (0, 1): 2.0", e.getMessage());
    cl.parseArgs("--key", k.toString(), "--mode", "closed", "--input", dir.resolve("missing.jsonl").toString());
    WmException missing = assertThrows(WmException.class, cmd::call);
    assertEquals(WmCommand.EXIT_IO, missing.exitCode());
    assertTrue(missing.getMessage().contains("missing.jsonl: no such file"), missing.getMessage());
  }
}
