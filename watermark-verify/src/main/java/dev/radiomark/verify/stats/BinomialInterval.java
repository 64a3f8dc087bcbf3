package dev.radiomark.verify.stats;

import org.apache.commons.statistics.distribution.BetaDistribution;

/**
 * A confidence interval {@code [lower, upper]} for a binomial proportion, for example an
 * empirical false-positive rate measured on null texts.
 *
 * @param lower lower bound, in {@code [0, upper]}
 * @param upper upper bound, in {@code [lower, 1]}
 */
public record BinomialInterval(double lower, double upper) {

  /**
   * Validates the bounds.
   *
   * @param lower lower bound, in {@code [0, upper]}
   * @param upper upper bound, in {@code [lower, 1]}
   * @throws IllegalArgumentException unless {@code 0 <= lower <= upper <= 1}
   */
  public BinomialInterval {
    Tails.checkProbability("lower", lower);
    Tails.checkProbability("upper", upper);
    if (lower > upper) {
      throw new IllegalArgumentException(
        Tails.format("upper is not in [lower = %s, 1]: %s", lower, upper));
    }
  }

  /**
   * The Clopper-Pearson ("exact") interval: the set of proportions not rejected by the
   * two one-sided binomial tests at {@code (1 - confidence) / 2} each. Its coverage is at least
   * {@code confidence} for every true proportion (it is conservative).
   *
   * <p>{@code lower = B^-1(alpha / 2; x, n - x + 1)} (0 when {@code x = 0}) and
   * {@code upper = B^-1(1 - alpha / 2; x + 1, n - x)} (1 when {@code x = n}), with
   * {@code B^-1} the inverse beta CDF of Commons Statistics and {@code alpha = 1 - confidence}.
   *
   * @param successes number of successes {@code x}, in {@code [0, trials]}
   * @param trials number of trials {@code n}, {@code >= 0}; with 0 trials the interval is [0, 1]
   * @param confidence confidence level, in {@code (0, 1)}, e.g. 0.95
   * @return the interval
   * @throws IllegalArgumentException if an argument is out of its range
   */
  public static BinomialInterval clopperPearson(long successes, long trials, double confidence) {
    if (trials < 0) {
      throw new IllegalArgumentException(Tails.format("trials is not in [0, inf): %d", trials));
    }
    if (successes < 0 || successes > trials) {
      throw new IllegalArgumentException(
        Tails.format("successes is not in [0, trials = %d]: %d", trials, successes));
    }
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException(
        Tails.format("confidence is not in (0, 1): %s", confidence));
    }
    final double tail = (1 - confidence) / 2;
    final double x = successes;
    final double failures = trials - successes;
    final double lower = successes == 0 ? 0
      : BetaDistribution.of(x, failures + 1).inverseCumulativeProbability(tail);
    final double upper = successes == trials ? 1
      : BetaDistribution.of(x + 1, failures).inverseSurvivalProbability(tail);
    return new BinomialInterval(lower, upper);
  }

  /**
   * Returns true if {@code p} lies in the closed interval.
   *
   * @param p a proportion
   * @return {@code lower <= p <= upper}
   */
  public boolean contains(double p) {
    return lower <= p && p <= upper;
  }
}
