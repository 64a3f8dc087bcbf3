package dev.radiomark.verify.radioactivity;

import dev.radiomark.Watermarker;
import dev.radiomark.verify.Detector;

/**
 * Where the distribution-level tests (reading mode, closed mode with log-probabilities) pool
 * their scored tuples: the exact accumulator for unweighted top-k, or the probability-weighted
 * one with its Chernoff tail. Not thread-safe.
 */
final class TupleSink {
  private final Accumulator acc;
  private final WeightedAccumulator wacc;
  private final Mode mode;
  private final boolean supervised;
  private final String keyId;

  TupleSink(Detector detector, Mode mode, boolean supervised, boolean weighted, long budget, int curvePoints,
      double anytimeStop) {
    Watermarker w = detector.watermarker();
    this.acc = weighted ? null : new Accumulator(detector.nullModel(), budget, curvePoints, anytimeStop);
    this.wacc = weighted
        ? new WeightedAccumulator(w.spec(), detector.nullModel().meanPerTuple(), budget, curvePoints) : null;
    this.mode = mode;
    this.supervised = supervised;
    this.keyId = w.keyId();
  }

  /**
   * Adds one tuple's score, of probability exp(logProb) under the suspect when weighted; a NaN
   * score (a repeat) and, when weighted, a probability that rounds to 0 are skipped.
   *
   * @return true once the budget is reached
   */
  boolean add(double score, float logProb) {
    if (Double.isNaN(score)) {
      return false;
    }
    if (acc != null) {
      return acc.add(score);
    }
    double q = Math.min(1.0, Math.exp(logProb));
    return q > 0 && wacc.add(q, score);
  }

  boolean full() {
    return acc != null ? acc.full() : wacc.full();
  }

  long tuples() {
    return acc != null ? acc.tuples() : wacc.tuples();
  }

  RadioactivityResult result(long tokensRead) {
    return acc != null ? acc.result(mode, supervised, keyId, tokensRead)
        : wacc.result(mode, supervised, keyId, tokensRead);
  }
}
