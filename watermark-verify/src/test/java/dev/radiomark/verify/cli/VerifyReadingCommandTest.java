package dev.radiomark.verify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.radiomark.DecodeState;
import dev.radiomark.Sampler;
import dev.radiomark.SamplingConfig;
import dev.radiomark.Watermarker;
import dev.radiomark.key.KeyFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wm verify --mode reading --model FILE.onnx}: the project's tiny ONNX causal LM (word
 * vocabulary of 1,024, a key with {@code --tokenizer ids:1024}) reads watermarked probe texts
 * given as token ids. It never trained on watermarked text, so it is not flagged.
 */
class VerifyReadingCommandTest {
  private static final Path MODEL = Path.of("src/test/resources/onnx/tiny-gpt.onnx");

  @TempDir
  Path dir;

  @Test
  void readingModeRunsAnOnnxSuspect() throws Exception {
    Path key = dir.resolve("k.key");
    assertEquals(0, WmCommandTest.wm("keygen", "--out", key.toString(), "--id", "tiny", "--tokenizer", "ids:1024").code());
    Watermarker wm = KeyFiles.read(key).watermarker();
    StringBuilder in = new StringBuilder();
    float[] logits = new float[1024];
    Sampler s = wm.sampler(SamplingConfig.defaults());
    for (int i = 0; i < 6; i++) {
      DecodeState st = s.newState(RandomSource.XO_RO_SHI_RO_128_PP.create(i));
      int[] t = new int[120];
      for (int j = 0; j < t.length; j++) {
        t[j] = s.sample(logits, t, j, st);
      }
      in.append("{\"tokens\":").append(Arrays.toString(t)).append("}\n");
    }
    Path probes = Files.writeString(dir.resolve("probes.jsonl"), in);
    WmCommandTest.Run r = WmCommandTest.wm("verify", "--key", key.toString(), "--mode", "reading",
        "--model", MODEL.toString(), "--input", probes.toString(), "--chunk", "256");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("--chunk 256 is longer than the model's context 64"), r.err());
    JsonNode doc = new ObjectMapper().readTree(r.out());
    assertEquals("reading", doc.get("mode").asText());
    assertNotEquals("flagged", doc.get("verdict").asText(), r.out());
    assertTrue(doc.get("results").get(0).get("tuples_scored").asLong() > 100, r.out());

    WmCommandTest.Run k = WmCommandTest.wm("verify", "--key", key.toString(), "--mode", "reading",
        "--model", MODEL.toString(), "--input", probes.toString(), "--top-k", "8", "--weighted");
    assertEquals(0, k.code(), k.err());
    assertNotEquals("flagged", new ObjectMapper().readTree(k.out()).get("verdict").asText(), k.out());
  }

  @Test
  void modelsThatDoNotFitAreClearErrors() throws Exception {
    Path o200k = dir.resolve("o.key");
    assertEquals(0, WmCommandTest.wm("keygen", "--out", o200k.toString(), "--id", "o").code());
    Path probes = Files.writeString(dir.resolve("p.jsonl"), "{\"text\":\"In the beginning\"}\n");
    WmCommandTest.Run r = WmCommandTest.wm("verify", "--key", o200k.toString(), "--mode", "reading",
        "--model", MODEL.toString(), "--input", probes.toString());
    assertEquals(WmCommand.EXIT_KEY, r.code(), r.err());
    assertTrue(r.err().contains("1024") && r.err().contains("200019"), r.err());
    r = WmCommandTest.wm("verify", "--key", o200k.toString(), "--mode", "reading",
        "--model", dir.resolve("missing.onnx").toString(), "--input", probes.toString());
    assertEquals(WmCommand.EXIT_IO, r.code(), r.err());
    assertTrue(r.err().contains("missing.onnx: no such model file"), r.err());
    r = WmCommandTest.wm("verify", "--key", o200k.toString(), "--mode", "closed",
        "--model", MODEL.toString(), "--input", probes.toString());
    assertEquals(WmCommand.EXIT_USAGE, r.code(), r.err());
  }
}
