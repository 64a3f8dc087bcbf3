package dev.radiomark.verify.text;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

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

  /** Drops a trailing CR (of a CRLF line end). */
  private static String strip(String s) {
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }
}
