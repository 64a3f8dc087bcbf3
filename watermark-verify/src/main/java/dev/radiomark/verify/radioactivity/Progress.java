package dev.radiomark.verify.radioactivity;

/**
 * Receives progress reports from a long test, after each answer (closed mode) or each batch of
 * suspect calls (reading mode). Called on the thread that runs the test; keep it cheap.
 */
@FunctionalInterface
public interface Progress {
  /** Reports nothing. */
  Progress NONE = (tokensRead, tuplesScored) -> { };

  /**
   * One report.
   *
   * @param tokensRead tokens read so far (answer tokens, or probe positions)
   * @param tuplesScored distinct tuples scored so far, at most the budget
   */
  void update(long tokensRead, long tuplesScored);
}
