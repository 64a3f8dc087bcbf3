package dev.radiomark.verify.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TextTokenizerTest {

  private static final String NON_ASCII =
      "Grüße aus Köln — naïve café, 東京タワー, Привет, مرحبا, emoji 🙂👩🏽‍💻, tab\tand\r\nCRLF";

  @Test
  void vocabularySizesAreMaxIdPlusOne() {
    assertEquals(200_019, TextTokenizer.o200k().vocabSize());
    assertEquals(100_277, TextTokenizer.cl100k().vocabSize());
    assertEquals("o200k_base", TextTokenizer.o200k().name());
    assertEquals("cl100k_base", TextTokenizer.cl100k().name());
  }

  /** Cross-checks the frozen sizes against the jtokkit jar, so a library upgrade cannot change them silently. */
  @Test
  void vocabularySizesAgreeWithLibrary() throws IOException {
    checkAgainstLibrary(EncodingType.O200K_BASE, 199_998, 200_018);
    checkAgainstLibrary(EncodingType.CL100K_BASE, 100_256, 100_276);
  }

  private static void checkAgainstLibrary(EncodingType type, int ordinaryRanks, int maxSpecial) throws IOException {
    TextTokenizer tok = TextTokenizer.named(type.getName());
    // Ordinary ranks: one "base64 rank" line each, ranks 0..n-1.
    int maxRank = -1;
    int lines = 0;
    try (InputStream in = Encoding.class.getResourceAsStream("/com/knuddels/jtokkit/" + type.getName() + ".tiktoken");
       BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (!line.isEmpty()) {
          lines++;
          maxRank = Math.max(maxRank, Integer.parseInt(line.substring(line.indexOf(' ') + 1)));
        }
      }
    }
    assertEquals(ordinaryRanks, lines);
    assertEquals(ordinaryRanks - 1, maxRank);
    // Specials are not in the file. jtokkit's encode() refuses them, so probe decode() past the
    // ordinary ranks: the largest id it knows is the largest special, and nothing lies above it.
    Encoding raw = Encodings.newLazyEncodingRegistry().getEncoding(type);
    int maxDecodable = -1;
    for (int id = ordinaryRanks; id < ordinaryRanks + 1000; id++) {
      try {
        raw.decode(singleton(id));
        maxDecodable = id;
      } catch (RuntimeException unknownId) {
        // jtokkit throws for ids it has no bytes for; expected for gaps and above the top.
      }
    }
    assertEquals(maxSpecial, maxDecodable);
    assertEquals(maxSpecial + 1, tok.vocabSize());
    assertEquals("<|endofprompt|>", tok.decode(new int[] {maxSpecial}, 0, 1));
  }

  private static IntArrayList singleton(int id) {
    IntArrayList list = new IntArrayList(1);
    list.add(id);
    return list;
  }

  @Test
  void roundTripAscii() {
    for (TextTokenizer tok : List.of(TextTokenizer.o200k(), TextTokenizer.cl100k())) {
      String text = "The quick brown fox jumps over the lazy dog. 12345 + 678 = 13023!";
      int[] ids = tok.encode(text);
      assertTrue(ids.length > 5 && ids.length < text.length(), tok + ": " + ids.length);
      assertEquals(text, tok.decode(ids, 0, ids.length));
      for (int id : ids) {
        assertTrue(id >= 0 && id < tok.vocabSize());
      }
    }
  }

  @Test
  void roundTripNonAscii() {
    for (TextTokenizer tok : List.of(TextTokenizer.o200k(), TextTokenizer.cl100k())) {
      int[] ids = tok.encode(NON_ASCII);
      assertEquals(NON_ASCII, tok.decode(ids, 0, ids.length));
    }
  }

  @Test
  void knownTokenIds() {
    // Published tiktoken ids for "hello world", a guard against a mis-wired encoding.
    assertArrayEquals(new int[] {24912, 2375}, TextTokenizer.o200k().encode("hello world"));
    assertArrayEquals(new int[] {15339, 1917}, TextTokenizer.cl100k().encode("hello world"));
  }

  @Test
  void decodeSubrange() {
    TextTokenizer tok = TextTokenizer.o200k();
    int[] ids = tok.encode("alpha beta gamma");
    int[] padded = new int[ids.length + 4];
    System.arraycopy(ids, 0, padded, 2, ids.length);
    assertEquals("alpha beta gamma", tok.decode(padded, 2, ids.length));
    assertEquals("", tok.decode(padded, 3, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> tok.decode(padded, 3, padded.length));
  }

  @Test
  void specialTokenTextIsOrdinary() {
    TextTokenizer tok = TextTokenizer.o200k();
    int[] ids = tok.encode("before <|endoftext|> after");
    assertFalse(Arrays.stream(ids).anyMatch(id -> id == 199_999), Arrays.toString(ids));
    assertEquals("before <|endoftext|> after", tok.decode(ids, 0, ids.length));
  }

  @Test
  void decodeRejectsIdsOutsideVocabulary() {
    TextTokenizer tok = TextTokenizer.o200k();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> tok.decode(new int[] {1, 200_019}, 0, 2));
    assertEquals("tokens[1] is not in [0, 200019): 200019", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {-3}, 0, 1));
    assertEquals("tokens[0] is not in [0, 200019): -3", e.getMessage());
  }

  @Test
  void decodeRejectsUnassignedIdInsideVocabulary() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TextTokenizer.o200k().decode(new int[] {5, 199_998}, 0, 2));
    assertTrue(e.getMessage().startsWith("tokens[0..2) contains an id unassigned in o200k_base"), e.getMessage());
    assertTrue(e.getMessage().contains("199998"), e.getMessage());
  }

  @Test
  void nfcMakesCanonicallyEquivalentTextsTokenizeAlike() {
    String composed = "Caf\u00e9 cr\u00e8me br\u00fbl\u00e9e, \uD55C\uAD6D\uC5B4";   // precomposed; Hangul syllables
    String decomposed = "Cafe\u0301 cre\u0300me bru\u0302le\u0301e, \u1112\u1161\u11AB\u1100\u116E\u11A8\u110B\u1165";
    TextTokenizer plain = TextTokenizer.o200k();
    assertFalse(Arrays.equals(plain.encode(composed), plain.encode(decomposed)));
    TextTokenizer nfc = plain.withNormalization(Normalization.NFC);
    assertArrayEquals(nfc.encode(composed), nfc.encode(decomposed));
    assertArrayEquals(plain.encode(composed), nfc.encode(decomposed));
    assertEquals(Normalization.NFC, nfc.normalization());
    assertEquals(Normalization.NONE, plain.normalization());
    assertEquals("o200k_base", nfc.name());
    assertEquals(plain.vocabSize(), nfc.vocabSize());
    assertSame(nfc, nfc.withNormalization(Normalization.NFC));
    assertSame(plain, plain.withNormalization(Normalization.NONE));
  }

  @Test
  void namedIsCached() {
    assertSame(TextTokenizer.named("o200k_base"), TextTokenizer.o200k());
    assertSame(TextTokenizer.named("cl100k_base"), TextTokenizer.cl100k());
    assertEquals(List.of("o200k_base", "cl100k_base"), TextTokenizer.knownNames());
  }

  @Test
  void unknownNameListsKnownNames() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TextTokenizer.named("p50k_base"));
    assertEquals("tokenizer name is not one of [o200k_base, cl100k_base]: p50k_base", e.getMessage());
    assertThrows(NullPointerException.class, () -> TextTokenizer.named(null));
  }

  @Test
  void requireVocabularyNamesBothSides() {
    TextTokenizer.requireVocabulary("o200k_base", 200_019, TextTokenizer.o200k());
    TextTokenizer.requireVocabulary("o200k_base", 200_019, TextTokenizer.o200k().withNormalization(Normalization.NFC));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TextTokenizer.requireVocabulary("o200k_base", 200_019, TextTokenizer.cl100k()));
    assertEquals("tokenizer mismatch: key expects o200k_base (200019 tokens), got cl100k_base (100277 tokens)",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> TextTokenizer.requireVocabulary("o200k_base", 200_000, TextTokenizer.o200k()));
    assertEquals("tokenizer mismatch: key expects o200k_base (200000 tokens), got o200k_base (200019 tokens)",
        e.getMessage());
  }

  @Test
  void sharedTokenizerIsThreadSafe() throws Exception {
    TextTokenizer tok = TextTokenizer.o200k().withNormalization(Normalization.NFC);
    int[] expected = tok.encode(NON_ASCII);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<int[]>> results = new java.util.ArrayList<>();
      for (int i = 0; i < 64; i++) {
        results.add(pool.submit(() -> tok.encode(NON_ASCII)));
      }
      for (Future<int[]> f : results) {
        assertArrayEquals(expected, f.get());
      }
    } finally {
      pool.shutdown();
    }
  }
}
