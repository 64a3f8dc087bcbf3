package dev.radiomark.verify;

import dev.radiomark.verify.stats.MultipleTesting;
import java.util.ArrayList;
import java.util.List;

/** Family-wise correction of results obtained under several keys on the same input. */
public final class MultiKey {
  private MultiKey() {}

  /**
   * Holm's step-down correction of the keys' p-values.
   *
   * @param results one result per key
   * @param alpha family-wise level in (0, 1)
   * @return raw and corrected p per key and which keys fire
   */
  public static MultiKeyResult correct(List<DetectionResult> results, double alpha) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha is not in (0, 1): " + alpha);
    }
    double[] raw = new double[results.size()];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = results.get(i).log10P();
    }
    double[] adj = MultipleTesting.holm(raw);
    double la = Math.log10(alpha);
    List<MultiKeyResult.Entry> out = new ArrayList<>();
    for (int i = 0; i < raw.length; i++) {
      out.add(new MultiKeyResult.Entry(results.get(i), adj[i], adj[i] <= la));
    }
    return new MultiKeyResult(alpha, out);
  }
}
