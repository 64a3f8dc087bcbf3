package dev.radiomark.verify;

import dev.radiomark.verify.stats.MultipleTesting;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Family-wise correction of everything one text (or one pool of texts) is tested with: one
 * whole-text test per key and, when segments are searched, one best-segment test per key (its
 * p-value already Bonferroni-corrected for the segments tried). All these p-values are Holm-corrected
 * together, so the chance that a text written without any of the keys is flagged, under any key,
 * whole or by a segment, stays at most alpha. Each key's verdict and the family's verdict follow
 * the rule of {@link Evidence}.
 *
 * <p>Build one per set of keys and options, and reuse it for every text: the evidence counts are
 * computed once here.
 */
public final class MultiKey {
  private final double alpha;
  private final boolean segments;
  private final Evidence[] evidence;

  private MultiKey(double alpha, boolean segments, Evidence[] evidence) {
    this.alpha = alpha;
    this.segments = segments;
    this.evidence = evidence;
  }

  /**
   * A correction over the given keys.
   *
   * @param nullModels the null model of each key, in key order, at least one
   * @param alpha family-wise significance level in (0, 1)
   * @param withSegments whether each key also has a best-segment test (family 2K instead of K)
   * @return the correction
   * @throws IllegalArgumentException if alpha is not in (0, 1) or no key is given
   */
  public static MultiKey of(List<NullModel> nullModels, double alpha, boolean withSegments) {
    Evidence.checkAlpha(alpha);
    if (nullModels.isEmpty()) {
      throw new IllegalArgumentException("nullModels is empty");
    }
    int family = nullModels.size() * (withSegments ? 2 : 1);
    Evidence[] ev = new Evidence[nullModels.size()];
    for (int i = 0; i < ev.length; i++) {
      ev[i] = Evidence.of(nullModels.get(i), alpha, family);
    }
    return new MultiKey(alpha, withSegments, ev);
  }

  /**
   * Corrects whole-text results only (a correction built without segments).
   *
   * @param results one result per key, in key order
   * @return the corrected family
   * @throws IllegalArgumentException if the number of results is not the number of keys, or the
   *     correction was built with segments
   */
  public MultiKeyResult correct(List<DetectionResult> results) {
    return correct(results, null);
  }

  /**
   * Corrects whole-text and best-segment results together.
   *
   * @param results one whole-text result per key, in key order
   * @param segmentResults one best segment per key, in key order; null exactly when the
   *     correction was built without segments
   * @return the corrected family
   * @throws IllegalArgumentException if a list does not have one element per key, or segments
   *     are given to a correction built without them (or the reverse)
   */
  public MultiKeyResult correct(List<DetectionResult> results, List<SegmentResult> segmentResults) {
    int k = evidence.length;
    if (results.size() != k) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "results.size() is not the number of keys (%d): %d", k, results.size()));
    }
    if ((segmentResults != null) != segments) {
      throw new IllegalArgumentException(segments ? "segmentResults is null but the correction has segments"
          : "segmentResults given but the correction has no segments");
    }
    if (segments && segmentResults.size() != k) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "segmentResults.size() is not the number of keys (%d): %d", k, segmentResults.size()));
    }
    double[] raw = new double[segments ? 2 * k : k];
    for (int i = 0; i < k; i++) {
      raw[i] = results.get(i).log10P();
      if (segments) {
        raw[k + i] = segmentResults.get(i).log10P();
      }
    }
    double[] adj = MultipleTesting.holm(raw);
    List<MultiKeyResult.Entry> out = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      DetectionResult r = results.get(i);
      long n = r.tokensScored();
      if (segments) {
        SegmentResult s = segmentResults.get(i);
        double best = Math.min(adj[i], adj[k + i]);
        out.add(new MultiKeyResult.Entry(r, adj[i], evidence[i].verdict(n, best), s, adj[k + i],
            evidence[i].verdict(n, adj[k + i])));
      } else {
        out.add(new MultiKeyResult.Entry(r, adj[i], evidence[i].verdict(n, adj[i]), null, Double.NaN, null));
      }
    }
    return new MultiKeyResult(alpha, raw.length, out);
  }
}
