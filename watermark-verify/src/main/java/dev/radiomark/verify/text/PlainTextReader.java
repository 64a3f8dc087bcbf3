package dev.radiomark.verify.text;

import java.io.IOException;
import java.io.InputStream;
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
}
