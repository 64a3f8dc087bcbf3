package dev.radiomark.examples.demo;

import dev.radiomark.verify.radioactivity.RadioactivityResult;

/**
 * One line of the demo's table and of {@code results.json}.
 *
 * @param student {@code ngram} or {@code neural}
 * @param rho fraction of the student's training tokens that were watermarked teacher answers
 *     (0 for the control)
 * @param control whether this is the control (trained on unwatermarked teacher answers)
 * @param mode {@code closed} or {@code reading}
 * @param supervised whether the ledger filtered the windows
 * @param result the verifier's result
 * @param flagged whether the verdict at the demo's alpha is "trained on watermarked answers"
 */
public record DemoRow(String student, double rho, boolean control, String mode, boolean supervised,
    RadioactivityResult result, boolean flagged) {}
