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
    return -StrictMath.log1p(-KeyedPrf.unitOpen(value(windowSeed, token)));
  }

  @Override
  int pick(long windowSeed, int[] ids, double[] p, int n, Workspace w) {
    // The rule is argmax StrictMath.log(u) / p, first index among equals. Math.log (fast, within
    // 1 ulp of the true logarithm, as StrictMath.log is) gives keys within a relative 1e-15 of
    // those: only candidates within a relative 1e-9 of the best approximate key can be the
    // argmax, and only they get the specified logarithm.
    long[] g = w.bits(n);
    double bar = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      g[i] = value(windowSeed, ids[i]);
      if (p[i] > 0) {
        bar = Math.max(bar, Math.log(KeyedPrf.unitOpen(g[i])) / p[i]);
      }
    }
    bar -= Math.abs(bar) * 1e-9; // -Infinity stays -Infinity: every candidate is checked
    int best = -1;
    double bestKey = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      if (p[i] > 0 && Math.log(KeyedPrf.unitOpen(g[i])) / p[i] >= bar) {
        double key = StrictMath.log(KeyedPrf.unitOpen(g[i])) / p[i];
        if (best < 0 || key > bestKey) {
          best = i;
          bestKey = key;
        }
      }
    }
    return best;
  }
}
