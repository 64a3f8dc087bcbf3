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
  /** The low {@code layers} bits: the g-values of a keyed value. */
  private final long layerMask;
  private static final double[] BITS = {0.0, 1.0};

  TournamentScheme(WatermarkKey key, WatermarkSpec spec) {
    super(key, spec);
    this.layers = spec.layers();
    this.layerMask = layers == 64 ? -1L : (1L << layers) - 1;
  }

  @Override
  public double score(long windowSeed, int token) {
    return scoreOf(value(windowSeed, token));
  }

  /** {@inheritDoc} The number of ones among the value's low {@code layers} bits. */
  @Override
  double scoreOf(long value) {
    return Long.bitCount(value & layerMask);
  }

  @Override
  boolean masksRepeatedWindows() {
    return true;
  }

  @Override
  int pick(long windowSeed, int[] ids, double[] p, int n, Workspace w) {
    if (n == 1) {
      // One candidate: every layer keeps p[0] positive (its factor is 1 - 0 or 2 - p[0]), so
      // the draw below returns 0 whatever the layers do; it still takes its one double.
      w.random.nextDouble();
      return 0;
    }
    long[] g = w.bits(n);
    keyedValues(windowSeed, ids, n, g);
    // Branch-free (the bits are coin tosses) with the arithmetic of the definition: adding
    // 0 * p = +0.0 leaves the sum unchanged, and the factor is looked up by the bit, as is the
    // bit as a double (exactly what a conversion gives, without its dependence on the register
    // it writes). One pass per layer: it reweights p by the layer's factors and sums the next
    // layer's E_p[g] over the new p, in the same order (index by index) as a pass of its own.
    double[] f = w.factors;
    double[] bit = BITS;
    double e = 0;
    for (int i = 0; i < n; i++) {
      e += bit[(int) g[i] & 1] * p[i];
    }
    int last = layers - 1;
    for (int l = 0; l < last; l++) {
      f[0] = 1.0 - e;
      f[1] = 2.0 - e;
      int next = l + 1;
      e = 0;
      for (int i = 0; i < n; i++) {
        long gi = g[i];
        double q = p[i] * f[(int) (gi >>> l) & 1];
        p[i] = q;
        e += bit[(int) (gi >>> next) & 1] * q;
      }
    }
    f[0] = 1.0 - e;
    f[1] = 2.0 - e;
    for (int i = 0; i < n; i++) {
      p[i] *= f[(int) (g[i] >>> last) & 1];
    }
    return StepSampler.multinomial(p, n, w.random);
  }
}
