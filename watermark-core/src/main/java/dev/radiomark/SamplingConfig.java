package dev.radiomark;

import java.util.Locale;

/**
 * Immutable sampling parameters. Order of operations in a step: watermark bias on the raw logits
 * (green list), temperature, top-k, top-p, then the scheme's sampling rule.
 *
 * @param temperature divides the logits; in (0, 100]
 * @param topK keep the k most likely tokens; 0 disables; in [0, 2^31 - 1]
 * @param topP keep the smallest set of most likely tokens with mass at least p; in (0, 1]
 * @param margin only tokens whose tempered logit is within {@code margin} of the largest are
 *     candidates (natural-log units, in [10, 200]): a token further away has probability below
 *     e^-margin, so the sampled law equals the exact one up to float rounding for any vocabulary
 *     below e^margin * 2^-24 tokens. The default 30 bounds the mass left out by V * 1e-13.
 */
public record SamplingConfig(double temperature, int topK, double topP, double margin) {

  /** Checks every parameter. */
  public SamplingConfig {
    if (!(temperature > 0 && temperature <= 100)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "temperature is not in (0, 100]: %s", temperature));
    }
    if (topK < 0) {
      throw new IllegalArgumentException("topK is not in [0, 2147483647]: " + topK);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "topP is not in (0, 1]: %s", topP));
    }
    if (!(margin >= 10 && margin <= 200)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "margin is not in [10, 200]: %s", margin));
    }
  }

  /**
   * Temperature 1, no top-k, no top-p, margin 30.
   *
   * @return the defaults
   */
  public static SamplingConfig defaults() {
    return new SamplingConfig(1.0, 0, 1.0, 30.0);
  }

  /**
   * @param t temperature in (0, 100]
   * @return a copy with this temperature
   */
  public SamplingConfig withTemperature(double t) {
    return new SamplingConfig(t, topK, topP, margin);
  }

  /**
   * @param k top-k, 0 to disable
   * @return a copy with this top-k
   */
  public SamplingConfig withTopK(int k) {
    return new SamplingConfig(temperature, k, topP, margin);
  }

  /**
   * @param p top-p in (0, 1], 1 to disable
   * @return a copy with this top-p
   */
  public SamplingConfig withTopP(double p) {
    return new SamplingConfig(temperature, topK, p, margin);
  }

  /**
   * @param m candidate margin in [10, 200]
   * @return a copy with this margin
   */
  public SamplingConfig withMargin(double m) {
    return new SamplingConfig(temperature, topK, topP, m);
  }
}
