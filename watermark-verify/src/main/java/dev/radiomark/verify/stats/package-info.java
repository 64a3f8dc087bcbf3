/**
 * Exact statistics for detection: upper-tail p-values of the detection nulls, corrections for
 * multiple testing, a uniformity test for calibration and binomial confidence intervals.
 *
 * <h2>Why log10 space</h2>
 * Evidence from a watermarked or distilled model is routinely {@code 1e-30 .. 1e-1000}, and a
 * tournament pools {@code n * m} trials, so p-values fall far below the smallest double
 * ({@code 4.9e-324}). A p-value of 0 is a lie that also breaks every later step (corrections,
 * ranking, reporting). Every probability here is therefore carried as {@code log10 p}: finite,
 * {@code <= 0}, and convertible for display with {@link dev.radiomark.verify.stats.Tails#pFromLog10}.
 * Decisions compare logs: {@code log10P < Math.log10(alpha)}.
 *
 * <h2>Where Commons is used, and where not</h2>
 * <ul>
 *   <li>{@link dev.radiomark.verify.stats.Tails} takes the regularized incomplete beta and gamma
 *   functions of Commons Numbers (Boost ports) while the probability is at least
 *   {@code 1e-280}. Commons Statistics survival functions are right to about {@code 1e-300} and
 *   then return 0; commons-math3's {@code 1 - cdf} already returns 0 from {@code 1e-17}, and a
 *   z-score (normal approximation) understates p several-fold on short texts. Below
 *   {@code 1e-280} the tail is summed in log space from a saddle-point (Loader) leading term.</li>
 *   <li>{@link dev.radiomark.verify.stats.UniformityTest} delegates to the Kolmogorov-Smirnov test
 *   of Commons Statistics Inference (exact Kolmogorov distribution for small samples).</li>
 *   <li>{@link dev.radiomark.verify.stats.BinomialInterval} inverts Commons Statistics' beta
 *   distribution.</li>
 *   <li>{@link dev.radiomark.verify.stats.MultipleTesting} is our own: the corrections must work
 *   on log values, which no library does.</li>
 *   <li>{@link dev.radiomark.verify.stats.AnytimeTest} is our own: a betting test martingale
 *   (aGRAPA bets, Waudby-Smith and Ramdas 2024) whose p-value stays valid under continuous
 *   monitoring and optional stopping, kept in log space.</li>
 * </ul>
 *
 * <h2>Accuracy</h2>
 * {@code Tails} is accurate to {@code 1e-9 * max(1, |log10 p|)} in {@code log10 p} from
 * {@code p = 1} down to at least {@code 1e-1000000}. {@code TailsTest} checks every row of
 * {@code src/test/resources/reference/tail-pvalues.tsv} (mpmath 1.3.0, 60 digits) against this
 * bound, and small cases against exact rational sums computed with {@code BigInteger}.
 */
package dev.radiomark.verify.stats;
