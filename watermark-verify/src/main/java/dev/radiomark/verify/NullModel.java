package dev.radiomark.verify;

import dev.radiomark.Scheme;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.prf.KeyedPrf;
import dev.radiomark.verify.stats.AnytimeTest;
import dev.radiomark.verify.stats.Tails;

/**
 * The exact law of a scheme's summed score over n distinct tuples of text written without the
 * key, and its upper tail in log10:
 * green list Binomial(n, gamma), Gumbel Gamma(n, 1), tournament Binomial(n m, 1/2).
 */
public final class NullModel {
  private final Scheme scheme;
  private final double gamma;
  private final int layers;

  private NullModel(Scheme scheme, double gamma, int layers) {
    this.scheme = scheme;
    this.gamma = gamma;
    this.layers = layers;
  }

  /**
   * The null of a spec. For the green list the success probability is the exact rate of the
   * PRF threshold, floor(gamma 2^53) / 2^53.
   *
   * @param spec the watermark parameters
   * @return its null model
   */
  public static NullModel of(WatermarkSpec spec) {
    double g = KeyedPrf.greenThreshold(spec.gamma()) * 0x1p-53;
    return new NullModel(spec.scheme(), g, spec.layers());
  }

  /**
   * log10 P[S' >= score] for n tuples under H0; 0 when n = 0.
   *
   * @param n tuples scored
   * @param score summed score
   * @return log10 of the p-value, in (-inf, 0], never NaN
   */
  public double log10P(long n, double score) {
    if (n == 0) {
      return 0.0;
    }
    switch (scheme) {
      case GREEN_LIST:
        return Tails.log10BinomialSurvival(n, Math.round(score), gamma);
      case GUMBEL:
        return Tails.log10GammaSurvival(n, score);
      default:
        return Tails.log10BinomialSurvival(n * layers, Math.round(score), 0.5);
    }
  }

  /**
   * The anytime-valid test of the same null, one tuple's score at a time: Bernoulli(gamma) for
   * the green list (the exact PRF rate), Exp(1) for Gumbel, Binomial(m, 1/2) for the tournament.
   *
   * @return the test, with its default bets
   */
  public AnytimeTest anytimeTest() {
    switch (scheme) {
      case GREEN_LIST:
        return AnytimeTest.bernoulli(gamma);
      case GUMBEL:
        return AnytimeTest.exponential();
      default:
        return AnytimeTest.binomial(layers, 0.5);
    }
  }

  /**
   * Expected score of one tuple under H0: gamma, 1 or m/2.
   *
   * @return the mean
   */
  public double meanPerTuple() {
    switch (scheme) {
      case GREEN_LIST:
        return gamma;
      case GUMBEL:
        return 1.0;
      default:
        return layers / 2.0;
    }
  }

  /**
   * Score scale that maps a tuple's score to a rate in [0, 1] for reports: 1 for the green list
   * (green rate), m for the tournament (mean g), 1 for Gumbel (mean score, unbounded).
   *
   * @return the divisor
   */
  public double rateScale() {
    return scheme == Scheme.TOURNAMENT ? layers : 1.0;
  }

  /**
   * Whether a single tuple's score is above its null mean (for per-token display).
   *
   * @param score one tuple's score
   * @return true if above the mean
   */
  public boolean isHit(double score) {
    return score > meanPerTuple();
  }
}
