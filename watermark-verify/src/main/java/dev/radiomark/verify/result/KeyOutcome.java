package dev.radiomark.verify.result;

import dev.radiomark.verify.Verdict;
import dev.radiomark.verify.radioactivity.CurvePoint;
import java.util.List;

/**
 * One key's test over the whole run (detect: all documents pooled; verify: the radioactivity test).
 *
 * @param keyId the key id
 * @param tuples the tuples scored
 * @param rate the observed rate (green rate or mean score), NaN when nothing was scored
 * @param nullRate its expectation without the watermark
 * @param log10P the raw log10 p-value
 * @param log10PCorrected the corrected log10 p-value the key's verdict is taken at
 * @param verdict the key's verdict
 * @param curve the cumulative log10 p by tuples scored, for plotting only (not a stopping rule)
 */
public record KeyOutcome(String keyId, long tuples, double rate, double nullRate, double log10P,
    double log10PCorrected, Verdict verdict, List<CurvePoint> curve) {
  /** Copies the curve. */
  public KeyOutcome {
    curve = List.copyOf(curve);
  }
}
