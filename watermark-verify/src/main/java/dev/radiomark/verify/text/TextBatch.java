package dev.radiomark.verify.text;

import java.util.List;
import java.util.Objects;

/**
 * All records of an input, with the summary of the pass that read them.
 *
 * @param records the records in input order, immutable
 * @param summary the counts and first error messages
 */
public record TextBatch(List<TextRecord> records, ReadSummary summary) {

  /**
   * Copies the list.
   *
   * @param records the records in input order
   * @param summary the counts and first error messages
   * @throws NullPointerException if an argument or an element is null
   */
  public TextBatch {
    records = List.copyOf(Objects.requireNonNull(records, "records"));
    Objects.requireNonNull(summary, "summary");
  }
}
