package dev.radiomark.verify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * Token-id input: a key for a model whose tokenizer the verifier does not have
 * ({@code --tokenizer ids:SIZE}), and records that give {@code "tokens"} and
 * {@code "prompt_tokens"} instead of text, for every command that reads texts.
 */
class TokenIdInputTest {
  @TempDir
  Path dir;

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

  @Test
  void idsKeyDetectsAndVerifiesTokenRecords() throws Exception {
    Path key = dir.resolve("m.key");
    WmCommandTest.Run kg = WmCommandTest.wm("keygen", "--out", key.toString(), "--id", "model",
        "--tokenizer", "ids:1000");
    assertEquals(0, kg.code(), kg.err());
    Watermarker wm = KeyFiles.read(key).watermarker();
    assertEquals("ids:1000", wm.spec().tokenizer());
    StringBuilder in = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      int[] t = watermarked(wm, 200, i);
      in.append("{\"id\":\"a").append(i).append("\",\"prompt_tokens\":[1,2,3],\"tokens\":")
          .append(Arrays.toString(t)).append("}\n");
    }
    Path input = Files.writeString(dir.resolve("in.jsonl"), in);
    WmCommandTest.Run d = WmCommandTest.wm("detect", "--key", key.toString(), "--input", input.toString());
    assertEquals(0, d.code(), d.err());
    JsonNode doc = new ObjectMapper().readTree(d.out());
    assertEquals("flagged", doc.get("pooled").get("verdict").asText(), d.out());
    WmCommandTest.Run v = WmCommandTest.wm("verify", "--key", key.toString(), "--mode", "closed",
        "--input", input.toString());
    assertEquals(0, v.code(), v.err());
    assertTrue(v.out().contains("\"verdict\" : \"flagged\""), v.out());
    WmCommandTest.Run c = WmCommandTest.wm("calibrate", "--key", key.toString(), "--input", input.toString());
    assertEquals(0, c.code(), c.err());
  }

  @Test
  void textUnderAnIdsKeyAndOutOfRangeIdsAreInputErrors() throws Exception {
    Path key = dir.resolve("m.key");
    assertEquals(0, WmCommandTest.wm("keygen", "--out", key.toString(), "--id", "model", "--tokenizer", "ids:1000").code());
    Path text = Files.writeString(dir.resolve("t.jsonl"), "{\"text\":\"hello\"}\n");
    WmCommandTest.Run r = WmCommandTest.wm("detect", "--key", key.toString(), "--input", text.toString());
    assertEquals(WmCommand.EXIT_INPUT, r.code(), r.err());
    assertTrue(r.err().contains(text + ":1: ") && r.err().contains("give \"tokens\""), r.err());
    Path big = Files.writeString(dir.resolve("b.jsonl"), "{\"tokens\":[5,1000]}\n");
    r = WmCommandTest.wm("detect", "--key", key.toString(), "--input", big.toString());
    assertEquals(WmCommand.EXIT_INPUT, r.code(), r.err());
    assertTrue(r.err().contains(big + ":1: \"tokens\"[1] is not a token id of ids:1000, not in [0, 1000): 1000"),
        r.err());
    Path both = Files.writeString(dir.resolve("c.jsonl"), "{\"text\":\"x\",\"tokens\":[1]}\n");
    r = WmCommandTest.wm("detect", "--key", key.toString(), "--input", both.toString());
    assertEquals(WmCommand.EXIT_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("either \"text\" or \"tokens\""), r.err());
    Path neg = Files.writeString(dir.resolve("n.jsonl"), "{\"tokens\":[1,-2]}\n");
    r = WmCommandTest.wm("detect", "--key", key.toString(), "--input", neg.toString());
    assertEquals(WmCommand.EXIT_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("\"tokens\"[1] is not a token id"), r.err());
    r = WmCommandTest.wm("keygen", "--out", dir.resolve("x.key").toString(), "--tokenizer", "ids:1");
    assertEquals(WmCommand.EXIT_USAGE, r.code(), r.err());
    assertTrue(r.err().contains("ids:SIZE"), r.err());
  }

  /** Plain text read as JSONL fails with a hint; --format lines reads it one text per line. */
  @Test
  void plainTextGetsAHintAndLinesFormat() throws Exception {
    Path key = dir.resolve("o.key");
    assertEquals(0, WmCommandTest.wm("keygen", "--out", key.toString(), "--id", "o").code());
    Path in = Files.writeString(dir.resolve("p.txt"), "The first line.\nThe second line.\n");
    WmCommandTest.Run r = WmCommandTest.wm("detect", "--key", key.toString(), "--input", in.toString());
    assertEquals(WmCommand.EXIT_INPUT, r.code(), r.err());
    assertTrue(r.err().contains(in + ":1: malformed JSON") && r.err().contains("use --format text, lines or paragraphs"),
        r.err());
    r = WmCommandTest.wm("detect", "--key", key.toString(), "--input", in.toString(), "--format", "lines");
    assertEquals(0, r.code(), r.err());
    JsonNode recs = new ObjectMapper().readTree(r.out()).get("records");
    assertEquals(2, recs.size());
    assertEquals(in + ":2", recs.get(1).get("id").asText());
  }

  /** Token ids of a text key's own tokenizer are checked against its vocabulary and scored as given. */
  @Test
  void tokensUnderATextKeyAreScoredAsGiven() throws Exception {
    Path key = dir.resolve("o.key");
    assertEquals(0, WmCommandTest.wm("keygen", "--out", key.toString(), "--id", "o").code());
    Path in = Files.writeString(dir.resolve("o.jsonl"), "{\"tokens\":[100,200,300,400,500,600,700]}\n");
    WmCommandTest.Run d = WmCommandTest.wm("detect", "--key", key.toString(), "--input", in.toString());
    assertEquals(0, d.code(), d.err());
    JsonNode rec = new ObjectMapper().readTree(d.out()).get("records").get(0);
    assertEquals(7, rec.get("tokens").asInt(), d.out());
  }
}
