package dev.radiomark.verify.result;

import java.io.IOException;

/**
 * A writer of the result stream: {@link #start} once, {@link #document} once per document in
 * input order, then {@link #finish} once if the whole input succeeded. A run that fails stops
 * calling; a sink that writes files must then leave nothing half-written.
 */
public interface ResultSink {
  /**
   * The run is about to score its first document.
   *
   * @param run what is tested
   * @throws IOException if writing fails
   */
  default void start(RunInfo run) throws IOException {}

  /**
   * One scored document.
   *
   * @param d the document
   * @throws IOException if writing fails
   */
  void document(DocumentResult d) throws IOException;

  /**
   * The run's outcome, after the last document.
   *
   * @param outcome the verdict and the keys' tests
   * @throws IOException if writing fails
   */
  void finish(RunOutcome outcome) throws IOException;
}
