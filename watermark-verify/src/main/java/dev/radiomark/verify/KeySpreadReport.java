package dev.radiomark.verify;

import dev.radiomark.WatermarkSpec;
import dev.radiomark.verify.stats.DispersionTest;
import dev.radiomark.verify.stats.TestResult;
import java.util.List;

/**
 * How much the per-document false-positive rate varies between keys of one configuration, on
 * the same documents ({@link Calibration#acrossKeys}). Without a key effect the keys' counts at
 * an alpha are independent binomials and the dispersion statistic follows chi-square on
 * {@code K - 1} degrees of freedom; documents that share frequent tuples make some keys fire
 * more often than others, which inflates it.
 *
 * @param spec the configuration
 * @param perKey one report per key, in key order
 */
public record KeySpreadReport(WatermarkSpec spec, List<KeyCalibrationReport> perKey) {

  /** Copies the list; at least two keys. */
  public KeySpreadReport {
    perKey = List.copyOf(perKey);
    if (perKey.size() < 2) {
      throw new IllegalArgumentException("perKey.size() is not in [2, inf): " + perKey.size());
    }
  }

  /** @return number of keys */
  public int keys() {
    return perKey.size();
  }

  /** @return number of documents each key scored */
  public int documents() {
    return perKey.get(0).documents();
  }

  /**
   * Each key's count of flagged documents at one alpha.
   *
   * @param level index into {@link Calibration#KEY_ALPHAS}
   * @return the counts, in key order
   */
  public long[] flagged(int level) {
    return perKey.stream().mapToLong(r -> r.levels().get(level).flagged()).toArray();
  }

  /**
   * The mean per-document false-positive rate over keys at one alpha.
   *
   * @param level index into {@link Calibration#KEY_ALPHAS}
   * @return mean of the keys' rates
   */
  public double meanRate(int level) {
    return perKey.stream().mapToDouble(r -> r.levels().get(level).rate()).average().orElse(0);
  }

  /**
   * The worst key's per-document false-positive rate at one alpha.
   *
   * @param level index into {@link Calibration#KEY_ALPHAS}
   * @return the largest rate over keys
   */
  public double worstRate(int level) {
    return perKey.stream().mapToDouble(r -> r.levels().get(level).rate()).max().orElse(0);
  }

  /**
   * The over-dispersion of the keys' counts at one alpha ({@link DispersionTest#poisson}).
   *
   * @param level index into {@link Calibration#KEY_ALPHAS}
   * @return D and its log10 p on {@code K - 1} degrees of freedom
   */
  public TestResult dispersion(int level) {
    return DispersionTest.poisson(flagged(level));
  }
}
