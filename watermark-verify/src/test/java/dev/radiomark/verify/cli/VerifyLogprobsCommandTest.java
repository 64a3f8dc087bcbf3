package dev.radiomark.verify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiomark.DecodeState;
import dev.radiomark.Sampler;
import dev.radiomark.SamplingConfig;
import dev.radiomark.Watermarker;
import dev.radiomark.key.KeyFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wm verify --mode closed --top-k K [--weighted]}: answers with the API's
 * {@code "top_logprobs"}, and the input errors it names by file and line.
 */
class VerifyLogprobsCommandTest {
  @TempDir
  Path dir;
  private Path key;
  private Watermarker wm;

  @BeforeEach
  void key() throws Exception {
    key = dir.resolve("k.key");
    assertEquals(0, WmCommandTest.wm("keygen", "--out", key.toString(), "--id", "lp", "--tokenizer", "ids:1024").code());
    wm = KeyFiles.read(key).watermarker();
  }

  /** One answer line: the tokens, and per token the list [token, token + 1] with logprobs -0.1, -3. */
  private static String line(int[] t, boolean withLogprobs) {
    StringBuilder sb = new StringBuilder("{\"tokens\":").append(java.util.Arrays.toString(t));
    if (withLogprobs) {
      sb.append(",\"top_logprobs\":[");
      for (int i = 0; i < t.length; i++) {
        sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
            "[{\"token\":%d,\"logprob\":-0.1},{\"token\":%d,\"logprob\":-3}]", t[i], (t[i] + 1) % 1024));
      }
      sb.append(']');
    }
    return sb.append("}\n").toString();
  }

  private Path answers(String name, boolean watermarked, int count) throws Exception {
    StringBuilder in = new StringBuilder();
    float[] logits = new float[1024];
    Sampler s = wm.sampler(SamplingConfig.defaults());
    UniformRandomProvider r = RandomSource.XO_RO_SHI_RO_128_PP.create(99);
    for (int i = 0; i < count; i++) {
      DecodeState st = s.newState(RandomSource.XO_RO_SHI_RO_128_PP.create(i));
      int[] t = new int[100];
      for (int j = 0; j < t.length; j++) {
        t[j] = watermarked ? s.sample(logits, t, j, st) : r.nextInt(1024);
      }
      in.append(line(t, true));
    }
    return Files.writeString(dir.resolve(name), in);
  }

  private WmCommandTest.Run verify(Path input, String... extra) {
    String[] base = {"verify", "--key", key.toString(), "--mode", "closed", "--input", input.toString()};
    String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return WmCommandTest.wm(args);
  }

  @Test
  void scoresTheAlternativesOfEachAnswer() throws Exception {
    Path marked = answers("marked.jsonl", true, 6);
    Path clean = answers("clean.jsonl", false, 6);
    WmCommandTest.Run plain = verify(marked);
    assertEquals(0, plain.code(), plain.err());
    // K = 1: the first alternative is the emitted token, so the tuples are closed mode's.
    WmCommandTest.Run top1 = verify(marked, "--top-k", "1");
    assertEquals(0, top1.code(), top1.err());
    JsonNode p = plain.json().get("results").get(0);
    JsonNode k1 = top1.json().get("results").get(0);
    assertEquals(p.get("tuples_scored").asLong(), k1.get("tuples_scored").asLong());
    assertEquals(p.get("log10_p").asDouble(), k1.get("log10_p").asDouble(), 1e-9);
    for (String[] opts : new String[][] {{"--top-k", "2"}, {"--top-k", "2", "--weighted"}}) {
      WmCommandTest.Run m = verify(marked, opts);
      assertEquals(0, m.code(), m.err());
      assertEquals("flagged", m.json().get("verdict").asText(), m.out());
      assertTrue(m.json().get("results").get(0).get("tuples_scored").asLong() > k1.get("tuples_scored").asLong());
      WmCommandTest.Run c = verify(clean, opts);
      assertEquals(0, c.code(), c.err());
      assertEquals("not_flagged", c.json().get("verdict").asText(), c.out());
    }
  }

  @Test
  void badTopLogprobsAreInputErrorsNamingFileAndLine() throws Exception {
    int[] t = {5, 6, 7};
    String good = line(t, true);
    String[][] cases = {
        {line(t, false), "--top-k in closed mode needs \"top_logprobs\" on every answer: missing"},
        {"{\"tokens\":[5,6,7],\"top_logprobs\":[[{\"token\":1,\"logprob\":-1}]]}\n",
            "\"top_logprobs\" has 1 lists but the text has 3 tokens under ids:1024"},
        {"{\"tokens\":[5],\"top_logprobs\":[[{\"token\":1,\"logprob\":0.5}]]}\n",
            "\"top_logprobs\"[0][0]: \"logprob\" is not a finite number <= 0: 0.5"},
        {"{\"tokens\":[5],\"top_logprobs\":[[{\"token\":1,\"logprob\":\"x\"}]]}\n",
            "\"logprob\" is not a finite number <= 0"},
        {"{\"tokens\":[5],\"top_logprobs\":[[{\"token\":1},{\"token\":2,\"logprob\":-1}]]}\n",
            "\"top_logprobs\"[0][0] must be an object with \"token\" and \"logprob\""},
        {"{\"tokens\":[5],\"top_logprobs\":[[{\"token\":4096,\"logprob\":-1}]]}\n",
            "\"top_logprobs\"[0][0]: \"token\" is not a token id of ids:1024, not in [0, 1024): 4096"},
        {"{\"tokens\":[5],\"top_logprobs\":[[{\"token\":-2,\"logprob\":-1}]]}\n",
            "\"token\" is not a token id (an integer in [0, 2147483647]) or a string: -2"},
        {"{\"tokens\":[5],\"top_logprobs\":[[{\"token\":\"the\",\"logprob\":-1}]]}\n",
            "the key's vocabulary ids:1024 has no tokenizer"},
        {"{\"tokens\":[5],\"top_logprobs\":[[{\"token\":3,\"logprob\":-1},{\"token\":3,\"logprob\":-2}]]}\n",
            "\"top_logprobs\"[0] lists token 3 twice"},
        {"{\"tokens\":[5],\"top_logprobs\":{\"a\":1}}\n", "\"top_logprobs\" must be an array"},
    };
    for (String[] c : cases) {
      Path in = Files.writeString(dir.resolve("bad.jsonl"), good + c[0]);
      WmCommandTest.Run r = verify(in, "--top-k", "4");
      assertEquals(WmCommand.EXIT_INPUT, r.code(), r.err());
      assertTrue(r.err().contains("bad.jsonl:2"), r.err());
      assertTrue(r.err().contains(c[1]), c[1] + " not in: " + r.err());
      assertEquals("", r.out());
    }
    // Without --top-k the field is not used (top-1 closed mode) and not checked.
    Path ok = Files.writeString(dir.resolve("ok.jsonl"), good + "{\"tokens\":[5],\"top_logprobs\":{\"a\":1}}\n");
    WmCommandTest.Run plain = verify(ok);
    assertEquals(0, plain.code(), plain.err());
    WmCommandTest.Run w = verify(ok, "--weighted");
    assertEquals(WmCommand.EXIT_USAGE, w.code(), w.err());
    assertTrue(w.err().contains("give --top-k K"), w.err());
  }
}
