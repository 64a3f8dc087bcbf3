package dev.radiomark.verify.text;

import java.util.Locale;
import java.util.Objects;

/**
 * One text to check, as read from an input file.
 *
 * @param lineNumber the 1-based physical line the record came from ({@code 1} for plain-text
 *     input), for error messages and reports
 * @param id the record id: the {@code "id"} field as a string, or {@code "line-N"} when absent
 * @param prompt the {@code "prompt"} field, or {@code null} when absent
 * @param text the text to tokenize and score; may be empty
 */
public record TextRecord(int lineNumber, String id, String prompt, String text) {

  /**
   * Validates the components.
   *
   * @param lineNumber the 1-based line number, {@code >= 1}
   * @param id the record id, not null
   * @param prompt the prompt, or {@code null}
   * @param text the text, not null
   * @throws IllegalArgumentException if {@code lineNumber < 1}
   * @throws NullPointerException if {@code id} or {@code text} is null
   */
  public TextRecord {
    if (lineNumber < 1) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "lineNumber is not >= 1: %d", lineNumber));
    }
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(text, "text");
  }

  /**
   * Returns whether the record carries a prompt.
   *
   * @return {@code prompt() != null}
   */
  public boolean hasPrompt() {
    return prompt != null;
  }

  /**
   * Returns the id used when a record has none: {@code "line-"} followed by the line number.
   *
   * @param lineNumber the 1-based line number
   * @return the default id, for example {@code "line-17"}
   */
  public static String defaultId(int lineNumber) {
    return "line-" + lineNumber;
  }

  /** Returns the id, line and lengths only: texts can be long and may be confidential. */
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "TextRecord[id=%s, line=%d, prompt=%s, text=%d chars]",
        id, lineNumber, prompt == null ? "none" : prompt.length() + " chars", text.length());
  }
}
