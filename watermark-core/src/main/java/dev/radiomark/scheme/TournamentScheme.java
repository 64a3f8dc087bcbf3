package dev.radiomark.scheme;

import dev.radiomark.WatermarkSpec;
import dev.radiomark.key.WatermarkKey;

/**
 * Tournament sampling with m layers of binary g-values and two contestants per match, in closed
 * form: g_l(w, v) is bit l (least significant first) of value(w, v), and each layer reweights
 * {@code p_v <- p_v * (1 + g_l(v) - E_p[g_l])}. The mean over random keys is p (distortion-free).
 * A window already used in the same sequence is sampled without watermark and not scored.
 */
final class TournamentScheme extends SchemeCore {
  private final int layers;

  TournamentScheme(WatermarkKey key, WatermarkSpec spec) {
    super(key, spec);
    this.layers = spec.layers();
  }

  @Override
  public double score(long windowSeed, int token) {
    long v = value(windowSeed, token);
    long mask = layers == 64 ? -1L : (1L << layers) - 1;
    return Long.bitCount(v & mask);
  }

  @Override
  boolean masksRepeatedWindows() {
    return true;
  }

  @Override
  int pick(long windowSeed, int[] ids, double[] p, int n, Workspace w) {
    long[] g = w.bits(n);
    for (int i = 0; i < n; i++) {
      g[i] = value(windowSeed, ids[i]);
    }
    // Layer l: e = sum of p[i] over the candidates with bit l set (in index order), then
    // p[i] *= (bit l ? 2 - e : 1 - e). One pass per layer: the pass that updates p for layer l
    // also sums layer l + 1's e from the updated values, in the same order, so every
    // floating-point operation and its operands are those of two separate passes.
    double e = 0;
    if (layers > 0) {
      for (int i = 0; i < n; i++) {
        if ((g[i] & 1L) != 0) {
          e += p[i];
        }
      }
    }
    for (int l = 0; l < layers; l++) {
      final double up = 2.0 - e;
      final double down = 1.0 - e;
      final int nextBit = l + 1;
      double next = 0;
      if (nextBit < layers) {
        for (int i = 0; i < n; i++) {
          long gi = g[i];
          double pi = p[i] * (((gi >>> l) & 1L) != 0 ? up : down);
          p[i] = pi;
          if (((gi >>> nextBit) & 1L) != 0) {
            next += pi;
          }
        }
      } else {
        for (int i = 0; i < n; i++) {
          p[i] *= ((g[i] >>> l) & 1L) != 0 ? up : down;
        }
      }
      e = next;
    }
    return StepSampler.multinomial(p, n, w.random);
  }
}
