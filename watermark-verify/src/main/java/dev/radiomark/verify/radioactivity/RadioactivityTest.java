package dev.radiomark.verify.radioactivity;

/**
 * A radioactivity test bound to one key, run over an input of type {@code I}: answers of the
 * suspect ({@link ClosedModelTest}) or watermarked probe texts ({@link ReadingModeTest}).
 * {@link Attribution} runs one per cohort key.
 *
 * @param <I> the input type
 */
public interface RadioactivityTest<I> {
  /**
   * Runs the test.
   *
   * @param input the input, read once, in order
   * @return the result at the pre-registered budget
   * @throws IllegalArgumentException on a token id outside the vocabulary
   */
  RadioactivityResult run(I input);
}
