package dev.radiomark.examples.demo;

import dev.radiomark.examples.lm.NeuralConfig;
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
 * @param ngramOrder order of the n-gram student (Kneser-Ney)
 * @param neural the neural student's architecture and training (its token budget is
 *     {@code neuralTrainTokens})
 * @param readingTopK 0 for top-1 reading mode only; k &gt; 1 adds, per student, a second
 *     reading-mode row scored by the green mass of the student's top-k distribution
 *     ({@code ReadingModeTest.Builder#weighted}), labelled {@code reading-wk}
 * @param closedTopK 0 for closed mode on the sampled tokens only; k &gt; 0 adds, per student, closed
 *     mode on the student's top-k log-probabilities at each position of the same answers, as an
 *     API returns them ({@code ClosedLogprobTest}, {@code wm verify --mode closed --top-k k}):
 *     exact ({@code closed-kk}) and weighted ({@code closed-wk}), unsupervised and supervised,
 *     each with budget {@code k * closedBudget} so that every row scores the same answers
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
    double alpha,
    int ngramOrder,
    NeuralConfig neural,
    int readingTopK,
    int closedTopK) {

  /**
   * The demo's neural student: it sees the whole window of the recommended setting (context 4 for
   * h = 4) and trains 12 epochs in batches of 128, over an output vocabulary of the 1,024 most
   * frequent tokens (docs/power.md measures what each choice is worth).
   */
  public static final NeuralConfig STUDENT = NeuralConfig.withDefaults().withContextSize(4).withEpochs(12)
      .withBatchSize(128).withOutputVocab(1024);

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
    if (ngramOrder < 2 || ngramOrder > 8) {
      throw new IllegalArgumentException("ngramOrder is not in [2, 8]: " + ngramOrder);
    }
    if (readingTopK < 0 || readingTopK == 1 || readingTopK > 4096) {
      throw new IllegalArgumentException("readingTopK is not 0 or in [2, 4096]: " + readingTopK);
    }
    if (closedTopK < 0 || closedTopK > 4096) {
      throw new IllegalArgumentException("closedTopK is not 0 or in [1, 4096]: " + closedTopK);
    }
    java.util.Objects.requireNonNull(neural, "neural");
  }

  /**
   * The configuration with the students of the earlier demo (Kneser-Ney order 3, the neural
   * defaults of {@link NeuralConfig#withDefaults()}, top-1 reading mode only, closed mode on the
   * sampled tokens only).
   */
  public DemoConfig(long seed, double gamma, double delta, int contextWidth, int promptTokens, int answerTokens,
      int candidates, double temperature, double topP, int studentTokens, List<Double> rhos, int closedAnswers,
      long closedBudget, int probeTokens, long readingBudget, int neuralTrainTokens, double alpha) {
    this(seed, gamma, delta, contextWidth, promptTokens, answerTokens, candidates, temperature, topP, studentTokens,
        rhos, closedAnswers, closedBudget, probeTokens, readingBudget, neuralTrainTokens, alpha, 3,
        NeuralConfig.withDefaults(), 0, 0);
  }

  /**
   * The defaults: the watermark {@code wm keygen} writes by default (green list, gamma 0.25,
   * delta 3, ordered h = 4: the setting chosen by the per-key validity study), the public
   * reproduction's sampling (temperature 0.8, top-p 0.95), rho in {0, 1%, 5%, 100%}, alpha 1e-6;
   * students that see the whole window (Kneser-Ney order 5, {@link #STUDENT}).
   *
   * @return the defaults
   */
  public static DemoConfig defaults() {
    return new DemoConfig(1L, 0.25, 3.0, 4, 8, 48, 50, 0.8, 0.95, 200_000,
        List.of(0.0, 0.01, 0.05, 1.0), 1500, 60_000, 200_000, 1_000_000, 200_000, 1e-6, 5, STUDENT, 0, 0);
  }

  /**
   * A smaller run for tests: same steps, a tenth of the data.
   *
   * @return the quick configuration
   */
  public static DemoConfig quick() {
    return new DemoConfig(1L, 0.25, 3.0, 4, 8, 48, 50, 0.8, 0.95, 30_000,
        List.of(0.0, 1.0), 200, 8_000, 20_000, 1_000_000, 30_000, 1e-6, 5, STUDENT, 0, 0);
  }

  /**
   * @param s seed
   * @return a copy with this seed
   */
  public DemoConfig withSeed(long s) {
    return new DemoConfig(s, gamma, delta, contextWidth, promptTokens, answerTokens, candidates, temperature,
        topP, studentTokens, rhos, closedAnswers, closedBudget, probeTokens, readingBudget, neuralTrainTokens, alpha,
        ngramOrder, neural, readingTopK, closedTopK);
  }

  /**
   * @param g gamma
   * @param d delta
   * @param h window width
   * @return a copy with this watermark
   */
  public DemoConfig withWatermark(double g, double d, int h) {
    return new DemoConfig(seed, g, d, h, promptTokens, answerTokens, candidates, temperature,
        topP, studentTokens, rhos, closedAnswers, closedBudget, probeTokens, readingBudget, neuralTrainTokens, alpha,
        ngramOrder, neural, readingTopK, closedTopK);
  }

  /**
   * @param r the rhos
   * @return a copy with these rhos
   */
  public DemoConfig withRhos(List<Double> r) {
    return new DemoConfig(seed, gamma, delta, contextWidth, promptTokens, answerTokens, candidates, temperature,
        topP, studentTokens, r, closedAnswers, closedBudget, probeTokens, readingBudget, neuralTrainTokens, alpha,
        ngramOrder, neural, readingTopK, closedTopK);
  }

  /**
   * @param order n-gram student order
   * @param n neural student
   * @param trainTokens neural student's training tokens
   * @param topK 0, or k of the extra weighted reading-mode row
   * @return a copy with these students
   */
  public DemoConfig withStudents(int order, NeuralConfig n, int trainTokens, int topK) {
    return new DemoConfig(seed, gamma, delta, contextWidth, promptTokens, answerTokens, candidates, temperature,
        topP, studentTokens, rhos, closedAnswers, closedBudget, probeTokens, readingBudget, trainTokens, alpha,
        order, n, topK, closedTopK);
  }

  /**
   * @param tokens probe tokens of reading mode
   * @return a copy with this many probe tokens
   */
  public DemoConfig withProbeTokens(int tokens) {
    return new DemoConfig(seed, gamma, delta, contextWidth, promptTokens, answerTokens, candidates, temperature,
        topP, studentTokens, rhos, closedAnswers, closedBudget, tokens, readingBudget, neuralTrainTokens, alpha,
        ngramOrder, neural, readingTopK, closedTopK);
  }

  /**
   * @param k 0, or k of the extra closed-mode rows on the student's top-k log-probabilities
   * @return a copy with this k
   */
  public DemoConfig withClosedTopK(int k) {
    return new DemoConfig(seed, gamma, delta, contextWidth, promptTokens, answerTokens, candidates, temperature,
        topP, studentTokens, rhos, closedAnswers, closedBudget, probeTokens, readingBudget, neuralTrainTokens, alpha,
        ngramOrder, neural, readingTopK, k);
  }
}
