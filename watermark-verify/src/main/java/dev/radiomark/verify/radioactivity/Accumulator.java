package dev.radiomark.verify.radioactivity;

import dev.radiomark.verify.NullModel;
import java.util.ArrayList;
import java.util.List;

/** Counts tuples up to the budget and samples the cumulative curve. Not thread-safe. */
final class Accumulator {
  private final NullModel nullModel;
  private final long budget;
  private final long step;
  private final List<CurvePoint> curve = new ArrayList<>();
  private long n;
  private double s;

  Accumulator(NullModel nullModel, long budget, int curvePoints) {
    this.nullModel = nullModel;
    this.budget = budget;
    this.step = Math.max(1, budget / curvePoints);
  }

  /** Adds one scored tuple; returns true once the budget is reached. */
  boolean add(double x) {
    n++;
    s += x;
    if (n % step == 0 || n == budget) {
      curve.add(new CurvePoint(n, nullModel.log10P(n, s)));
    }
    return n >= budget;
  }

  boolean full() {
    return n >= budget;
  }

  long tuples() {
    return n;
  }

  RadioactivityResult result(Mode mode, boolean supervised, String keyId, long tokensRead) {
    if (n > 0 && (curve.isEmpty() || curve.get(curve.size() - 1).tuples() != n)) {
      curve.add(new CurvePoint(n, nullModel.log10P(n, s)));
    }
    double rate = n == 0 ? Double.NaN : s / n / nullModel.rateScale();
    return new RadioactivityResult(mode, supervised, keyId, tokensRead, n, s, rate,
        nullModel.meanPerTuple() / nullModel.rateScale(), nullModel.log10P(n, s), budget, n >= budget,
        curve, step, RadioactivityResult.CURVE_NOTE);
  }
}
