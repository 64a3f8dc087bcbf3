package dev.radiomark.examples.demo;

import java.util.List;
import java.util.Locale;

/**
 * The demo's embedded defaults. Every number here is fixed before any verification runs; the
 * token budgets are pre-registered.
 *
 * @param seed seed of the non-keyed randomness (sampling, data mixing); the key is always fresh
 * @param gamma green fraction of the teacher's watermark
 * @param delta green bias of the teacher's watermark
 * @param contextWidth window width h of the teacher's watermark
 * @param promptTokens prompt length taken from the start of a prompt verse
 * @param answerTokens tokens generated per answer
 * @param candidates candidates per step offered by the language model (candidate mode)
 * @param temperature sampling temperature of teacher and students
 * @param topP nucleus mass of teacher and students
 * @param studentTokens training tokens of every student (human plus teacher answers)
 * @param rhos fractions of the student's training tokens that are watermarked teacher answers;
 *     0 is the control, trained on the same share of unwatermarked teacher answers as the
 *     largest rho
 * @param closedAnswers answers each student writes for the closed-model test
 * @param closedBudget pre-registered tuple budget of the closed-model test
 * @param probeTokens probe tokens fed to each student in reading mode
 * @param readingBudget pre-registered tuple budget of reading mode
 * @param neuralTrainTokens training tokens of the neural student (a prefix of its mixture)
 * @param alpha significance level of the verdicts
 */
public record DemoConfig(
    long seed,
    double gamma,
    double delta,
    int contextWidth,
    int promptTokens,
    int answerTokens,
    int candidates,
    double temperature,
    double topP,
    int studentTokens,
    List<Double> rhos,
    int closedAnswers,
    long closedBudget,
    int probeTokens,
    long readingBudget,
    int neuralTrainTokens,
    double alpha) {

  /** Checks ranges. */
  public DemoConfig {
    rhos = List.copyOf(rhos);
    for (double r : rhos) {
      if (!(r >= 0 && r <= 1)) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, "rho is not in [0, 1]: %s", r));
      }
    }
    if (studentTokens < 1000) {
      throw new IllegalArgumentException("studentTokens is not in [1000, 2^31): " + studentTokens);
    }
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "alpha is not in (0, 1): %s", alpha));
    }
  }

  /**
   * The defaults: the public reproduction's watermark (green list, gamma 0.25, delta 3, h = 2),
   * its sampling (temperature 0.8, top-p 0.95), rho in {0, 1%, 5%, 100%}, alpha 1e-6.
   *
   * @return the defaults
   */
  public static DemoConfig defaults() {
    return new DemoConfig(1L, 0.25, 3.0, 2, 8, 48, 50, 0.8, 0.95, 200_000,
        List.of(0.0, 0.01, 0.05, 1.0), 1500, 60_000, 200_000, 1_000_000, 150_000, 1e-6);
  }

  /**
   * A smaller run for tests: same steps, a tenth of the data.
   *
   * @return the quick configuration
   */
  public static DemoConfig quick() {
    return new DemoConfig(1L, 0.25, 3.0, 2, 8, 48, 50, 0.8, 0.95, 30_000,
        List.of(0.0, 1.0), 200, 8_000, 20_000, 1_000_000, 30_000, 1e-6);
  }

  /**
   * @param s seed
   * @return a copy with this seed
   */
  public DemoConfig withSeed(long s) {
    return new DemoConfig(s, gamma, delta, contextWidth, promptTokens, answerTokens, candidates, temperature,
        topP, studentTokens, rhos, closedAnswers, closedBudget, probeTokens, readingBudget, neuralTrainTokens, alpha);
  }
}
