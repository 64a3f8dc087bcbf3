package dev.radiomark.verify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.radiomark.DecodeState;
import dev.radiomark.Sampler;
import dev.radiomark.SamplingConfig;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.key.KeyFile;
import dev.radiomark.key.KeyFiles;
import dev.radiomark.key.WatermarkKey;
import dev.radiomark.verify.text.TextTokenizer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code wm verify --anytime} end to end on small files (no statistical claims). */
class VerifyAnytimeCommandTest {
  private static final WatermarkSpec SPEC = WatermarkSpec.greenList("cl100k_base", 100277).withDelta(8.0);

  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return new CommandLine(new VerifyCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute(args);
  }

  private static WatermarkKey key(String tenant) {
    byte[] secret = new byte[32];
    Arrays.fill(secret, (byte) 9);
    return WatermarkKey.of("cli-anytime", secret).forTenant(tenant);
  }

  private Path keyFile(String tenant) {
    Path p = dir.resolve(tenant + ".json");
    KeyFiles.write(p, new KeyFile(key(tenant), SPEC));
    return p;
  }

  /** Answers sampled from a flat distribution over the first 100,000 ids, watermarked with delta 8. */
  private Path watermarkedAnswers(String tenant) throws Exception {
    Watermarker wm = Watermarker.of(key(tenant), SPEC);
    Sampler s = wm.sampler(SamplingConfig.defaults());
    DecodeState st = s.newState(RandomSource.XO_RO_SHI_RO_128_PP.create(5));
    TextTokenizer tok = TextTokenizer.named("cl100k_base");
    float[] logits = new float[SPEC.vocabSize()];
    Arrays.fill(logits, 100_000, logits.length, Float.NEGATIVE_INFINITY);
    ObjectMapper json = new ObjectMapper();
    StringBuilder sb = new StringBuilder();
    int[] tokens = new int[100];
    for (int a = 0; a < 20; a++) {
      for (int len = 0; len < tokens.length; len++) {
        tokens[len] = s.sample(logits.clone(), tokens, len, st);
      }
      sb.append(json.writeValueAsString(Map.of("prompt", "", "text", tok.decode(tokens, 0, tokens.length))))
          .append('\n');
    }
    Path p = dir.resolve("answers.jsonl");
    Files.writeString(p, sb.toString(), StandardCharsets.UTF_8);
    return p;
  }

  @Test
  void anytimeReportFlagsAndStopsTheWatermarkedKeyOnly() throws Exception {
    Path input = watermarkedAnswers("a");
    int code = run("--key", keyFile("a").toString(), "--key", keyFile("b").toString(), "--mode", "closed",
        "--input", input.toString(), "--budget", "1000000", "--alpha", "0.001", "--anytime");
    assertEquals(0, code, err.toString());
    JsonNode r = new ObjectMapper().readTree(out.toString());
    JsonNode any = r.get("anytime");
    assertEquals(0.0005, any.get("stop_level").asDouble(), 1e-12);
    assertEquals("holm", any.get("correction").asText());
    assertEquals("flagged", any.get("verdict").asText());
    assertEquals("cli-anytime/tenant=a", any.get("flagged_keys").get(0).asText());
    assertEquals(1, any.get("flagged_keys").size());

    JsonNode a = r.get("results").get(0).get("anytime");
    assertTrue(a.get("stopped").asBoolean(), a.toString());
    assertTrue(a.get("log10_p").asDouble() <= Math.log10(0.0005), a.toString());
    assertEquals(a.get("tuples").asLong(), r.get("results").get(0).get("tuples_scored").asLong());
    assertTrue(r.get("results").get(0).get("budget_note").asText().contains("not a valid fixed-budget"));

    JsonNode b = r.get("results").get(1).get("anytime");
    assertFalse(b.get("stopped").asBoolean(), b.toString());
    assertEquals("inconclusive", b.get("verdict").asText(), "the input ran out before the budget");
    assertTrue(b.get("log10_p_corrected").asDouble() >= b.get("log10_p").asDouble());
    assertTrue(err.toString().contains("anytime verdict: flagged"), err.toString());
    assertTrue(err.toString().contains("is not valid"), err.toString());
  }

  @Test
  void withoutTheOptionThereIsNoAnytimeBlockAndHelpDocumentsIt() throws Exception {
    Path input = watermarkedAnswers("a");
    assertEquals(0, run("--key", keyFile("a").toString(), "--mode", "closed", "--input", input.toString(),
        "--budget", "50"), err.toString());
    JsonNode r = new ObjectMapper().readTree(out.toString());
    assertFalse(r.has("anytime"));
    assertFalse(r.get("results").get(0).has("anytime"));
    StringWriter help = new StringWriter();
    new CommandLine(new VerifyCommand()).setOut(new PrintWriter(help)).execute("--help");
    assertTrue(help.toString().contains("--anytime"), help.toString());
    assertTrue(help.toString().contains("alpha/K"), help.toString());
  }
}
