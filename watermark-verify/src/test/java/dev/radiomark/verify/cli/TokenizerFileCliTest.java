package dev.radiomark.verify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.radiomark.DecodeState;
import dev.radiomark.Sampler;
import dev.radiomark.SamplingConfig;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.key.KeyFiles;
import dev.radiomark.verify.text.TextTokenizer;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --tokenizer hf:PATH} and {@code tiktoken:PATH} at the command line: keygen records the
 * file's identity, and detect, verify and calibrate need the file again and refuse another one.
 * ({@code wm generate} drives the demo's o200k_base teacher and takes no tokenizer.)
 */
class TokenizerFileCliTest {
  @TempDir
  Path dir;

  static String fixture(String name) {
    try {
      return Path.of(TokenizerFileCliTest.class.getResource("/tokenizers/" + name).toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static final String BPE = "hf:" + fixture("tiny-bpe.json");
  static final String WORDS = "hf:" + fixture("tiny-wordlevel.json");
  static final String TIKTOKEN = "tiktoken:" + fixture("tiny.tiktoken");

  private Path keygen(String name, String... tokenizerArgs) {
    Path key = dir.resolve(name + ".key");
    String[] args = new String[4 + tokenizerArgs.length];
    args[0] = "keygen";
    args[1] = "--out";
    args[2] = key.toString();
    args[3] = "--tokenizer";
    System.arraycopy(tokenizerArgs, 0, args, 4, tokenizerArgs.length);
    WmCommandTest.Run r = WmCommandTest.wm(args);
    assertEquals(0, r.code(), r.err());
    return key;
  }

  /** Words of the WordLevel vocabulary drawn under the key (uniform logits, [UNK] excluded), joined by spaces. */
  private static String watermarkedWords(Watermarker wm, TextTokenizer tok, int length, long seed) {
    float[] logits = new float[wm.spec().vocabSize()];
    logits[0] = Float.NEGATIVE_INFINITY;
    Sampler s = wm.sampler(SamplingConfig.defaults());
    DecodeState st = s.newState(RandomSource.XO_RO_SHI_RO_128_PP.create(seed));
    int[] buf = new int[length];
    for (int t = 0; t < length; t++) {
      buf[t] = s.sample(logits, buf, t, st);
    }
    return tok.decode(buf, 0, length);
  }

  @Test
  void keygenRecordsNameFingerprintAndVocabularySize() throws Exception {
    for (String t : List.of(BPE, WORDS, TIKTOKEN)) {
      TextTokenizer tok = TextTokenizer.named(t);
      Path key = keygen("k" + tok.vocabSize(), t);
      WatermarkSpec spec = KeyFiles.read(key).spec();
      assertEquals(tok.name(), spec.tokenizer());
      assertTrue(spec.tokenizer().matches("(hf|tiktoken):tiny[-a-z]*\\.(json|tiktoken)@sha256:[0-9a-f]{64}"),
          spec.tokenizer());
      assertEquals(tok.vocabSize(), spec.vocabSize());
    }
    Path llama = keygen("llama-like", TIKTOKEN, "--special-tokens", "256");
    assertEquals(556 + 256, KeyFiles.read(llama).spec().vocabSize());
  }

  /**
   * Watermarked text under a WordLevel key is flagged by detect and verify given the file, and
   * calibrate runs on it. False-failure rate: the key is fresh (keygen draws a random secret) and
   * the sampling seeded; on uniform logits delta 3 makes a word green with probability about
   * 0.84, so about 320 of the 384 scored tuples are green (log10 p about -130 in a trial run),
   * while flagging at 1e-6 needs only about 140: a miss has probability below 1e-30.
   */
  @Test
  void everyCommandTakesTheFileAndFindsTheWatermark() throws Exception {
    Path key = keygen("w", WORDS);
    Watermarker wm = KeyFiles.read(key).watermarker();
    TextTokenizer tok = TextTokenizer.named(WORDS);
    StringBuilder in = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      in.append("{\"id\":\"w").append(i).append("\",\"text\":\"").append(watermarkedWords(wm, tok, 100, i))
          .append("\"}\n");
    }
    Path input = Files.writeString(dir.resolve("in.jsonl"), in);

    WmCommandTest.Run d = WmCommandTest.wm("detect", "--key", key.toString(), "--input", input.toString(),
        "--tokenizer", WORDS);
    assertEquals(0, d.code(), d.err());
    JsonNode doc = d.json();
    assertEquals("flagged", doc.get("pooled").get("verdict").asText(), d.out());
    assertEquals(tok.name(), doc.get("tokenizer").asText());

    WmCommandTest.Run v = WmCommandTest.wm("verify", "--key", key.toString(), "--mode", "closed",
        "--input", input.toString(), "--tokenizer", WORDS);
    assertEquals(0, v.code(), v.err());
    assertTrue(v.out().contains("\"verdict\" : \"flagged\""), v.out());

    WmCommandTest.Run c = WmCommandTest.wm("calibrate", "--key", key.toString(), "--input", input.toString(),
        "--tokenizer", WORDS);
    assertEquals(0, c.code(), c.err());
    WmCommandTest.Run fresh = WmCommandTest.wm("calibrate", "--keys", "3", "--seed", "1", "--input",
        input.toString(), "--tokenizer", WORDS);
    assertEquals(0, fresh.code(), fresh.err());
  }

  @Test
  void byteLevelKeysReadTextThroughTheirFiles() throws Exception {
    Path input = Files.writeString(dir.resolve("h.jsonl"),
        "{\"text\":\"In the beginning God created the heaven and the earth.\"}\n");
    for (String t : List.of(BPE, TIKTOKEN)) {
      Path key = keygen("b" + t.length(), t);
      WmCommandTest.Run d = WmCommandTest.wm("detect", "--key", key.toString(), "--input", input.toString(),
          "--tokenizer", t);
      assertEquals(0, d.code(), d.err());
      assertEquals(TextTokenizer.named(t).name(), d.json().get("tokenizer").asText());
      assertFalse(d.json().get("pooled").get("verdict").asText().equals("flagged"), d.out());
    }
  }

  @Test
  void anotherTokenizerIsAKeyErrorNamingBoth() throws Exception {
    Path key = keygen("m", BPE);
    Path input = Files.writeString(dir.resolve("m.jsonl"), "{\"text\":\"hello\"}\n");
    String expected = TextTokenizer.named(BPE).name();
    for (String other : List.of(WORDS, TIKTOKEN, "o200k_base")) {
      TextTokenizer got = TextTokenizer.named(other);
      for (String[] cmd : List.of(
          new String[] {"detect", "--key", key.toString(), "--input", input.toString(), "--tokenizer", other},
          new String[] {"verify", "--key", key.toString(), "--mode", "closed", "--input", input.toString(),
              "--tokenizer", other},
          new String[] {"calibrate", "--key", key.toString(), "--input", input.toString(), "--tokenizer", other})) {
        WmCommandTest.Run r = WmCommandTest.wm(cmd);
        assertEquals(WmCommand.EXIT_KEY, r.code(), cmd[0] + ": " + r.err());
        assertTrue(r.err().contains(key + ": tokenizer mismatch: key expects " + expected + " (557 tokens), got "
            + got.name() + " (" + got.vocabSize() + " tokens)"), cmd[0] + ": " + r.err());
        assertTrue(r.out().isEmpty(), r.out());
      }
    }
    // A renamed copy of the same file is the same tokenizer.
    Path copy = Files.copy(Path.of(fixture("tiny-bpe.json")), dir.resolve("copy.json"));
    WmCommandTest.Run ok = WmCommandTest.wm("detect", "--key", key.toString(), "--input", input.toString(),
        "--tokenizer", "hf:" + copy);
    assertEquals(0, ok.code(), ok.err());
  }

  /** Keys of the built-in tokenizers, written before file identities existed, read as before. */
  @Test
  void builtInKeysNeedNoTokenizerAndCheckOneGiven() throws Exception {
    Path key = dir.resolve("o.key");
    assertEquals(0, WmCommandTest.wm("keygen", "--out", key.toString()).code());
    assertEquals("o200k_base", KeyFiles.read(key).spec().tokenizer());
    Path input = Files.writeString(dir.resolve("o.jsonl"), "{\"text\":\"In the beginning\"}\n");
    assertEquals(0, WmCommandTest.wm("detect", "--key", key.toString(), "--input", input.toString()).code());
    WmCommandTest.Run same = WmCommandTest.wm("detect", "--key", key.toString(), "--input", input.toString(),
        "--tokenizer", "o200k_base");
    assertEquals(0, same.code(), same.err());
    WmCommandTest.Run other = WmCommandTest.wm("detect", "--key", key.toString(), "--input", input.toString(),
        "--tokenizer", TIKTOKEN);
    assertEquals(WmCommand.EXIT_KEY, other.code(), other.err());
    assertTrue(other.err().contains(key + ": tokenizer mismatch: key expects o200k_base (200019 tokens), got tiktoken:"),
        other.err());
  }

  @Test
  void aFileKeyWithoutTheFileSaysWhatToGive() throws Exception {
    Path key = keygen("n", TIKTOKEN);
    Path input = Files.writeString(dir.resolve("n.jsonl"), "{\"text\":\"hello\"}\n");
    WmCommandTest.Run r = WmCommandTest.wm("detect", "--key", key.toString(), "--input", input.toString());
    assertEquals(WmCommand.EXIT_USAGE, r.code(), r.err());
    assertTrue(r.err().contains(key + ": the key was made with the tokenizer file " + TextTokenizer.named(TIKTOKEN).name()
        + " (556 tokens): give it with --tokenizer tiktoken:PATH"), r.err());
  }

  /**
   * Reading mode on the ONNX test model with its own tokenizer.json: the probes are text, not
   * token ids. The model never trained on watermarked text and the probes are plain Genesis
   * verses, so the verdict must not be flagged (at alpha 1e-6 a false flag has probability at
   * most 1e-6 per fresh key).
   */
  @Test
  void readingModeReadsTextProbesThroughTheModelsTokenizer() throws Exception {
    String t = "hf:" + fixture("tiny-gpt-words.json");
    Path key = keygen("g", t);
    assertEquals(1024, KeyFiles.read(key).spec().vocabSize());
    StringBuilder in = new StringBuilder();
    try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(
        new java.util.zip.GZIPInputStream(getClass().getResourceAsStream("/corpus/kjv-sample.txt.gz")),
        java.nio.charset.StandardCharsets.UTF_8))) {
      for (int i = 0; i < 40; i++) {
        in.append("{\"text\":\"").append(r.readLine()).append("\"}\n");
      }
    }
    Path probes = Files.writeString(dir.resolve("probes.jsonl"), in);
    WmCommandTest.Run r = WmCommandTest.wm("verify", "--key", key.toString(), "--mode", "reading",
        "--model", "src/test/resources/onnx/tiny-gpt.onnx", "--input", probes.toString(), "--chunk", "64",
        "--tokenizer", t);
    assertEquals(0, r.code(), r.err());
    JsonNode doc = r.json();
    assertEquals("reading", doc.get("mode").asText());
    assertFalse(doc.get("verdict").asText().equals("flagged"), r.out());
    assertTrue(doc.get("results").get(0).get("tuples_scored").asLong() > 100, r.out());

    WmCommandTest.Run wrong = WmCommandTest.wm("verify", "--key", key.toString(), "--mode", "reading",
        "--model", "src/test/resources/onnx/tiny-gpt.onnx", "--input", probes.toString(), "--tokenizer", WORDS);
    assertEquals(WmCommand.EXIT_KEY, wrong.code(), wrong.err());
  }

  @Test
  void badTokenizerOptionsAreClearErrors() throws Exception {
    WmCommandTest.Run r = WmCommandTest.wm("keygen", "--out", dir.resolve("x.key").toString(), "--tokenizer",
        "hf:" + dir.resolve("missing.json"));
    assertEquals(WmCommand.EXIT_IO, r.code(), r.err());
    assertTrue(r.err().contains(dir.resolve("missing.json") + ": cannot read tokenizer file: no such file"), r.err());
    r = WmCommandTest.wm("keygen", "--out", dir.resolve("x.key").toString(), "--tokenizer", "hf:" + fixture("tiny.tiktoken"));
    assertEquals(WmCommand.EXIT_KEY, r.code(), r.err());
    assertTrue(r.err().contains("tiny.tiktoken: not a tokenizer.json: malformed JSON"), r.err());
    r = WmCommandTest.wm("keygen", "--out", dir.resolve("x.key").toString(), "--tokenizer", BPE, "--split-pattern", "\\w+");
    assertEquals(WmCommand.EXIT_USAGE, r.code(), r.err());
    assertTrue(r.err().contains("--split-pattern and --special-tokens apply to --tokenizer tiktoken:PATH only"), r.err());
    r = WmCommandTest.wm("keygen", "--out", dir.resolve("x.key").toString(), "--tokenizer", "sentencepiece:x");
    assertEquals(WmCommand.EXIT_USAGE, r.code(), r.err());
    assertTrue(r.err().contains("--tokenizer is not one of"), r.err());
    assertFalse(Files.exists(dir.resolve("x.key")));
  }
}
