package dev.radiomark.verify.result;

import java.util.List;
import java.util.Map;

/**
 * What a run tested and with what: known before the first document is scored.
 *
 * @param command {@code detect} or {@code verify}
 * @param mode for verify {@code closed} or {@code reading}; for detect {@code text}
 * @param alpha the family-wise level of every verdict, in (0, 1)
 * @param correction how each family is corrected, in words (for example "Holm over 2 keys")
 * @param tokenizer the tokenizer's name
 * @param keys the keys, in the order of every result's entries
 * @param input the input's name ({@code <stdin>} for standard input)
 * @param inputSha256 the SHA-256 of the input's bytes in hex, or null when it was not hashed (stdin)
 * @param version the software version
 * @param parameters further options of the run, in display order (name to value)
 */
public record RunInfo(String command, String mode, double alpha, String correction, String tokenizer,
    List<KeyInfo> keys, String input, String inputSha256, String version, Map<String, String> parameters) {
  /** Copies the lists. */
  public RunInfo {
    keys = List.copyOf(keys);
    parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
  }
}
