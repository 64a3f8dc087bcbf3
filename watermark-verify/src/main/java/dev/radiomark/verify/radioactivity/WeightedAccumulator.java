package dev.radiomark.verify.radioactivity;

import dev.radiomark.WatermarkSpec;
import dev.radiomark.verify.stats.WeightedNull;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts probability-weighted terms up to the budget with their Chernoff tail
 * ({@link WeightedNull}), and samples the cumulative curve. Not thread-safe.
 */
final class WeightedAccumulator {
  private final WeightedNull tail;
  private final double rateScale;
  private final long budget;
  private final long step;
  private final List<CurvePoint> curve = new ArrayList<>();

  WeightedAccumulator(WatermarkSpec spec, double gamma, long budget, int curvePoints) {
    switch (spec.scheme()) {
      case GREEN_LIST:
        this.tail = WeightedNull.bernoulli(gamma);
        this.rateScale = 1;
        break;
      case GUMBEL:
        this.tail = WeightedNull.exponential();
        this.rateScale = 1;
        break;
      default:
        this.tail = WeightedNull.binomialHalf(spec.layers());
        this.rateScale = spec.layers();
    }
    this.budget = budget;
    this.step = Math.max(1, budget / curvePoints);
  }

  /** Adds one term; returns true once the budget is reached. */
  boolean add(double weight, double score) {
    tail.add(weight, score);
    long n = tail.terms();
    if (n % step == 0 || n == budget) {
      curve.add(new CurvePoint(n, tail.log10P()));
    }
    return n >= budget;
  }

  boolean full() {
    return tail.terms() >= budget;
  }

  long tuples() {
    return tail.terms();
  }

  RadioactivityResult result(Mode mode, boolean supervised, String keyId, long tokensRead) {
    long n = tail.terms();
    double log10P = tail.log10P();
    if (n > 0 && (curve.isEmpty() || curve.get(curve.size() - 1).tuples() != n)) {
      curve.add(new CurvePoint(n, log10P));
    }
    double rate = n == 0 ? Double.NaN : tail.sum() / tail.weights() / rateScale;
    return new RadioactivityResult(mode, supervised, keyId, tokensRead, n, tail.sum(), rate,
        tail.nullMean() / rateScale, log10P, budget, n >= budget, curve, step, RadioactivityResult.CURVE_NOTE, null);
  }
}
