package dev.radiomark.scheme;

import dev.radiomark.Sampler;
import dev.radiomark.SamplingConfig;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.key.WatermarkKey;

/** Factory behind {@link Watermarker#of} and {@link Sampler#plain}. */
public final class Schemes {
  private Schemes() {}

  /**
   * Binds a spec to a key.
   *
   * @param key the key
   * @param spec the parameters
   * @return the watermarker of the spec's scheme
   */
  public static Watermarker create(WatermarkKey key, WatermarkSpec spec) {
    if (key == null || spec == null) {
      throw new IllegalArgumentException("key and spec must not be null");
    }
    switch (spec.scheme()) {
      case GREEN_LIST:
        return new GreenListScheme(key, spec);
      case GUMBEL:
        return new GumbelScheme(key, spec);
      case TOURNAMENT:
        return new TournamentScheme(key, spec);
      default:
        throw new IllegalArgumentException("unknown scheme: " + spec.scheme());
    }
  }

  /**
   * A sampler without watermark.
   *
   * @param vocabSize row width, at least 2
   * @param config sampling parameters
   * @return the plain sampler
   */
  public static Sampler plainSampler(int vocabSize, SamplingConfig config) {
    if (vocabSize < 2) {
      throw new IllegalArgumentException("vocabSize is not in [2, 2147483647]: " + vocabSize);
    }
    return new StepSampler(null, vocabSize, "plain", config);
  }
}
