package dev.radiomark.verify.text;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharsetDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reads JSON Lines: one JSON object per line, each a {@link TextRecord}.
 *
 * <p>Each non-blank line must hold exactly one JSON object with
 * <ul>
 *   <li>{@code "text"}: a string, or instead {@code "tokens"}: an array of token ids (for a key
 *       whose tokenizer is {@code ids:SIZE}, or to skip re-tokenization); one of them required;</li>
 *   <li>{@code "prompt"}: a string, or instead {@code "prompt_tokens"}: an array of token ids,
 *       optional ({@code null} counts as absent);</li>
 *   <li>{@code "top_logprobs"}: optional, the suspect API's top-k log-probabilities at each text
 *       token, an array of arrays of {@code {"token": id or string, "logprob": x <= 0}}
 *       ({@link TopLogprobs}; {@code null} counts as absent), checked only when a command
 *       uses it;</li>
 *   <li>{@code "id"}: a string or a number, optional ({@code null} counts as absent); a number
 *       becomes its JSON spelling as Jackson prints it ({@code 17} gives {@code "17"}); an absent
 *       id becomes {@code "line-N"}.</li>
 * </ul>
 * Other fields are ignored, so generator logs with extra columns can be read as they are.
 *
 * <p>The input is strict UTF-8: malformed bytes are an error naming the line and the byte
 * offset, never silently replaced, because a replaced character changes the tokens and so the
 * score. Lines end with LF or CRLF (the CR is dropped). A UTF-8 byte order mark at the very
 * start of the input is skipped, since Windows tools write one; anywhere else it is a JSON
 * error. Lines that are empty or hold only spaces and tabs are skipped and not counted.
 *
 * <p>Also rejected: a line that is not an object, a duplicate key, anything after the object on
 * the same line, a string value longer than {@link #MAX_STRING_CHARS} characters, and
 * {@code text}, {@code prompt} or {@code id} strings with unpaired surrogate escapes (such as
 * <code>&#92;ud800</code>), which have no UTF-8 encoding (no tokens, and no faithful copy in output).
 *
 * <p>In strict mode (the default) the first bad line throws an {@link InputFormatException};
 * with {@link #skipBad(boolean) skipBad(true)} bad lines are counted in the {@link ReadSummary}
 * and reading goes on. Reading is streaming: memory holds one line at a time unless
 * {@link #readAll(InputStream)} is used. Instances are immutable and thread-safe; each call
 * reads its own stream.
 */
public final class JsonlReader {

  /** How many error messages a {@link ReadSummary} keeps in skip-bad mode. */
  public static final int MAX_ERROR_MESSAGES = 10;

  /**
   * Longest JSON string value accepted, in chars: Jackson's default
   * {@code StreamReadConstraints.getMaxStringLength()}. A longer value is an
   * {@link InputFormatException} naming the line.
   */
  public static final int MAX_STRING_CHARS = StreamReadConstraints.DEFAULT_MAX_STRING_LEN;

  private static final String EXPECTED = "expected a JSON object with a string field \"text\" or a token-id array \"tokens\"";

  private static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .build();

  private final String sourceName;
  private final boolean skipBad;

  private JsonlReader(String sourceName, boolean skipBad) {
    this.sourceName = sourceName;
    this.skipBad = skipBad;
  }

  /**
   * Returns a strict reader: the first bad line throws.
   *
   * @param sourceName the name used in error messages, for example the file name or
   *     {@code "<stdin>"}
   * @return the reader
   * @throws NullPointerException if {@code sourceName} is null
   */
  public static JsonlReader strict(String sourceName) {
    return new JsonlReader(Objects.requireNonNull(sourceName, "sourceName"), false);
  }

  /**
   * Returns a reader that skips and counts bad lines ({@code true}) or throws on the first
   * one ({@code false}).
   *
   * @param skip whether to skip bad lines
   * @return a reader with the same source name
   */
  public JsonlReader skipBad(boolean skip) {
    return skip == skipBad ? this : new JsonlReader(sourceName, skip);
  }

  /**
   * Returns the name used in error messages.
   *
   * @return the source name
   */
  public String sourceName() {
    return sourceName;
  }

  /**
   * Returns whether bad lines are skipped rather than thrown.
   *
   * @return {@code true} in skip-bad mode
   */
  public boolean skipsBad() {
    return skipBad;
  }

  /**
   * Reads records from {@code in} until end of stream, handing each to {@code action} in input
   * order. The stream is not closed.
   *
   * @param in the input, read to the end
   * @param action receives each record; exceptions it throws propagate and stop reading
   * @return the counts of the pass
   * @throws InputFormatException in strict mode, at the first bad line
   * @throws IOException if reading {@code in} fails
   * @throws NullPointerException if an argument is null
   */
  public ReadSummary forEach(InputStream in, Consumer<? super TextRecord> action) throws IOException {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(action, "action");
    Pass pass = new Pass(action);
    byte[] buf = new byte[1 << 16];
    int n;
    while ((n = in.read(buf)) >= 0) {
      int start = 0;
      for (int i = 0; i < n; i++) {
        // Safe to split on the byte: 0x0A never occurs inside a multi-byte UTF-8 sequence.
        if (buf[i] == '\n') {
          pass.append(buf, start, i - start);
          pass.endLine();
          start = i + 1;
        }
      }
      pass.append(buf, start, n - start);
    }
    if (pass.lineLen > 0) {
      pass.endLine();
    }
    return new ReadSummary(pass.records, pass.skipped, pass.errors);
  }

  /** Mutable state of one {@link #forEach} call. */
  private final class Pass {
    final Consumer<? super TextRecord> action;
    final CharsetDecoder decoder = Utf8.newStrictDecoder();
    final List<String> errors = new ArrayList<>();
    int records;
    int skipped;
    byte[] line = new byte[256];
    int lineLen;
    int lineNumber = 1;

    Pass(Consumer<? super TextRecord> action) {
      this.action = action;
    }

    void append(byte[] b, int off, int len) {
      if (lineLen + len > line.length) {
        line = Arrays.copyOf(line, Math.max(2 * line.length, lineLen + len));
      }
      System.arraycopy(b, off, line, lineLen, len);
      lineLen += len;
    }

    void endLine() {
      TextRecord r = null;
      try {
        r = parseLine(decoder, line, lineLen, lineNumber);
      } catch (InputFormatException e) {
        if (!skipBad) {
          throw e;
        }
        skipped++;
        if (errors.size() < MAX_ERROR_MESSAGES) {
          errors.add(e.getMessage());
        }
      }
      lineLen = 0;
      lineNumber++;
      if (r != null) {
        records++;
        action.accept(r);
      }
    }
  }

  /**
   * Reads all records of {@code in} into memory. The stream is not closed.
   *
   * @param in the input, read to the end
   * @return the records and the counts
   * @throws InputFormatException in strict mode, at the first bad line
   * @throws IOException if reading {@code in} fails
   * @throws NullPointerException if {@code in} is null
   */
  public TextBatch readAll(InputStream in) throws IOException {
    List<TextRecord> out = new ArrayList<>();
    ReadSummary summary = forEach(in, out::add);
    return new TextBatch(out, summary);
  }

  /**
   * Parses one line by the rules of {@link #forEach}, for readers that split lines themselves
   * (a distributed reader with global line numbers).
   *
   * @param line the line's bytes, without its LF (a trailing CR is dropped)
   * @param len how many bytes of {@code line} to read
   * @param lineNumber the 1-based line number (a byte order mark is skipped on line 1 only)
   * @return the record, or null for a blank line
   * @throws InputFormatException if the line is bad, naming the source and the line
   */
  public TextRecord parseLine(byte[] line, int len, int lineNumber) {
    return parseLine(Utf8.newStrictDecoder(), line, len, lineNumber);
  }

  /** Parses one line (without its LF); returns null for a blank line. */
  private TextRecord parseLine(CharsetDecoder decoder, byte[] b, int len, int lineNumber) {
    int off = lineNumber == 1 ? Utf8.bomLength(b, 0, len) : 0;
    if (len > off && b[len - 1] == '\r') {
      len--;
    }
    String s;
    try {
      s = Utf8.decode(decoder, b, off, len - off);
    } catch (Utf8.MalformedException e) {
      throw error(lineNumber, String.format(Locale.ROOT,
          "invalid UTF-8 at byte %d of the line (0-based)", off + e.offset));
    }
    if (isBlank(s)) {
      return null;
    }
    JsonNode node;
    try (JsonParser p = MAPPER.createParser(s)) {
      node = p.readValueAsTree();
      JsonToken extra = p.nextToken();
      if (extra != null) {
        throw error(lineNumber, String.format(Locale.ROOT,
            "unexpected content after the JSON value at column %d",
            p.currentTokenLocation().getColumnNr()));
      }
    } catch (StreamConstraintsException e) {
      throw error(lineNumber, String.format(Locale.ROOT,
          "a JSON value exceeds the reader's limit of %,d characters per string (split the text into several records)",
          MAX_STRING_CHARS));
    } catch (JsonProcessingException e) {
      String msg = e.getOriginalMessage().replaceAll("\\s+", " ").trim();
      throw error(lineNumber, String.format(Locale.ROOT, "malformed JSON at column %d: %s",
          e.getLocation() == null ? 0 : e.getLocation().getColumnNr(), msg));
    } catch (IOException e) {
      // Parsing a String does no I/O; anything else Jackson throws here is a format problem.
      throw error(lineNumber, "malformed JSON: " + e.getMessage());
    }
    if (node == null || !node.isObject()) {
      throw error(lineNumber, EXPECTED + ": got " + describe(node));
    }
    JsonNode text = node.get("text");
    JsonNode tokens = node.get("tokens");
    if (text != null && tokens != null) {
      throw error(lineNumber, "give either \"text\" or \"tokens\", not both");
    }
    if (text == null && tokens == null) {
      throw error(lineNumber, EXPECTED + ": missing \"text\" (or \"tokens\")");
    }
    if (text != null && !text.isTextual()) {
      throw error(lineNumber, EXPECTED + ": \"text\" is " + describe(text));
    }
    String prompt = null;
    JsonNode p = node.get("prompt");
    if (p != null && !p.isNull()) {
      if (!p.isTextual()) {
        throw error(lineNumber, "\"prompt\" must be a string, got " + describe(p));
      }
      prompt = checkSurrogates(lineNumber, "prompt", p.textValue());
    }
    JsonNode pt = node.get("prompt_tokens");
    if (pt != null && !pt.isNull() && prompt != null) {
      throw error(lineNumber, "give either \"prompt\" or \"prompt_tokens\", not both");
    }
    int[] promptTokens = pt == null || pt.isNull() ? null : ids(lineNumber, "prompt_tokens", pt);
    String id = TextRecord.defaultId(lineNumber);
    JsonNode idNode = node.get("id");
    if (idNode != null && !idNode.isNull()) {
      if (idNode.isTextual()) {
        id = checkSurrogates(lineNumber, "id", idNode.textValue());
      } else if (idNode.isNumber()) {
        id = idNode.asText();
      } else {
        throw error(lineNumber, "\"id\" must be a string or a number, got " + describe(idNode));
      }
    }
    String t = text == null ? "" : checkSurrogates(lineNumber, "text", text.textValue());
    JsonNode tl = node.get("top_logprobs");
    return new TextRecord(lineNumber, id, prompt, t, tokens == null ? null : ids(lineNumber, "tokens", tokens),
        promptTokens, tl == null || tl.isNull() ? null : new TopLogprobs(tl));
  }

  /** An array of token ids, each a non-negative integer that fits an int. */
  private int[] ids(int lineNumber, String field, JsonNode node) {
    if (!node.isArray()) {
      throw error(lineNumber, "\"" + field + "\" must be an array of token ids, got " + describe(node));
    }
    int[] out = new int[node.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode x = node.get(i);
      if (!x.isIntegralNumber() || !x.canConvertToInt() || x.intValue() < 0) {
        throw error(lineNumber, String.format(Locale.ROOT,
            "\"%s\"[%d] is not a token id (an integer in [0, %d]): %s", field, i, Integer.MAX_VALUE, x));
      }
      out[i] = x.intValue();
    }
    return out;
  }

  private String checkSurrogates(int lineNumber, String field, String value) {
    int at = Utf8.firstUnpairedSurrogate(value);
    if (at >= 0) {
      throw error(lineNumber, String.format(Locale.ROOT,
          "\"%s\" has an unpaired surrogate U+%04X at char index %d", field, (int) value.charAt(at), at));
    }
    return value;
  }

  private InputFormatException error(int lineNumber, String detail) {
    return new InputFormatException(sourceName, lineNumber, detail);
  }

  /** JSON whitespace only: a line of other Unicode spaces is bad input, not a blank line. */
  private static boolean isBlank(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t' && c != '\r') {
        return false;
      }
    }
    return true;
  }

  static String describe(JsonNode n) {
    if (n == null) {
      return "nothing";
    }
    switch (n.getNodeType()) {
      case OBJECT: return "an object";
      case ARRAY: return "an array";
      case STRING: return "a string";
      case NUMBER: return "a number";
      case BOOLEAN: return "a boolean";
      case NULL: return "null";
      default: return n.getNodeType().name().toLowerCase(Locale.ROOT);
    }
  }

  @Override
  public String toString() {
    return "JsonlReader[" + sourceName + (skipBad ? ", skip-bad]" : ", strict]");
  }
}
