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
  /**
   * Mean Gumbel score per tuple taken as "typically watermarked" by {@link #watermarkedMeanPerTuple()}:
   * twice the null mean of 1.
   */
  public static final double GUMBEL_WATERMARKED_MEAN = 2.0;

  private final Scheme scheme;
  private final double gamma;
  private final int layers;
  private final double watermarkedMean;

  private NullModel(Scheme scheme, double gamma, int layers, double watermarkedMean) {
    this.scheme = scheme;
    this.gamma = gamma;
    this.layers = layers;
    this.watermarkedMean = watermarkedMean;
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
    double wm;
    switch (spec.scheme()) {
      case GREEN_LIST:
        double e = Math.exp(spec.delta());
        wm = g * e / (1 + g * (e - 1));
        break;
      case GUMBEL:
        wm = GUMBEL_WATERMARKED_MEAN;
        break;
      default:
        wm = spec.layers() * (0.5 + 0.25 * (1 - 1.0 / spec.vocabSize()));
        break;
    }
    return new NullModel(spec.scheme(), g, spec.layers(), wm);
  }

  /**
   * Success probability of one green-list tuple under H0 (the exact PRF rate), or NaN for the
   * other schemes, whose scores are not Bernoulli.
   *
   * @return gamma, or NaN
   */
  public double bernoulliRate() {
    return scheme == Scheme.GREEN_LIST ? gamma : Double.NaN;
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
   * Expected score of one tuple of a typical watermarked text, the reference of the
   * minimum-evidence rule ({@link Evidence}):
   * <ul>
   *   <li>green list: gamma e^delta / (1 + gamma (e^delta - 1)), the green rate of a uniform
   *       next-token distribution biased by delta (0.711 at gamma 0.25, delta 2); equal to gamma
   *       when delta = 0;
   *   <li>Gumbel: {@link #GUMBEL_WATERMARKED_MEAN} = 2, twice the null mean (the score is
   *       unbounded, so no "most extreme" text exists; 2 is reached by moderately high-entropy
   *       watermarked text);
   *   <li>tournament: m (1/2 + 1/4 (1 - 1/|V|)), the mean g of a uniform model with N = 2.
   * </ul>
   *
   * @return the mean, at least {@link #meanPerTuple()}
   */
  public double watermarkedMeanPerTuple() {
    return watermarkedMean;
  }

  /**
   * Largest possible score of one tuple: 1 for the green list, m for the tournament, +infinity
   * for Gumbel.
   *
   * @return the maximum
   */
  public double maxPerTuple() {
    switch (scheme) {
      case GREEN_LIST:
        return 1.0;
      case GUMBEL:
        return Double.POSITIVE_INFINITY;
      default:
        return layers;
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
