package dev.radiomark.verify.radioactivity;

import dev.radiomark.Watermarker;
import dev.radiomark.verify.DetectorConfig;
import dev.radiomark.verify.SeenSet;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Options shared by the closed-model and reading-mode builders: budget, curve, detector options,
 * de-duplication memory, progress.
 *
 * @param <B> the concrete builder
 */
abstract class AbstractBuilder<B extends AbstractBuilder<B>> {
  final Watermarker watermarker;
  long budget = 100_000;
  int curvePoints = 200;
  double anytimeStop = Double.NaN;
  DetectorConfig config = DetectorConfig.defaults();
  Supplier<SeenSet> seenSets = SeenSet::exact;
  Progress progress = Progress.NONE;

  AbstractBuilder(Watermarker watermarker) {
    this.watermarker = watermarker;
  }

  abstract B self();

  /**
   * The pre-registered number of tuples whose pooled p-value is the verdict.
   *
   * @param tuples at least 1
   * @return this
   * @throws IllegalArgumentException if tuples &lt; 1
   */
  public B budget(long tuples) {
    if (tuples < 1) {
      throw new IllegalArgumentException("budget is not in [1, 2^63): " + tuples);
    }
    this.budget = tuples;
    return self();
  }

  /**
   * Approximate number of curve points: one every {@code max(1, budget / points)} tuples.
   *
   * @param points in [1, 100000]
   * @return this
   * @throws IllegalArgumentException if out of range
   */
  public B curvePoints(int points) {
    if (points < 1 || points > 100_000) {
      throw new IllegalArgumentException("curvePoints is not in [1, 100000]: " + points);
    }
    this.curvePoints = points;
    return self();
  }

  /**
   * Adds the anytime-valid test ({@link dev.radiomark.verify.stats.AnytimeTest}, over the
   * scheme's null per tuple) and stops the run at the first tuple where its p-value is at most
   * {@code alpha}; the budget becomes a maximum. The result carries it as
   * {@link RadioactivityResult#anytime()}. Its p-value stays valid whatever the stopping rule: at
   * the crossing, at the budget, or after re-running on the same stream extended with more
   * input. Off by default: the fixed-budget test alone. {@link Attribution} corrects the
   * fixed-budget p-values; correct the anytime ones over keys with
   * {@link dev.radiomark.verify.stats.MultipleTesting#holm(double[])}, which stays valid when each
   * key stopped at its own crossing (an anytime p is never below the all-time infimum, itself
   * a valid p-value).
   *
   * @param alpha the stop level in (0, 1), for example the family-wise alpha divided by the
   *     number of keys tested
   * @return this
   * @throws IllegalArgumentException if alpha is not in (0, 1)
   */
  public B anytime(double alpha) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "anytime alpha is not in (0, 1): %s", alpha));
    }
    this.anytimeStop = alpha;
    return self();
  }

  /**
   * Detector options. The defaults are the valid ones; turning a protection off
   * ({@code Dedup.NONE}, prompt windows kept) exists for demonstrations and makes p-values
   * invalid.
   *
   * @param config the options
   * @return this
   * @throws IllegalArgumentException if null
   */
  public B detectorConfig(DetectorConfig config) {
    if (config == null) {
      throw new IllegalArgumentException("detectorConfig is null");
    }
    this.config = config;
    return self();
  }

  /**
   * The de-duplication memory of each run, for example
   * {@code () -> SeenSet.bounded(1 << 27, 1e-3)} for inputs too large for the exact set
   * (false positives cost power, not validity).
   *
   * @param seenSets a fresh set per run
   * @return this
   * @throws IllegalArgumentException if null
   */
  public B seenSet(Supplier<SeenSet> seenSets) {
    if (seenSets == null) {
      throw new IllegalArgumentException("seenSet supplier is null");
    }
    this.seenSets = seenSets;
    return self();
  }

  /**
   * Progress reports after each answer.
   *
   * @param progress the callback, or null for none
   * @return this
   */
  public B progress(Progress progress) {
    this.progress = progress == null ? Progress.NONE : progress;
    return self();
  }
}
