package dev.radiomark.verify.radioactivity;

import dev.radiomark.verify.NullModel;
import dev.radiomark.verify.stats.AnytimeTest;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts tuples up to the budget, samples the cumulative curve and, when asked, feeds the anytime
 * test and ends the run at its first crossing of the stop level. Not thread-safe.
 */
final class Accumulator {
  private final NullModel nullModel;
  private final long budget;
  private final long step;
  private final List<CurvePoint> curve = new ArrayList<>();
  private final AnytimeTest.Monitor anytime;
  private final double stopAlpha;
  private final double stopLog10;
  private long n;
  private double s;

  /**
   * @param anytimeStop stop level of the anytime test in (0, 1), or NaN for the fixed-budget
   *     test alone
   */
  Accumulator(NullModel nullModel, long budget, int curvePoints, double anytimeStop) {
    this.nullModel = nullModel;
    this.budget = budget;
    this.step = Math.max(1, budget / curvePoints);
    this.anytime = Double.isNaN(anytimeStop) ? null : nullModel.anytimeTest().start();
    this.stopAlpha = anytimeStop;
    this.stopLog10 = Math.log10(anytimeStop);
  }

  /** Adds one scored tuple; returns true once the budget is reached or the anytime test stopped. */
  boolean add(double x) {
    n++;
    s += x;
    if (n % step == 0 || n == budget) {
      curve.add(new CurvePoint(n, nullModel.log10P(n, s)));
    }
    if (anytime != null) {
      anytime.add(x);
    }
    return full();
  }

  /** Whether the run is over: budget reached, or the anytime p at or below the stop level. */
  boolean full() {
    return n >= budget || (anytime != null && anytime.log10P() <= stopLog10);
  }

  long tuples() {
    return n;
  }

  RadioactivityResult result(Mode mode, boolean supervised, String keyId, long tokensRead) {
    if (n > 0 && (curve.isEmpty() || curve.get(curve.size() - 1).tuples() != n)) {
      curve.add(new CurvePoint(n, nullModel.log10P(n, s)));
    }
    double rate = n == 0 ? Double.NaN : s / n / nullModel.rateScale();
    AnytimeResult any = anytime == null ? null
        : new AnytimeResult(anytime.log10P(), n, anytime.supTuples(), stopAlpha, n >= budget);
    return new RadioactivityResult(mode, supervised, keyId, tokensRead, n, s, rate,
        nullModel.meanPerTuple() / nullModel.rateScale(), nullModel.log10P(n, s), budget, n >= budget,
        curve, step, RadioactivityResult.CURVE_NOTE, any);
  }
}
