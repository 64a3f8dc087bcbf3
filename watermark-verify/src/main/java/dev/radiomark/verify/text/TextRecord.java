package dev.radiomark.verify.text;

import java.util.Locale;
import java.util.Objects;

/**
 * One text to check, as read from an input file.
 *
 * @param lineNumber the 1-based physical line the record came from ({@code 1} for plain-text
 *     input), for error messages and reports
 * @param id the record id: the {@code "id"} field as a string, or {@code "line-N"} when absent
 * @param prompt the {@code "prompt"} field, or {@code null} when absent
 * @param text the text to tokenize and score; may be empty; empty when {@code tokens} is given
 * @param tokens the {@code "tokens"} field: token ids given instead of text, or {@code null}
 * @param promptTokens the {@code "prompt_tokens"} field, or {@code null}
 * @param topLogprobs the {@code "top_logprobs"} field, or {@code null}
 */
public record TextRecord(int lineNumber, String id, String prompt, String text, int[] tokens, int[] promptTokens,
    TopLogprobs topLogprobs) {

  /**
   * A record of text.
   *
   * @param lineNumber the 1-based line number, {@code >= 1}
   * @param id the record id, not null
   * @param prompt the prompt, or {@code null}
   * @param text the text, not null
   */
  public TextRecord(int lineNumber, String id, String prompt, String text) {
    this(lineNumber, id, prompt, text, null, null, null);
  }

  /**
   * A record without {@code "top_logprobs"}.
   *
   * @param lineNumber the 1-based line number, {@code >= 1}
   * @param id the record id, not null
   * @param prompt the prompt, or {@code null}
   * @param text the text, not null
   * @param tokens token ids given instead of text, or {@code null}
   * @param promptTokens prompt token ids, or {@code null}
   */
  public TextRecord(int lineNumber, String id, String prompt, String text, int[] tokens, int[] promptTokens) {
    this(lineNumber, id, prompt, text, tokens, promptTokens, null);
  }

  /**
   * The same record under another id.
   *
   * @param newId the id, not null
   * @return the copy
   */
  public TextRecord withId(String newId) {
    return new TextRecord(lineNumber, newId, prompt, text, tokens, promptTokens, topLogprobs);
  }

  /**
   * Validates the components.
   *
   * @param lineNumber the 1-based line number, {@code >= 1}
   * @param id the record id, not null
   * @param prompt the prompt, or {@code null}
   * @param text the text, not null
   * @throws IllegalArgumentException if {@code lineNumber < 1}
   * @throws NullPointerException if {@code id} or {@code text} is null
   */
  public TextRecord {
    if (lineNumber < 1) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "lineNumber is not >= 1: %d", lineNumber));
    }
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(text, "text");
  }

  /**
   * Returns whether the record carries a prompt.
   *
   * @return {@code prompt() != null}
   */
  public boolean hasPrompt() {
    return prompt != null || promptTokens != null;
  }

  /**
   * The text's token ids: the given {@code "tokens"}, checked against the vocabulary, or the
   * text encoded with the tokenizer.
   *
   * @param tokenizer the key's tokenizer
   * @param source the input's name, for error messages
   * @return the ids, each in {@code [0, tokenizer.vocabSize())}
   * @throws InputFormatException (as {@code source:line}) if a given id is outside the vocabulary
   * @throws InputFormatException if there are no tokens and the key has no tokenizer
   *     ({@code ids:SIZE})
   */
  public int[] textIds(TextTokenizer tokenizer, String source) {
    if (tokens != null) {
      return check("tokens", tokens, tokenizer, source);
    }
    requireTokenizer(tokenizer, source, "text");
    return tokenizer.encode(text);
  }

  /**
   * The prompt's token ids, as {@link #textIds}; empty when there is no prompt.
   *
   * @param tokenizer the key's tokenizer
   * @param source the input's name, for error messages
   * @return the ids
   * @throws InputFormatException if a given id is outside the vocabulary
   */
  public int[] promptIds(TextTokenizer tokenizer, String source) {
    if (promptTokens != null) {
      return check("prompt_tokens", promptTokens, tokenizer, source);
    }
    if (prompt == null) {
      return new int[0];
    }
    requireTokenizer(tokenizer, source, "prompt");
    return tokenizer.encode(prompt);
  }

  private void requireTokenizer(TextTokenizer tokenizer, String source, String field) {
    if (tokenizer instanceof TokenIdsOnly) {
      throw new InputFormatException(source, lineNumber, String.format(Locale.ROOT,
          "the key's vocabulary %s has no tokenizer: give \"%s\" as token ids instead of \"%s\"",
          tokenizer.name(), field.equals("text") ? "tokens" : "prompt_tokens", field));
    }
  }

  private int[] check(String field, int[] ids, TextTokenizer tokenizer, String source) {
    int v = tokenizer.vocabSize();
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] >= v) {
        throw new InputFormatException(source, lineNumber, String.format(Locale.ROOT,
            "\"%s\"[%d] is not a token id of %s, not in [0, %d): %d", field, i, tokenizer.name(), v, ids[i]));
      }
    }
    return ids;
  }

  /**
   * Returns the id used when a record has none: {@code "line-"} followed by the line number.
   *
   * @param lineNumber the 1-based line number
   * @return the default id, for example {@code "line-17"}
   */
  public static String defaultId(int lineNumber) {
    return "line-" + lineNumber;
  }

  /** Returns the id, line and lengths only: texts can be long and may be confidential. */
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "TextRecord[id=%s, line=%d, prompt=%s, text=%s]", id, lineNumber,
        promptTokens != null ? promptTokens.length + " tokens" : prompt == null ? "none" : prompt.length() + " chars",
        tokens != null ? tokens.length + " tokens" : text.length() + " chars");
  }
}
