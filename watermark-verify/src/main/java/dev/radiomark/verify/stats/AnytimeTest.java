package dev.radiomark.verify.stats;

/**
 * An anytime-valid, one-sided test that non-negative scores have a known mean under H0: a test
 * martingale built by betting, valid under continuous monitoring and optional stopping.
 *
 * <p>For scores {@code x_1, x_2, ...} that are {@code >= 0} with {@code E[x_i | x_1..x_{i-1}] =
 * mu} (or at most mu) under H0, the wealth
 * <pre>
 *   M_t = prod_{i <= t} (1 + l_i (x_i - mu)),   l_i in [0, c / mu], c &lt; 1,
 * </pre>
 * with each bet {@code l_i} chosen from {@code x_1..x_{i-1}} only, is a non-negative martingale
 * (a supermartingale if the mean is below mu) with {@code M_0 = 1}: every factor is at least
 * {@code 1 - c > 0}. By Ville's inequality {@code P[sup_t M_t >= 1/alpha] <= alpha}, so the
 * anytime p-value {@code p_t = min(1, 1 / max_{s <= t} M_s)} satisfies {@code P[p_tau <= alpha] <= alpha} at
 * every stopping time {@code tau} (stopping at the first crossing, extending the budget after a
 * null result, peeking at every tuple), and indeed at any random time, since {@code p_t} never
 * falls below {@code 1 / sup_s M_s}. The bets are only ever positive: evidence is gathered for
 * scores above the mean (the watermark's direction), never below.
 *
 * <p>The bets follow aGRAPA (Waudby-Smith and Ramdas, "Estimating means of bounded random
 * variables by betting", JRSS-B 2024), the approximately growth-rate-optimal ("Kelly") bet for
 * the running estimates of the mean and variance, clipped to {@code [0, c / mu]}:
 * <pre>
 *   l_t = clip((m_{t-1} - mu) / (v_{t-1} + (m_{t-1} - mu)^2), 0, c / mu),
 *   m_t = (mu + sum_{i <= t} x_i) / (t + 1),
 *   v_t = (sigma^2 + sum_{i <= t} (x_i - m_i)^2) / (t + 1),
 * </pre>
 * with the null mean {@code mu} and null variance {@code sigma^2} as one prior
 * pseudo-observation. The default {@code c} is 0.5. Chosen over a mixture of constant bets, as
 * powerful at 1/28 of the cost, by a power measurement ({@code AnytimePowerTest}; table in
 * {@code docs/verification.md}).
 *
 * <p>Immutable configuration; {@link #start()} returns a mutable {@link Monitor}. Wealth is
 * accumulated as a sum of {@code log1p} terms, so neither evidence far below {@code 1e-308} nor
 * long runs underflow.
 *
 * <pre>{@code
 * AnytimeTest.Monitor m = AnytimeTest.bernoulli(0.25).start();
 * for (double x : scores) {
 *   m.add(x);
 *   if (m.reject(1e-6)) break;        // valid: stopping at the crossing
 * }
 * double log10P = m.log10P();
 * }</pre>
 */
public final class AnytimeTest {

  /** Default largest bet as a fraction of {@code 1 / mu}. */
  static final double DEFAULT_MAX_BET_FRACTION = 0.5;

  private static final double LN10 = Math.log(10);

  private final double mean;
  private final double variance;
  private final double maxBetFraction;

  private AnytimeTest(double mean, double variance, double maxBetFraction) {
    this.mean = mean;
    this.variance = variance;
    this.maxBetFraction = maxBetFraction;
  }

  /**
   * Scores in {0, 1} that are 1 with probability {@code p} under H0 (the green list: {@code p}
   * is the exact green rate gamma).
   *
   * @param p the null success probability, in (0, 1)
   * @return the test
   * @throws IllegalArgumentException if p is not in (0, 1)
   */
  public static AnytimeTest bernoulli(double p) {
    checkProbability(p);
    return new AnytimeTest(p, p * (1 - p), DEFAULT_MAX_BET_FRACTION);
  }

  /**
   * Scores in {0, ..., trials} that are Binomial(trials, p) under H0 (the tournament: the number
   * of g = 1 over m layers, Binomial(m, 1/2)).
   *
   * @param trials trials per score, at least 1
   * @param p the null success probability per trial, in (0, 1)
   * @return the test
   * @throws IllegalArgumentException if trials &lt; 1 or p is not in (0, 1)
   */
  public static AnytimeTest binomial(int trials, double p) {
    if (trials < 1) {
      throw new IllegalArgumentException(Tails.format("trials is not in [1, 2^31): %d", trials));
    }
    checkProbability(p);
    return new AnytimeTest(trials * p, trials * p * (1 - p), DEFAULT_MAX_BET_FRACTION);
  }

  /**
   * Scores that are Exp(1) under H0 (Gumbel: {@code -ln(1 - u)}, mean 1, unbounded above).
   *
   * @return the test
   */
  public static AnytimeTest exponential() {
    return new AnytimeTest(1.0, 1.0, DEFAULT_MAX_BET_FRACTION);
  }

  /**
   * The same test with another cap on the bets: {@code l <= c / mu}, so every factor is at least
   * {@code 1 - c}. A larger {@code c} grows faster under a strong signal and loses more on an
   * unlucky run.
   *
   * @param c the fraction, in (0, 1)
   * @return a new test
   * @throws IllegalArgumentException if c is not in (0, 1)
   */
  public AnytimeTest withMaxBetFraction(double c) {
    if (!(c > 0 && c < 1)) {
      throw new IllegalArgumentException(Tails.format("maxBetFraction is not in (0, 1): %s", c));
    }
    return new AnytimeTest(mean, variance, c);
  }

  /** @return the per-score mean mu under H0, positive */
  public double nullMean() {
    return mean;
  }

  /** @return the per-score variance under H0 (the bets' prior), positive */
  public double nullVariance() {
    return variance;
  }

  /** @return the cap c on the bets, as a fraction of {@code 1 / mu}, in (0, 1) */
  public double maxBetFraction() {
    return maxBetFraction;
  }

  /** @return a fresh monitor, with no score seen and wealth 1 */
  public Monitor start() {
    return new Monitor(this);
  }

  private static void checkProbability(double p) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException(Tails.format("p is not in (0, 1): %s", p));
    }
  }

  /**
   * The wealth of one stream of scores, fed in order. Not thread-safe; allocates nothing per
   * score.
   */
  public static final class Monitor {
    private final double mu;
    private final double var0;
    private final double maxBet;
    private long n;
    private double sum;
    private double squares;
    private double logM;
    private double supLogM;
    private long supAt;

    private Monitor(AnytimeTest t) {
      this.mu = t.mean;
      this.var0 = t.variance;
      this.maxBet = t.maxBetFraction / t.mean;
    }

    /**
     * Bets on one more score, then updates the running estimates.
     *
     * @param score the score, in [0, inf)
     * @throws IllegalArgumentException if score is negative, infinite or NaN
     */
    public void add(double score) {
      if (!(score >= 0 && score < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException(Tails.format("score is not in [0, inf): %s", score));
      }
      double lift = (mu + sum) / (n + 1) - mu;
      double v = (var0 + squares) / (n + 1);
      double bet = lift <= 0 ? 0 : Math.min(maxBet, lift / (v + lift * lift));
      logM += Math.log1p(bet * (score - mu));
      n++;
      sum += score;
      double m = (mu + sum) / (n + 1);
      squares += (score - m) * (score - m);
      if (logM > supLogM) {
        supLogM = logM;
        supAt = n;
      }
    }

    /** @return scores added so far */
    public long tuples() {
      return n;
    }

    /** @return log10 of the current wealth M_t (the e-value at t); 0 before any score */
    public double log10E() {
      return logM / LN10;
    }

    /**
     * The anytime p-value {@code min(1, 1 / max_{s <= t} M_s)}, as log10.
     *
     * @return log10 p, in (-inf, 0]; non-increasing as scores are added
     */
    public double log10P() {
      return supLogM <= 0 ? 0.0 : -supLogM / LN10;
    }

    /** @return the number of scores after which the wealth was largest; 0 if it never exceeded 1 */
    public long supTuples() {
      return supAt;
    }

    /**
     * Whether H0 is rejected at level alpha: {@code p_t <= alpha}, compared in log10. Valid at
     * any time, including the first time it becomes true.
     *
     * @param alpha the level, in (0, 1)
     * @return true once the wealth has reached {@code 1 / alpha}
     * @throws IllegalArgumentException if alpha is not in (0, 1)
     */
    public boolean reject(double alpha) {
      if (!(alpha > 0 && alpha < 1)) {
        throw new IllegalArgumentException(Tails.format("alpha is not in (0, 1): %s", alpha));
      }
      return log10P() <= Math.log10(alpha);
    }
  }
}
