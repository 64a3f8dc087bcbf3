package dev.radiomark.scheme;

import dev.radiomark.WatermarkSpec;
import dev.radiomark.key.WatermarkKey;
import dev.radiomark.prf.KeyedPrf;

/**
 * Gumbel (exponential) sampling: with u_v = unitOpen(value(w, v)) emit argmax u_v^(1/p_v), that is
 * argmax ln(u_v) / p_v; over random keys the emitted token has law p exactly. Score of the emitted
 * token: -ln(1 - u), Exp(1) for text written without the key. Logarithms use {@link StrictMath}
 * (fdlibm) so that scores are bit-identical on every JVM and platform.
 */
final class GumbelScheme extends SchemeCore {
  GumbelScheme(WatermarkKey key, WatermarkSpec spec) {
    super(key, spec);
  }

  @Override
  public double score(long windowSeed, int token) {
    return scoreOf(value(windowSeed, token));
  }

  /** {@inheritDoc} -ln(1 - u) with u = unitOpen(value), with {@link StrictMath}. */
  @Override
  double scoreOf(long value) {
    return -StrictMath.log1p(-KeyedPrf.unitOpen(value));
  }

  @Override
  int pick(long windowSeed, int[] ids, double[] p, int n, Workspace w) {
    // The rule is argmax StrictMath.log(u) / p, first index among equals. Math.log (fast, within
    // 1 ulp of the true logarithm, as StrictMath.log is) gives keys within a relative 1e-15 of
    // those, so only candidates within a relative 1e-9 of the best approximate key can be the
    // argmax, and only they get the specified logarithm. Most candidates need no logarithm at
    // all: ln(u) <= u - 1, so (u - 1) / p bounds a key from above.
    long[] g = w.bits(n);
    keyedValues(windowSeed, ids, n, g);
    double best = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      double u = KeyedPrf.unitOpen(g[i]);
      // best * p * (1 + 1e-6) is a little below best * p: skip only what surely cannot win.
      if (p[i] > 0 && !(u - 1 < best * p[i] * (1 + 1e-6))) {
        best = Math.max(best, Math.log(u) / p[i]);
      }
    }
    double bar = best - Math.abs(best) * 1e-9; // -Infinity stays -Infinity: all are checked
    int chosen = -1;
    double chosenKey = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      double u = KeyedPrf.unitOpen(g[i]);
      if (p[i] > 0 && !(u - 1 < bar * p[i] * (1 + 1e-6)) && Math.log(u) / p[i] >= bar) {
        double key = StrictMath.log(u) / p[i];
        if (chosen < 0 || key > chosenKey) {
          chosen = i;
          chosenKey = key;
        }
      }
    }
    return chosen;
  }
}
