package dev.radiomark.examples.demo;

import dev.radiomark.verify.Verdict;
import dev.radiomark.verify.radioactivity.RadioactivityResult;
import java.util.List;

/**
 * One line of the demo's table and of {@code results.json}.
 *
 * @param student {@code ngram} or {@code neural}
 * @param rho fraction of the student's training tokens that were watermarked teacher answers
 *     (0 for the control)
 * @param control whether this is the control (trained on unwatermarked teacher answers)
 * @param mode {@code closed} or {@code reading}; optional rows: {@code reading-wk}
 *     ({@link DemoConfig#readingTopK}), {@code closed-kk} and {@code closed-wk} ({@link DemoConfig#closedTopK})
 * @param supervised whether the ledger filtered the windows
 * @param result the verifier's result
 * @param verdict the verdict at the demo's alpha ({@link dev.radiomark.verify.Evidence}, one test per row)
 */
public record DemoRow(String student, double rho, boolean control, String mode, boolean supervised,
    RadioactivityResult result, Verdict verdict) {

  /**
   * What this row's verdict states, in the words of its mode ({@link dev.radiomark.verify.Claim}).
   *
   * @param alpha the level the verdict was taken at
   * @return one sentence
   */
  public String statement(double alpha) {
    return result.mode().claim().sentence(verdict, List.of(result.keyId()), alpha);
  }
}
