package dev.radiomark.examples.demo;

import dev.radiomark.WatermarkSpec;
import java.util.List;

/**
 * Everything the demo measured.
 *
 * @param config the parameters
 * @param spec the teacher's watermark
 * @param keyId the fresh key's id
 * @param servedTokens watermarked answer tokens the teacher served
 * @param probeTokens probe tokens used in reading mode
 * @param rows one row per student, rho, mode and supervision
 * @param seconds wall time of the run
 */
public record DemoResult(DemoConfig config, WatermarkSpec spec, String keyId, long servedTokens, long probeTokens,
    List<DemoRow> rows, double seconds) {
  /** Copies the rows. */
  public DemoResult {
    rows = List.copyOf(rows);
  }
}
