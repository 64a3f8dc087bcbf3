package dev.radiomark.verify.text;

import java.util.Objects;

/**
 * Thrown when an input file is not in the expected format: invalid UTF-8, malformed JSON, or a
 * JSON value that is not a record. The message names the source and the 1-based line, for
 * example {@code input.jsonl:17: expected a JSON object with a string field "text": missing "text"}.
 */
public class InputFormatException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** The 1-based line number. */
  private final int lineNumber;
  /** The source name, as given to the reader. */
  private final String sourceName;
  /** The message without the {@code source:line: } prefix. */
  private final String detail;

  /**
   * Creates an exception with the message {@code sourceName + ":" + lineNumber + ": " + detail}.
   *
   * @param sourceName the input name shown to the user, for example a file name or {@code "<stdin>"}
   * @param lineNumber the 1-based line number
   * @param detail what is wrong with the line
   * @throws NullPointerException if {@code sourceName} or {@code detail} is null
   */
  public InputFormatException(String sourceName, int lineNumber, String detail) {
    super(Objects.requireNonNull(sourceName, "sourceName") + ":" + lineNumber + ": "
        + Objects.requireNonNull(detail, "detail"));
    this.lineNumber = lineNumber;
    this.sourceName = sourceName;
    this.detail = detail;
  }

  /**
   * Returns the 1-based line number of the bad input.
   *
   * @return the line number
   */
  public int lineNumber() {
    return lineNumber;
  }

  /**
   * Returns the source name the reader was given.
   *
   * @return the source name
   */
  public String sourceName() {
    return sourceName;
  }

  /**
   * Returns the message without the {@code source:line: } prefix.
   *
   * @return what is wrong with the line
   */
  public String detail() {
    return detail;
  }
}
