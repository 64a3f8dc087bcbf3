package dev.radiomark.verify.spark;

import dev.radiomark.verify.MultiKeyResult;

/**
 * One scored record of a scan: what was read and the corrected family of its tests under every
 * key (the record fields of {@code wm detect}'s report).
 *
 * @param id the record's id ({@code line-N} when the input gave none)
 * @param line the 1-based line of a JSON Lines input, or row of a Parquet input
 * @param tokens text tokens
 * @param promptTokens prompt tokens
 * @param result the record's tests under every key, Holm-corrected together
 */
public record ScanRecord(String id, int line, int tokens, int promptTokens, MultiKeyResult result) {}
