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
    int best = -1;
    double bestKey = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      if (p[i] > 0) {
        double key = StrictMath.log(KeyedPrf.unitOpen(value(windowSeed, ids[i]))) / p[i];
        if (best < 0 || key > bestKey) {
          best = i;
          bestKey = key;
        }
      }
    }
    return best;
  }
}
