package dev.radiomark.key;

import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;

/**
 * The content of a key file: the key and the parameters it watermarks with.
 *
 * @param key the secret key
 * @param spec the watermark parameters, tokenizer and vocabulary size included
 */
public record KeyFile(WatermarkKey key, WatermarkSpec spec) {
  /** Checks that neither part is null. */
  public KeyFile {
    if (key == null || spec == null) {
      throw new IllegalArgumentException("key file needs a key and a spec");
    }
  }

  /**
   * The watermarker of this key and spec.
   *
   * @return {@code Watermarker.of(key, spec)}
   */
  public Watermarker watermarker() {
    return Watermarker.of(key, spec);
  }

  /**
   * The same spec under the sub-key of a tenant.
   *
   * @param tenant tenant label
   * @return the derived key file content
   */
  public KeyFile forTenant(String tenant) {
    return new KeyFile(key.forTenant(tenant), spec);
  }
}
