package dev.radiomark.verify.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokenizers loaded from files: hf:PATH (tokenizer.json through DJL) and tiktoken:PATH (jtokkit). */
class TokenizerFilesTest {

  static Path fixture(String name) {
    try {
      return Path.of(TokenizerFilesTest.class.getResource("/tokenizers/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(Path p) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
  }

  private static final List<String> CORPUS = TokenizerFixtures.corpus();

  @Test
  void committedFixturesAreWhatTheGeneratorMakes() throws IOException {
    for (Map.Entry<String, byte[]> e : TokenizerFixtures.make().entrySet()) {
      assertArrayEquals(e.getValue(), Files.readAllBytes(fixture(e.getKey())),
          e.getKey() + " differs from TokenizerFixtures.make(): regenerate it with TokenizerFixtures.main");
    }
  }

  @Test
  void namesAreKindFileNameAndContentFingerprint() throws Exception {
    TextTokenizer bpe = TextTokenizer.named("hf:" + fixture("tiny-bpe.json"));
    assertEquals("hf:tiny-bpe.json@sha256:" + sha256(fixture("tiny-bpe.json")), bpe.name());
    TextTokenizer tt = TextTokenizer.named("tiktoken:" + fixture("tiny.tiktoken"));
    assertEquals("tiktoken:tiny.tiktoken@sha256:" + sha256(fixture("tiny.tiktoken")), tt.name());
    assertTrue(TextTokenizer.isFileIdentity(bpe.name()));
    assertFalse(TextTokenizer.isFileIdentity("o200k_base"));
    assertFalse(TextTokenizer.isFileIdentity("hf:" + fixture("tiny-bpe.json")));
  }

  /** The vocabulary size is the largest id of the file plus one, read here independently of the loader. */
  @Test
  void vocabularySizesAreTheLargestIdPlusOne() throws IOException {
    JsonNode bpe = new ObjectMapper().readTree(fixture("tiny-bpe.json").toFile());
    int max = 0;
    for (JsonNode id : bpe.path("model").path("vocab")) {
      max = Math.max(max, id.intValue());
    }
    for (JsonNode t : bpe.path("added_tokens")) {
      max = Math.max(max, t.path("id").intValue());
    }
    assertEquals(max + 1, TextTokenizer.huggingFace(fixture("tiny-bpe.json")).vocabSize());
    assertEquals(TokenizerFixtures.WORDS + 1, TextTokenizer.huggingFace(fixture("tiny-wordlevel.json")).vocabSize());
    long ranks = Files.readAllLines(fixture("tiny.tiktoken")).size();
    assertEquals(ranks, TextTokenizer.tiktoken(fixture("tiny.tiktoken")).vocabSize());
    assertEquals(ranks + 256,
        TextTokenizer.tiktoken(fixture("tiny.tiktoken"), TextTokenizer.LLAMA3_SPLIT_PATTERN, 256).vocabSize());
  }

  @Test
  void byteLevelTokenizersRoundTripTheCorpus() {
    for (TextTokenizer tok : List.of(TextTokenizer.huggingFace(fixture("tiny-bpe.json")),
        TextTokenizer.tiktoken(fixture("tiny.tiktoken")))) {
      for (String line : CORPUS.subList(0, 500)) {
        int[] ids = tok.encode(line);
        assertTrue(ids.length < line.getBytes(StandardCharsets.UTF_8).length, tok + " merged nothing in: " + line);
        assertEquals(line, tok.decode(ids, 0, ids.length), tok.name());
      }
      String nonAscii = "Grüße, 東京 🙂\tand\r\nCRLF";
      int[] ids = tok.encode(nonAscii);
      assertEquals(nonAscii, tok.decode(ids, 0, ids.length), tok.name());
    }
  }

  /**
   * Two independent engines on one vocabulary: the Rust tokenizers library (through DJL) on the
   * byte-level BPE tokenizer.json and jtokkit on the same vocabulary as a rank file, split with the
   * same GPT-2 pattern, give the same ids on every corpus verse.
   */
  @Test
  void rustAndJtokkitAgreeOnTheSameVocabulary() {
    TextTokenizer hf = TextTokenizer.huggingFace(fixture("tiny-bpe.json"));
    TextTokenizer tt = TextTokenizer.tiktoken(fixture("tiny.tiktoken"), TokenizerFixtures.GPT2_SPLIT, 0);
    for (String line : CORPUS) {
      assertArrayEquals(hf.encode(line), tt.encode(line), line);
    }
  }

  @Test
  void wordLevelMapsWordsToTheirIdsAndUnknownsToUnk() throws IOException {
    JsonNode vocab = new ObjectMapper().readTree(fixture("tiny-wordlevel.json").toFile()).path("model").path("vocab");
    TextTokenizer tok = TextTokenizer.huggingFace(fixture("tiny-wordlevel.json"));
    int[] ids = tok.encode("And God said, Xylophone");
    assertArrayEquals(new int[] {vocab.get("And").intValue(), vocab.get("God").intValue(),
        vocab.get("said").intValue(), vocab.get(",").intValue(), 0}, ids);
    assertEquals("And God said , [UNK]", tok.decode(ids, 0, ids.length));
  }

  /** The ONNX test model's tokenizer.json encodes as make_onnx_fixture.py's words() and index do. */
  @Test
  void theOnnxModelsTokenizerJsonMatchesItsTrainingScript() throws IOException {
    JsonNode words = new ObjectMapper().readTree(TokenizerFilesTest.class.getResource("/onnx/vocab.json"));
    Map<String, Integer> index = new java.util.HashMap<>();
    for (int i = 0; i < words.size(); i++) {
      index.put(words.get(i).asText(), i);
    }
    TextTokenizer tok = TextTokenizer.huggingFace(fixture(TokenizerFixtures.GPT_WORDS));
    assertEquals(1024, tok.vocabSize());
    java.util.regex.Pattern split = java.util.regex.Pattern.compile("[a-z]+|[^\\sa-z]");
    int unknown = 0;
    for (String line : CORPUS.subList(0, 1500)) {
      java.util.regex.Matcher m = split.matcher(line.toLowerCase(java.util.Locale.ROOT));
      java.util.List<Integer> expected = new java.util.ArrayList<>();
      while (m.find()) {
        expected.add(index.getOrDefault(m.group(), 1));
      }
      unknown += java.util.Collections.frequency(expected, 1);
      assertEquals(expected, java.util.Arrays.stream(tok.encode(line)).boxed().toList(), line);
    }
    assertTrue(unknown > 0, "no unknown word exercised");
  }

  /** DJL's default would cut at 512 tokens; a 10,000-token text must come back whole. */
  @Test
  void aTenThousandTokenTextIsNotCut() {
    TextTokenizer words = TextTokenizer.huggingFace(fixture("tiny-wordlevel.json"));
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      b.append(i % 2 == 0 ? "the " : "God ");
    }
    int[] ids = words.encode(b.toString());
    assertEquals(10_000, ids.length);
    assertEquals(words.encode("God")[0], ids[9_999]);

    TextTokenizer bpe = TextTokenizer.huggingFace(fixture("tiny-bpe.json"));
    String text = String.join("\n", CORPUS.subList(0, 600));
    int[] all = bpe.encode(text);
    assertTrue(all.length > 10_000, "only " + all.length + " tokens");
    assertEquals(text, bpe.decode(all, 0, all.length));
  }

  @Test
  void aRenamedCopyIsTheSameTokenizerAndAChangedFileIsNot(@TempDir Path dir) throws IOException {
    TextTokenizer original = TextTokenizer.tiktoken(fixture("tiny.tiktoken"));
    Path copy = Files.copy(fixture("tiny.tiktoken"), dir.resolve("renamed.tiktoken"));
    TextTokenizer.requireVocabulary(original.name(), original.vocabSize(), TextTokenizer.tiktoken(copy));

    List<String> lines = Files.readAllLines(fixture("tiny.tiktoken"));
    String last = lines.get(lines.size() - 1);
    String second = lines.get(lines.size() - 2);
    // Swap the ranks of the last two tokens: same size, different tokenizer.
    lines.set(lines.size() - 1, last.substring(0, last.indexOf(' ')) + second.substring(second.indexOf(' ')));
    lines.set(lines.size() - 2, second.substring(0, second.indexOf(' ')) + last.substring(last.indexOf(' ')));
    Path changed = Files.write(dir.resolve("tiny.tiktoken"), lines);
    TextTokenizer other = TextTokenizer.tiktoken(changed);
    assertEquals(original.vocabSize(), other.vocabSize());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TextTokenizer.requireVocabulary(original.name(), original.vocabSize(), other));
    assertEquals("tokenizer mismatch: key expects " + original.name() + " (556 tokens), got " + other.name()
        + " (556 tokens)", e.getMessage());

    TextTokenizer otherPattern = TextTokenizer.tiktoken(fixture("tiny.tiktoken"), TokenizerFixtures.GPT2_SPLIT, 0);
    assertNotEquals(original.name(), otherPattern.name());
    assertTrue(otherPattern.name().contains(";split-sha256:"), otherPattern.name());
    assertThrows(IllegalArgumentException.class,
        () -> TextTokenizer.requireVocabulary(original.name(), original.vocabSize(), otherPattern));
    TextTokenizer hf = TextTokenizer.huggingFace(fixture("tiny-bpe.json"));
    assertThrows(IllegalArgumentException.class,
        () -> TextTokenizer.requireVocabulary(original.name(), original.vocabSize(), hf));
  }

  @Test
  void badFilesAreRefusedNamingTheFileAndLine(@TempDir Path dir) throws IOException {
    Path noBytes = Files.writeString(dir.resolve("a.tiktoken"), "YQ== 0\nYg== 1\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TextTokenizer.tiktoken(noBytes));
    assertEquals(noBytes + ": not a byte-level rank file: no token for the single byte 0x00", e.getMessage());

    Path badLine = Files.writeString(dir.resolve("b.tiktoken"), "YQ== 0\nnot-base64! 1\n");
    e = assertThrows(IllegalArgumentException.class, () -> TextTokenizer.tiktoken(badLine));
    assertEquals(badLine + ":2: not a tiktoken rank file: the token is not valid base64", e.getMessage());

    Path dupRank = Files.writeString(dir.resolve("c.tiktoken"), "YQ== 0\nYg== 0\n");
    e = assertThrows(IllegalArgumentException.class, () -> TextTokenizer.tiktoken(dupRank));
    assertEquals(dupRank + ":2: not a tiktoken rank file: rank 0 appears twice", e.getMessage());

    Path notJson = Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {}}");
    e = assertThrows(IllegalArgumentException.class, () -> TextTokenizer.huggingFace(notJson));
    assertEquals(notJson + ": not a tokenizer.json: no model.vocab object or list", e.getMessage());

    UncheckedIOException missing = assertThrows(UncheckedIOException.class,
        () -> TextTokenizer.named("hf:" + dir.resolve("none.json")));
    assertEquals(dir.resolve("none.json") + ": cannot read tokenizer file: no such file", missing.getMessage());

    e = assertThrows(IllegalArgumentException.class,
        () -> TextTokenizer.named("hf:tokenizer.json@sha256:" + "0".repeat(64)));
    assertTrue(e.getMessage().contains("is the identity of a tokenizer file, not a file to load: give the file as hf:PATH"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> TextTokenizer.tiktoken(fixture("tiny.tiktoken"), "(unclosed", 0));
    assertTrue(e.getMessage().startsWith("split pattern is not a valid regular expression"), e.getMessage());
  }
}
