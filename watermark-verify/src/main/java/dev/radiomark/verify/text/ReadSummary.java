package dev.radiomark.verify.text;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a {@link JsonlReader} pass did: records delivered and bad lines skipped.
 *
 * @param records the number of records delivered, {@code >= 0}
 * @param skippedLines the number of bad lines skipped, {@code >= 0}; always 0 in strict mode
 *     (blank lines are not counted: they are not errors)
 * @param firstErrors the messages of the first {@link JsonlReader#MAX_ERROR_MESSAGES} skipped
 *     lines, in input order, each in the {@link InputFormatException} format
 */
public record ReadSummary(int records, int skippedLines, List<String> firstErrors) {

  /**
   * Validates the components and copies the list.
   *
   * @param records the number of records delivered
   * @param skippedLines the number of bad lines skipped
   * @param firstErrors the first error messages
   * @throws IllegalArgumentException if a count is negative or there are more messages than
   *     skipped lines
   * @throws NullPointerException if {@code firstErrors} or an element is null
   */
  public ReadSummary {
    if (records < 0) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "records is not >= 0: %d", records));
    }
    if (skippedLines < 0) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "skippedLines is not >= 0: %d", skippedLines));
    }
    firstErrors = List.copyOf(Objects.requireNonNull(firstErrors, "firstErrors"));
    if (firstErrors.size() > skippedLines) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "firstErrors.size() is not in [0, skippedLines = %d]: %d",
          skippedLines, firstErrors.size()));
    }
  }
}
