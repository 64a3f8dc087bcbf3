package dev.radiomark.verify.text;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reads a whole input as one {@link TextRecord} (the command line's {@code --format text}).
 *
 * <p>The bytes must be strict UTF-8; a leading byte order mark is skipped. Line endings are kept
 * as they are, CR included, because they are part of the tokenized text.
 */
public final class PlainTextReader {

  private PlainTextReader() {}

  /**
   * Reads {@code in} to the end and returns it as one record with line number 1, id
   * {@code sourceName} and no prompt. The stream is not closed.
   *
   * @param sourceName the name used as the record id and in error messages
   * @param in the input
   * @return the record
   * @throws InputFormatException if the bytes are not valid UTF-8; the message names the line
   *     and the byte offset within it
   * @throws IOException if reading fails
   * @throws NullPointerException if an argument is null
   */
  public static TextRecord read(String sourceName, InputStream in) throws IOException {
    Objects.requireNonNull(sourceName, "sourceName");
    byte[] b = Objects.requireNonNull(in, "in").readAllBytes();
    int off = Utf8.bomLength(b, 0, b.length);
    try {
      return new TextRecord(1, sourceName, null, Utf8.decode(Utf8.newStrictDecoder(), b, off, b.length - off));
    } catch (Utf8.MalformedException e) {
      int at = off + e.offset;
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < at; i++) {
        if (b[i] == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      throw new InputFormatException(sourceName, line, String.format(Locale.ROOT,
          "invalid UTF-8 at byte %d of the line (0-based)", at - lineStart));
    }
  }

  /**
   * Splits a plain-text record into one record per non-blank line, or per paragraph (runs of
   * non-blank lines separated by blank lines). Each record's line number is its first line, its
   * id {@code SOURCE:LINE}; line endings inside a paragraph are kept, the separators are not.
   *
   * @param whole the record read by {@link #read}
   * @param paragraphs true for paragraphs, false for lines
   * @return the records, in order
   */
  public static List<TextRecord> split(TextRecord whole, boolean paragraphs) {
    String t = whole.text();
    List<TextRecord> out = new ArrayList<>();
    int line = 1;
    int start = -1;
    int startLine = 0;
    int end = 0;
    int i = 0;
    while (i <= t.length()) {
      int nl = t.indexOf('\n', i);
      int stop = nl < 0 ? t.length() : nl;
      String ln = t.substring(i, stop);
      boolean blank = ln.isBlank();
      if (!paragraphs) {
        if (!blank) {
          out.add(new TextRecord(line, whole.id() + ":" + line, null, strip(ln)));
        }
      } else if (blank) {
        if (start >= 0) {
          out.add(new TextRecord(startLine, whole.id() + ":" + startLine, null, strip(t.substring(start, end))));
          start = -1;
        }
      } else {
        if (start < 0) {
          start = i;
          startLine = line;
        }
        end = stop;
      }
      if (nl < 0) {
        break;
      }
      i = nl + 1;
      line++;
    }
    if (paragraphs && start >= 0) {
      out.add(new TextRecord(startLine, whole.id() + ":" + startLine, null, strip(t.substring(start, end))));
    }
    return out;
  }

  /**
   * Streams {@code in} as one record per non-blank line, or per paragraph, exactly as
   * {@code split(read(sourceName, in), paragraphs)} would, but holding only the current line (or
   * paragraph) in memory. The stream is not closed.
   *
   * @param sourceName the name used in record ids ({@code SOURCE:LINE}) and error messages
   * @param in the input
   * @param paragraphs true for paragraphs, false for lines
   * @param action receives each record in input order; its exceptions propagate
   * @return the number of records delivered
   * @throws InputFormatException at the first line that is not valid UTF-8, naming the line and
   *     the byte offset within it
   * @throws IOException if reading fails
   */
  public static int forEach(String sourceName, InputStream in, boolean paragraphs, Consumer<? super TextRecord> action)
      throws IOException {
    Objects.requireNonNull(sourceName, "sourceName");
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(action, "action");
    Lines lines = new Lines(sourceName, paragraphs, action);
    byte[] buf = new byte[1 << 16];
    int n;
    while ((n = in.read(buf)) >= 0) {
      int start = 0;
      for (int i = 0; i < n; i++) {
        // 0x0A never occurs inside a multi-byte UTF-8 sequence.
        if (buf[i] == '\n') {
          lines.append(buf, start, i - start);
          lines.endLine();
          start = i + 1;
        }
      }
      lines.append(buf, start, n - start);
    }
    lines.endLine();
    lines.endParagraph();
    return lines.records;
  }

  /** State of one {@link #forEach} pass: the current line's bytes and the open paragraph. */
  private static final class Lines {
    final String source;
    final boolean paragraphs;
    final Consumer<? super TextRecord> action;
    final java.nio.charset.CharsetDecoder decoder = Utf8.newStrictDecoder();
    final StringBuilder paragraph = new StringBuilder();
    byte[] line = new byte[256];
    int lineLen;
    int lineNumber = 1;
    int paragraphLine;
    int records;

    Lines(String source, boolean paragraphs, Consumer<? super TextRecord> action) {
      this.source = source;
      this.paragraphs = paragraphs;
      this.action = action;
    }

    void append(byte[] b, int off, int len) {
      if (lineLen + len > line.length) {
        line = java.util.Arrays.copyOf(line, Math.max(2 * line.length, lineLen + len));
      }
      System.arraycopy(b, off, line, lineLen, len);
      lineLen += len;
    }

    void endLine() {
      int off = lineNumber == 1 ? Utf8.bomLength(line, 0, lineLen) : 0;
      String ln;
      try {
        ln = Utf8.decode(decoder, line, off, lineLen - off);
      } catch (Utf8.MalformedException e) {
        throw new InputFormatException(source, lineNumber, String.format(Locale.ROOT,
            "invalid UTF-8 at byte %d of the line (0-based)", off + e.offset));
      }
      if (line.length > 1 << 16) {
        line = new byte[256];
      }
      lineLen = 0;
      boolean blank = ln.isBlank();
      if (!paragraphs) {
        if (!blank) {
          deliver(lineNumber, ln);
        }
      } else if (blank) {
        endParagraph();
      } else {
        if (paragraphLine == 0) {
          paragraphLine = lineNumber;
        } else {
          paragraph.append('\n');
        }
        paragraph.append(ln);
      }
      lineNumber++;
    }

    void endParagraph() {
      if (paragraphLine > 0) {
        String p = paragraph.toString();
        paragraph.setLength(0);
        int first = paragraphLine;
        paragraphLine = 0;
        deliver(first, p);
      }
    }

    private void deliver(int at, String text) {
      records++;
      action.accept(new TextRecord(at, source + ":" + at, null, strip(text)));
    }
  }

  /** Drops a trailing CR (of a CRLF line end). */
  private static String strip(String s) {
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }
}
