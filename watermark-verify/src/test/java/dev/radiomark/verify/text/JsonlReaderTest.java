package dev.radiomark.verify.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonlReaderTest {

  private static final JsonlReader STRICT = JsonlReader.strict("input.jsonl");

  private static InputStream utf8(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  private static TextBatch read(String s) throws IOException {
    return STRICT.readAll(utf8(s));
  }

  private static InputFormatException bad(String s) {
    return assertThrows(InputFormatException.class, () -> read(s));
  }

  @Test
  void readsGoodFile() throws IOException {
    TextBatch b = read("{\"id\":\"a\",\"prompt\":\"Say hi\",\"text\":\"Hi there\"}\n"
        + "{\"text\":\"no id, no prompt\"}\n"
        + "{\"id\":17,\"text\":\"numeric id\",\"model\":\"ignored\"}\n"
        + "{\"id\":null,\"prompt\":null,\"text\":\"\"}\n"
        + "{\"text\":\"Grüße 🙂 東京\"}");   // no final newline
    assertEquals(List.of(
        new TextRecord(1, "a", "Say hi", "Hi there"),
        new TextRecord(2, "line-2", null, "no id, no prompt"),
        new TextRecord(3, "17", null, "numeric id"),
        new TextRecord(4, "line-4", null, ""),
        new TextRecord(5, "line-5", null, "Grüße 🙂 東京")), b.records());
    assertEquals(new ReadSummary(5, 0, List.of()), b.summary());
    assertTrue(b.records().get(0).hasPrompt());
    assertFalse(b.records().get(1).hasPrompt());
  }

  @Test
  void tokenIdRecords() throws IOException {
    TextBatch b = read("{\"tokens\": [3, 1, 4], \"prompt_tokens\": [1, 5], \"id\": \"t\"}\n{\"text\": \"a\"}\n");
    TextRecord r = b.records().get(0);
    assertArrayEquals(new int[] {3, 1, 4}, r.tokens());
    assertArrayEquals(new int[] {1, 5}, r.promptTokens());
    assertEquals("", r.text());
    assertTrue(r.hasPrompt());
    assertEquals(null, b.records().get(1).tokens());
    InputFormatException e = assertThrows(InputFormatException.class,
        () -> read("{\"prompt\": \"p\", \"prompt_tokens\": [1], \"tokens\": [2]}\n"));
    assertEquals("input.jsonl:1: give either \"prompt\" or \"prompt_tokens\", not both", e.getMessage());
    e = assertThrows(InputFormatException.class, () -> read("{\"tokens\": [1, 2.5]}\n"));
    assertTrue(e.getMessage().contains("\"tokens\"[1] is not a token id"), e.getMessage());
    e = assertThrows(InputFormatException.class, () -> read("{\"tokens\": \"1 2\"}\n"));
    assertTrue(e.getMessage().contains("\"tokens\" must be an array of token ids"), e.getMessage());
  }

  @Test
  void emptyInputHasNoRecords() throws IOException {
    assertEquals(new ReadSummary(0, 0, List.of()), read("").summary());
  }

  @Test
  void skipsBlankLinesButKeepsPhysicalLineNumbers() throws IOException {
    TextBatch b = read("\n{\"text\":\"a\"}\n\n   \t\n{\"text\":\"b\"}\n\n");
    assertEquals(List.of(new TextRecord(2, "line-2", null, "a"), new TextRecord(5, "line-5", null, "b")),
        b.records());
    assertEquals(0, b.summary().skippedLines());
  }

  @Test
  void crlfLineEndings() throws IOException {
    TextBatch b = read("{\"text\":\"a\"}\r\n\r\n{\"text\":\"b\\r\\nc\"}\r\n");
    assertEquals(List.of(new TextRecord(1, "line-1", null, "a"), new TextRecord(3, "line-3", null, "b\r\nc")),
        b.records());
  }

  @Test
  void byteOrderMarkOnFirstLineIsSkipped() throws IOException {
    byte[] body = "{\"text\":\"a\"}\n{\"text\":\"b\"}\n".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    out.write(body);
    TextBatch b = STRICT.readAll(new ByteArrayInputStream(out.toByteArray()));
    assertEquals("a", b.records().get(0).text());
    assertEquals(2, b.records().size());
    // Elsewhere it is not whitespace in JSON, so it is an error.
    InputFormatException e = bad("{\"text\":\"a\"}\n\uFEFF{\"text\":\"b\"}\n");
    assertEquals(2, e.lineNumber());
    assertTrue(e.getMessage().startsWith("input.jsonl:2: malformed JSON at column 1: "), e.getMessage());
  }

  @Test
  void missingText() {
    InputFormatException e = bad("{\"text\":\"ok\"}\n{\"prompt\":\"p\"}\n");
    assertEquals("input.jsonl:2: expected a JSON object with a string field \"text\" or a token-id array \"tokens\": missing \"text\" (or \"tokens\")",
        e.getMessage());
    assertEquals(2, e.lineNumber());
    assertEquals("input.jsonl", e.sourceName());
    assertEquals("expected a JSON object with a string field \"text\" or a token-id array \"tokens\": missing \"text\" (or \"tokens\")", e.detail());
  }

  @Test
  void wrongTypes() {
    assertEquals("input.jsonl:1: expected a JSON object with a string field \"text\" or a token-id array \"tokens\": \"text\" is a number",
        bad("{\"text\":42}").getMessage());
    assertEquals("input.jsonl:1: expected a JSON object with a string field \"text\" or a token-id array \"tokens\": \"text\" is null",
        bad("{\"text\":null}").getMessage());
    assertEquals("input.jsonl:1: expected a JSON object with a string field \"text\" or a token-id array \"tokens\": got an array",
        bad("[\"text\"]").getMessage());
    assertEquals("input.jsonl:1: expected a JSON object with a string field \"text\" or a token-id array \"tokens\": got a string",
        bad("\"just a string\"").getMessage());
    assertEquals("input.jsonl:1: \"prompt\" must be a string, got an object",
        bad("{\"text\":\"t\",\"prompt\":{}}").getMessage());
    assertEquals("input.jsonl:1: \"id\" must be a string or a number, got a boolean",
        bad("{\"text\":\"t\",\"id\":true}").getMessage());
  }

  @Test
  void malformedJson() {
    InputFormatException e = bad("{\"text\":\"a\"}\n{\"text\": \"unterminated}\n");
    assertEquals(2, e.lineNumber());
    assertTrue(e.getMessage().startsWith("input.jsonl:2: malformed JSON at column "), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    e = bad("{text: \"a\"}");
    assertTrue(e.getMessage().startsWith("input.jsonl:1: malformed JSON at column 2: "), e.getMessage());
  }

  @Test
  void trailingContentAfterObject() {
    assertEquals("input.jsonl:1: unexpected content after the JSON value at column 14",
        bad("{\"text\":\"a\"} {\"text\":\"b\"}").getMessage());
    assertEquals("input.jsonl:1: unexpected content after the JSON value at column 13",
        bad("{\"text\":\"a\"}5").getMessage());
    InputFormatException e = bad("{\"text\":\"a\"} x");
    // Jackson reports where it stopped reading the bad token, here its end.
    assertTrue(e.getMessage().startsWith("input.jsonl:1: malformed JSON at column 15: Unrecognized token 'x'"),
        e.getMessage());
  }

  @Test
  void duplicateKeys() {
    InputFormatException e = bad("{\"text\":\"a\",\"text\":\"b\"}");
    assertTrue(e.getMessage().startsWith("input.jsonl:1: malformed JSON at column "), e.getMessage());
    assertTrue(e.getMessage().contains("Duplicate field 'text'"), e.getMessage());
  }

  @Test
  void unpairedSurrogateEscape() {
    assertEquals("input.jsonl:1: \"text\" has an unpaired surrogate U+D800 at char index 2",
        bad("{\"text\":\"ab\\ud800c\"}").getMessage());
  }

  @Test
  void badUtf8NamesLineAndOffset() {
    byte[] good = "{\"text\":\"ok\"}\n{\"text\":\"a".getBytes(StandardCharsets.UTF_8);
    byte[] tail = "\"}\n".getBytes(StandardCharsets.UTF_8);
    for (byte[] badBytes : new byte[][] {
        {(byte) 0xFF},                       // never valid in UTF-8
        {(byte) 0xC3},                       // truncated 2-byte sequence
        {(byte) 0xC0, (byte) 0x80},          // overlong NUL
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80}}) { // encoded surrogate (CESU-8)
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(good);
      out.writeBytes(badBytes);
      out.writeBytes(tail);
      InputFormatException e = assertThrows(InputFormatException.class,
          () -> STRICT.readAll(new ByteArrayInputStream(out.toByteArray())));
      assertEquals(2, e.lineNumber());
      assertEquals("input.jsonl:2: invalid UTF-8 at byte 10 of the line (0-based)", e.getMessage());
    }
  }

  @Test
  void skipBadCountsAndKeepsFirstMessages() throws IOException {
    StringBuilder in = new StringBuilder();
    for (int i = 1; i <= 30; i++) {
      in.append(i % 2 == 0 ? "{\"text\":\"t" + i + "\"}" : "{\"nope\":" + i + "}").append('\n');
    }
    TextBatch b = STRICT.skipBad(true).readAll(utf8(in.toString()));
    assertEquals(15, b.records().size());
    assertEquals(2, b.records().get(0).lineNumber());
    assertEquals(15, b.summary().records());
    assertEquals(15, b.summary().skippedLines());
    assertEquals(JsonlReader.MAX_ERROR_MESSAGES, b.summary().firstErrors().size());
    assertEquals("input.jsonl:1: expected a JSON object with a string field \"text\" or a token-id array \"tokens\": missing \"text\" (or \"tokens\")",
        b.summary().firstErrors().get(0));
    assertTrue(b.summary().firstErrors().get(9).startsWith("input.jsonl:19: "));
  }

  @Test
  void skipBadAlsoSkipsInvalidUtf8() throws IOException {
    byte[] bytes = "{\"text\":\"a\"}\n{\"text\":\"\u00ff\"}\n{\"text\":\"c\"}\n".getBytes(StandardCharsets.ISO_8859_1);
    TextBatch b = STRICT.skipBad(true).readAll(new ByteArrayInputStream(bytes));
    assertEquals(List.of("a", "c"), b.records().stream().map(TextRecord::text).toList());
    assertEquals(List.of("input.jsonl:2: invalid UTF-8 at byte 9 of the line (0-based)"), b.summary().firstErrors());
  }

  @Test
  void streamsAcrossBufferBoundariesAndLongLines() throws IOException {
    String longText = "x".repeat(200_000) + "é";
    StringBuilder in = new StringBuilder();
    int n = 5_000;
    for (int i = 0; i < n; i++) {
      in.append("{\"id\":").append(i).append(",\"text\":\"ünïcödé ").append(i).append("\"}\n");
    }
    in.append("{\"text\":\"").append(longText).append("\"}\n");
    List<TextRecord> seen = new ArrayList<>();
    // A stream that returns few bytes per read exercises lines split across reads.
    InputStream trickle = new ByteArrayInputStream(in.toString().getBytes(StandardCharsets.UTF_8)) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 7));
      }
    };
    ReadSummary s = STRICT.forEach(trickle, seen::add);
    assertEquals(n + 1, s.records());
    assertEquals("ünïcödé 4321", seen.get(4321).text());
    assertEquals("4321", seen.get(4321).id());
    assertEquals(longText, seen.get(n).text());
    assertEquals(n + 1, seen.get(n).lineNumber());
  }

  @Test
  void consumerExceptionsPropagate() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> STRICT.forEach(utf8("{\"text\":\"a\"}\n"), r -> {
          throw new IllegalStateException("stop");
        }));
    assertEquals("stop", e.getMessage());
  }

  @Test
  void configuration() {
    assertSame(STRICT, STRICT.skipBad(false));
    assertTrue(STRICT.skipBad(true).skipsBad());
    assertFalse(STRICT.skipsBad());
    assertEquals("input.jsonl", STRICT.skipBad(true).sourceName());
    assertThrows(NullPointerException.class, () -> JsonlReader.strict(null));
  }

  @Test
  void recordValidationAndToString() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new TextRecord(0, "x", null, "t"));
    assertEquals("lineNumber is not >= 1: 0", e.getMessage());
    String s = new TextRecord(3, "x", null, "secret text").toString();
    assertFalse(s.contains("secret"), s);
    assertEquals("TextRecord[id=x, line=3, prompt=none, text=11 chars]", s);
  }

  @Test
  void plainTextIsOneRecord() throws IOException {
    String text = "line one\r\nline two\n\n  {\"not\": \"json\"}\n";
    TextRecord r = PlainTextReader.read("essay.txt", utf8("\uFEFF" + text));
    assertEquals(new TextRecord(1, "essay.txt", null, text), r);
  }

  @Test
  void plainTextRejectsBadUtf8WithLine() {
    byte[] bytes = "first\nsecond\nab\u00e9".getBytes(StandardCharsets.ISO_8859_1);
    InputFormatException e = assertThrows(InputFormatException.class,
        () -> PlainTextReader.read("essay.txt", new ByteArrayInputStream(bytes)));
    assertEquals("essay.txt:3: invalid UTF-8 at byte 2 of the line (0-based)", e.getMessage());
    assertEquals(3, e.lineNumber());
    assertNull(assertThrows(NullPointerException.class, () -> PlainTextReader.read(null, InputStream.nullInputStream()))
        .getCause());
  }
}
