package dev.radiomark.verify.result;

import dev.radiomark.Watermarker;

/**
 * A key as a report may show it: its id, its public fingerprint and its scheme, never the secret.
 *
 * @param id the key id
 * @param fingerprint the public fingerprint ({@link Watermarker#keyFingerprint()})
 * @param scheme the scheme's name, for example {@code green_list}
 * @param spec the scheme and its parameters ({@link dev.radiomark.WatermarkSpec#describe()})
 */
public record KeyInfo(String id, String fingerprint, String scheme, String spec) {
  /**
   * The public description of a watermarker's key.
   *
   * @param w the watermarker
   * @return its id, fingerprint, scheme and spec
   */
  public static KeyInfo of(Watermarker w) {
    return new KeyInfo(w.keyId(), w.keyFingerprint(), w.spec().scheme().name().toLowerCase(java.util.Locale.ROOT),
        w.spec().describe());
  }
}
