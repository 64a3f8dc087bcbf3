package dev.radiomark.verify;

import dev.radiomark.Scheme;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.key.WatermarkKey;
import dev.radiomark.verify.stats.BinomialInterval;
import dev.radiomark.verify.stats.TestResult;
import dev.radiomark.verify.stats.UniformityTest;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Checks that a detector's p-values are calibrated on text written without the key: key i
 * scores text {@code i mod texts.size()} (with a fresh key each time, so the p-values are
 * independent), and the p-values are tested for uniformity and counted at alpha 1e-2 and 1e-3.
 *
 * <p>The binomial nulls are discrete: their p-values are super-uniform (conservative), which a
 * two-sided KS test would flag on short texts. The uniformity test therefore uses randomized
 * p-values {@code P[X > S] + U P[X = S]}, exactly uniform under H0 for any n; the false-positive
 * counts use the reported (non-randomized) p-values.
 */
public final class Calibration {
  private Calibration() {}

  /**
   * Runs a calibration.
   *
   * @param texts token sequences of text written without the key (prompt-free); when empty,
   *     every key scores nothing (p = 1, randomized p uniform) and no false positive is counted
   * @param spec the watermark parameters
   * @param keys number of fresh keys, at least 1
   * @param config detector options
   * @param keySource key i (use {@link WatermarkKey#generate} outside tests)
   * @param random randomness for the randomized p-values
   * @return the report
   */
  public static CalibrationReport run(List<int[]> texts, WatermarkSpec spec, int keys, DetectorConfig config,
      IntFunction<WatermarkKey> keySource, UniformRandomProvider random) {
    if (keys < 1) {
      throw new IllegalArgumentException("keys is not in [1, 2147483647]: " + keys);
    }
    double[] log10P = new double[keys];
    double[] rand = new double[keys];
    long tuples = 0;
    long fp2 = 0;
    long fp3 = 0;
    int[] empty = new int[0];
    for (int i = 0; i < keys; i++) {
      Watermarker wm = Watermarker.of(keySource.apply(i), spec);
      Detector d = Detector.of(wm, config);
      DetectionResult r = d.detect(empty, texts.isEmpty() ? empty : texts.get(i % texts.size()));
      log10P[i] = r.log10P();
      rand[i] = randomized(d.nullModel(), spec, r, random.nextDouble());
      tuples += r.tokensScored();
      if (r.log10P() <= -2) {
        fp2++;
      }
      if (r.log10P() <= -3) {
        fp3++;
      }
    }
    TestResult ks = UniformityTest.kolmogorovSmirnov(rand);
    return new CalibrationReport(keys, (double) tuples / keys, ks,
        fp2, BinomialInterval.clopperPearson(fp2, keys, 0.95),
        fp3, BinomialInterval.clopperPearson(fp3, keys, 0.95),
        log10P, rand);
  }

  /** P[X > S] + u P[X = S] for the discrete nulls; the p-value itself for Gumbel. */
  static double randomized(NullModel nul, WatermarkSpec spec, DetectionResult r, double u) {
    double pGe = Math.pow(10, r.log10P());
    if (spec.scheme() == Scheme.GUMBEL || r.tokensScored() == 0) {
      return r.tokensScored() == 0 ? u : pGe;
    }
    long trials = spec.scheme() == Scheme.TOURNAMENT ? r.tokensScored() * spec.layers() : r.tokensScored();
    double pGt = r.score() + 1 > trials ? 0.0 : Math.pow(10, nul.log10P(r.tokensScored(), r.score() + 1));
    return Math.min(1.0, pGt + u * (pGe - pGt));
  }
}
