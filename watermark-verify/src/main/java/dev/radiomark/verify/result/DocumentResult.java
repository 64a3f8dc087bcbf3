package dev.radiomark.verify.result;

import dev.radiomark.verify.MultiKeyResult;

/**
 * One scored document (input record): what was read and the corrected family of its tests, one
 * entry per key in the order of {@link RunInfo#keys()}. The token arrays are the writer's to
 * read, not to modify; a writer that keeps a document beyond the call must bound how many it keeps.
 *
 * @param index the document's 0-based position in the stream
 * @param id the record id
 * @param line the input line (1-based) or the paragraph's first line
 * @param prompt the prompt's token ids (context, never scored)
 * @param text the text's token ids
 * @param result the family of the document's tests
 */
public record DocumentResult(long index, String id, int line, int[] prompt, int[] text, MultiKeyResult result) {
  /** @return the number of text tokens */
  public int tokens() {
    return text.length;
  }

  /** @return the number of prompt tokens */
  public int promptTokens() {
    return prompt.length;
  }
}
