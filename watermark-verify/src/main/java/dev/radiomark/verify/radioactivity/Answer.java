package dev.radiomark.verify.radioactivity;

import dev.radiomark.WatermarkSpec;
import dev.radiomark.verify.text.TextRecord;
import dev.radiomark.verify.text.TextTokenizer;
import java.util.Locale;

/**
 * One answer of the suspect model to one prompt, as token ids of the watermark's tokenizer.
 *
 * @param prompt prompt token ids (may be empty, never null); its windows are not scored
 * @param text answer token ids, scored
 */
public record Answer(int[] prompt, int[] text) {
  /**
   * Checks that neither array is null. The arrays are not copied (answers can be long).
   *
   * @throws IllegalArgumentException if an array is null
   */
  public Answer {
    if (prompt == null || text == null) {
      throw new IllegalArgumentException("answer prompt and text must not be null");
    }
  }

  /**
   * Re-tokenizes a record with the watermark's tokenizer.
   *
   * @param record the record; a missing prompt counts as empty
   * @param tokenizer the tokenizer, which must be the one named in {@code spec}
   * @param spec the watermark parameters (tokenizer name and vocabulary size)
   * @return the answer
   * @throws IllegalArgumentException on a tokenizer or vocabulary mismatch
   */
  public static Answer of(TextRecord record, TextTokenizer tokenizer, WatermarkSpec spec) {
    TextTokenizer.requireVocabulary(spec.tokenizer(), spec.vocabSize(), tokenizer);
    return new Answer(record.promptIds(tokenizer, "input"), record.textIds(tokenizer, "input"));
  }

  /** Token counts only: answers may be confidential. */
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "Answer[prompt=%d tokens, text=%d tokens]", prompt.length, text.length);
  }

  static void checkIds(String what, int[] ids, int vocabSize) {
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= vocabSize) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "%s[%d] is not in [0, %d): %d (vocabulary mismatch?)", what, i, vocabSize, ids[i]));
      }
    }
  }
}
