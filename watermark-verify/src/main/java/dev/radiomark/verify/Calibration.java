package dev.radiomark.verify;

import dev.radiomark.Scheme;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.key.WatermarkKey;
import dev.radiomark.verify.stats.BinomialInterval;
import dev.radiomark.verify.stats.Tails;
import dev.radiomark.verify.stats.TestResult;
import dev.radiomark.verify.stats.UniformityTest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.LongPredicate;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Checks that a detector's p-values are calibrated on text written without the key. Two
 * questions, two methods:
 *
 * <ul>
 *   <li>{@link #run}: validity over keys. Key i scores text {@code i mod texts.size()} with a
 *       fresh key each time, so the p-values are independent, and they are tested for uniformity
 *       and counted at alpha 1e-2 and 1e-3. This is what the exact nulls promise:
 *       {@code P_key(p <= a) <= a} for text independent of the key.
 *   <li>{@link #ofKey}: validity for one deployed key. Every document is scored under the same
 *       key and the documents with {@code p <= alpha} are counted. Documents share frequent
 *       tuples, whose score is fixed once the key is, so under one key the per-document rate can
 *       exceed alpha even though its average over keys does not; {@link #acrossKeys} measures
 *       that spread for a configuration.
 * </ul>
 *
 * <p>In the fresh-key mode the binomial nulls are discrete: their p-values are super-uniform (conservative), which a
 * two-sided KS test would flag on short texts. The uniformity test therefore uses randomized
 * p-values {@code P[X > S] + U P[X = S]}, exactly uniform under H0 for any n; the false-positive
 * counts use the reported (non-randomized) p-values.
 */
public final class Calibration {
  /** The levels at which {@link #ofKey} counts documents: 1e-2, 1e-3 and 1e-4. */
  public static final List<Double> KEY_ALPHAS = List.of(1e-2, 1e-3, 1e-4);

  /**
   * Family-wise level of {@link KeyCalibrationReport#pass()}: a key fails when its rate is
   * above nominal at some alpha by an exact one-sided binomial test at {@code 0.01 / 3}.
   */
  public static final double KEY_FAIL_LEVEL = 0.01;

  private Calibration() {}

  /**
   * Measures one key's per-document false-positive rate: each text is scored alone (its own
   * de-duplication tape, no prompt) and those with {@code p <= alpha} are counted for every alpha
   * of {@link #KEY_ALPHAS}, with a 95% Clopper-Pearson interval and the exact binomial test of
   * "rate &lt;= alpha" ({@link KeyCalibrationReport.Level}).
   *
   * @param detector the key's detector
   * @param texts token sequences of text written without the key, at least one
   * @return the report
   * @throws IllegalArgumentException if {@code texts} is empty
   */
  public static KeyCalibrationReport ofKey(Detector detector, List<int[]> texts) {
    return ofKey(detector, texts, null);
  }

  /**
   * {@link #ofKey(Detector, List)} scoring only the positions whose window seed {@code windowFilter}
   * accepts, for example to leave out windows that are frequent in a public reference corpus.
   *
   * @param detector the key's detector
   * @param texts token sequences of text written without the key, at least one
   * @param windowFilter accepts the window seeds to score, or null for all; it must be decided
   *     without looking at scores (see {@link Detector.Tape#add})
   * @return the report
   * @throws IllegalArgumentException if {@code texts} is empty
   */
  public static KeyCalibrationReport ofKey(Detector detector, List<int[]> texts, LongPredicate windowFilter) {
    if (texts.isEmpty()) {
      throw new IllegalArgumentException("texts is empty");
    }
    int[] empty = new int[0];
    long[] flagged = new long[KEY_ALPHAS.size()];
    int unscored = 0;
    long tuples = 0;
    for (int[] text : texts) {
      DetectionResult r = detector.newTape().add(empty, text, windowFilter, null);
      if (r.tokensScored() == 0) {
        unscored++;
        continue;
      }
      tuples += r.tokensScored();
      for (int a = 0; a < flagged.length; a++) {
        if (r.reject(KEY_ALPHAS.get(a))) {
          flagged[a]++;
        }
      }
    }
    int scored = texts.size() - unscored;
    List<KeyCalibrationReport.Level> levels = new ArrayList<>();
    for (int a = 0; a < flagged.length; a++) {
      double alpha = KEY_ALPHAS.get(a);
      levels.add(new KeyCalibrationReport.Level(alpha, flagged[a], scored,
          BinomialInterval.clopperPearson(flagged[a], scored, 0.95),
          new TestResult(flagged[a], Tails.log10BinomialSurvival(scored, flagged[a], alpha))));
    }
    return new KeyCalibrationReport(detector.watermarker().keyId(), texts.size(), unscored,
        scored == 0 ? 0 : (double) tuples / scored, levels);
  }

  /**
   * Measures how the per-document false-positive rate varies between keys of one configuration:
   * {@link #ofKey} under each of {@code keys} keys on the same texts.
   *
   * @param texts token sequences of text written without any of the keys, at least one
   * @param spec the configuration
   * @param keys number of keys, at least 2
   * @param config detector options
   * @param keySource key i (seeded keys make a measurement repeatable)
   * @return one report per key and their spread
   * @throws IllegalArgumentException if {@code texts} is empty or {@code keys < 2}
   */
  public static KeySpreadReport acrossKeys(List<int[]> texts, WatermarkSpec spec, int keys, DetectorConfig config,
      IntFunction<WatermarkKey> keySource) {
    if (keys < 2) {
      throw new IllegalArgumentException("keys is not in [2, 2147483647]: " + keys);
    }
    List<KeyCalibrationReport> perKey = new ArrayList<>(keys);
    for (int i = 0; i < keys; i++) {
      perKey.add(ofKey(Detector.of(Watermarker.of(keySource.apply(i), spec), config), texts));
    }
    return new KeySpreadReport(spec, perKey);
  }

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
