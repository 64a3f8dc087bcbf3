package dev.radiomark.verify.stats;

import java.util.Locale;

/**
 * A provably conservative upper tail for a weighted sum of independent scores,
 * {@code S = sum_i q_i X_i}, where the weights {@code q_i} in (0, 1] are fixed independently of
 * the X's and each X has the scheme's per-tuple null law: Bernoulli(gamma) (green list), Exp(1)
 * (Gumbel) or Binomial(m, 1/2) (tournament). This is the null of distribution-level scoring in
 * reading mode: the suspect's next-token probabilities q weight the scores of distinct tuples,
 * and under H0 the keyed scores are independent of q.
 *
 * <p>The tail is Chernoff's bound, {@code P[S >= s] <= exp(K(l) - l s)} for every {@code l >= 0}
 * with {@code K(l) = sum_i log E[exp(l q_i X)]}; it holds for each l, hence for the smallest
 * value over a fixed grid of l, which is what {@link #log10P()} reports. It is valid for every
 * number of terms (no normal approximation) but looser than an exact tail: about 1.5 orders of
 * magnitude at z = 4.
 *
 * <p>Accumulates in O(grid) per term; not thread-safe.
 */
public final class WeightedNull {
  /** The per-tuple null law. */
  public enum Law {
    /** Bernoulli(gamma). */
    BERNOULLI,
    /** Exp(1). */
    EXPONENTIAL,
    /** Binomial(m, 1/2). */
    BINOMIAL_HALF
  }

  private static final double LN10 = Math.log(10);

  private final Law law;
  private final double gamma;
  private final int layers;
  private final double[] grid;
  private final double[] cumulant;
  private long terms;
  private double sum;
  private double weights;

  private WeightedNull(Law law, double gamma, int layers) {
    this.law = law;
    this.gamma = gamma;
    this.layers = layers;
    this.grid = law == Law.EXPONENTIAL ? unitGrid() : logGrid();
    this.cumulant = new double[grid.length];
  }

  /**
   * Bernoulli(gamma) scores.
   *
   * @param gamma success probability in (0, 1)
   * @return an empty accumulator
   * @throws IllegalArgumentException if gamma is not in (0, 1)
   */
  public static WeightedNull bernoulli(double gamma) {
    if (!(gamma > 0 && gamma < 1)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "gamma is not in (0, 1): %s", gamma));
    }
    return new WeightedNull(Law.BERNOULLI, gamma, 0);
  }

  /** @return an empty accumulator for Exp(1) scores */
  public static WeightedNull exponential() {
    return new WeightedNull(Law.EXPONENTIAL, 0, 0);
  }

  /**
   * Binomial(m, 1/2) scores.
   *
   * @param m layers, at least 1
   * @return an empty accumulator
   * @throws IllegalArgumentException if m &lt; 1
   */
  public static WeightedNull binomialHalf(int m) {
    if (m < 1) {
      throw new IllegalArgumentException("m is not at least 1: " + m);
    }
    return new WeightedNull(Law.BINOMIAL_HALF, 0.5, m);
  }

  /**
   * Adds one term.
   *
   * @param weight its weight q, in (0, 1]
   * @param score its score X
   * @throws IllegalArgumentException if the weight is not in (0, 1] or the score is not finite
   */
  public void add(double weight, double score) {
    if (!(weight > 0 && weight <= 1)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "weight is not in (0, 1]: %s", weight));
    }
    if (!Double.isFinite(score)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "score is not finite: %s", score));
    }
    for (int i = 0; i < grid.length; i++) {
      cumulant[i] += logMgf(grid[i] * weight);
    }
    terms++;
    sum += weight * score;
    weights += weight;
  }

  /** log E[exp(x X)] for one score X under the law, x &gt;= 0. */
  private double logMgf(double x) {
    switch (law) {
      case BERNOULLI:
        // log(1 - g + g e^x) = x + log(g + (1 - g) e^-x): no overflow for large x
        return x + Math.log(gamma + (1 - gamma) * Math.exp(-x));
      case EXPONENTIAL:
        return -Math.log1p(-x);
      default:
        // m log((1 + e^x) / 2) = m (x + log((1 + e^-x) / 2))
        return layers * (x + Math.log1p(Math.exp(-x)) - Math.log(2));
    }
  }

  /** @return terms added */
  public long terms() {
    return terms;
  }

  /** @return the weighted sum S */
  public double sum() {
    return sum;
  }

  /** @return the sum of the weights (the expected S is this times the null mean) */
  public double weights() {
    return weights;
  }

  /** @return the null mean of one score: gamma, 1 or m/2 */
  public double nullMean() {
    switch (law) {
      case BERNOULLI:
        return gamma;
      case EXPONENTIAL:
        return 1.0;
      default:
        return layers / 2.0;
    }
  }

  /**
   * The Chernoff bound on log10 P[S' &gt;= S] under H0: the smallest {@code (K(l) - l S) / ln 10}
   * over the grid, at most 0; 0 when nothing was added.
   *
   * @return an upper bound on the log10 p-value, in (-inf, 0]
   */
  public double log10P() {
    double best = 0;
    for (int i = 0; i < grid.length; i++) {
      best = Math.min(best, cumulant[i] - grid[i] * sum);
    }
    return best / LN10;
  }

  /** 160 points, log-spaced over [1e-3, 1e4]: the Bernoulli and binomial laws. */
  private static double[] logGrid() {
    double[] g = new double[160];
    for (int i = 0; i < g.length; i++) {
      g[i] = Math.pow(10, -3 + 7.0 * i / (g.length - 1));
    }
    return g;
  }

  /** Points in (0, 1) for Exp(1) (its MGF exists for x &lt; 1): i/128, then 1 - 2^-j. */
  private static double[] unitGrid() {
    double[] g = new double[127 + 23];
    for (int i = 1; i < 128; i++) {
      g[i - 1] = i / 128.0;
    }
    for (int j = 8; j <= 30; j++) {
      g[127 + j - 8] = 1 - Math.scalb(1.0, -j);
    }
    return g;
  }
}
