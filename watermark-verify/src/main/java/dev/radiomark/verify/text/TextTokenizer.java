package dev.radiomark.verify.text;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Turns text into the token ids a watermark was keyed on, and back.
 *
 * <p>Instances are immutable and thread-safe. The built-in tokenizers are the OpenAI byte-pair
 * encodings shipped inside the jtokkit jar, so no network access is needed:
 *
 * <table>
 *   <caption>Built-in tokenizers</caption>
 *   <tr><th>{@link #name()}</th><th>{@link #vocabSize()}</th><th>ordinary ids</th><th>special ids</th></tr>
 *   <tr><td>{@code o200k_base}</td><td>200019</td><td>0..199997</td><td>199999, 200018</td></tr>
 *   <tr><td>{@code cl100k_base}</td><td>100277</td><td>0..100255</td><td>100257..100260, 100276</td></tr>
 * </table>
 *
 * <p>The vocabulary size is defined as the largest token id, special tokens included, plus one;
 * it is the size of the id space a scheme must partition, even though a few ids inside it
 * (for example 199998 and 200000..200017 in {@code o200k_base}) are never produced.
 *
 * <p>Typical use:
 * <pre>{@code
 * TextTokenizer tok = TextTokenizer.o200k().withNormalization(Normalization.NFC);
 * int[] ids = tok.encode(record.text());
 * }</pre>
 */
public interface TextTokenizer {

  /**
   * Returns the encoding name, for example {@code "o200k_base"}. The name identifies the
   * vocabulary only; it does not change with {@link #normalization()}.
   *
   * @return the encoding name
   */
  String name();

  /**
   * Returns the size of the token id space: the largest id, special tokens included, plus one.
   *
   * @return the vocabulary size, positive
   */
  int vocabSize();

  /**
   * Returns the normalization applied by {@link #encode(String)} before tokenizing.
   *
   * @return the normalization
   */
  Normalization normalization();

  /**
   * Returns a tokenizer with the same vocabulary and the given normalization.
   *
   * @param normalization the normalization to apply before encoding
   * @return a tokenizer; {@code this} if the normalization is unchanged
   * @throws NullPointerException if {@code normalization} is null
   */
  TextTokenizer withNormalization(Normalization normalization);

  /**
   * Encodes ordinary text. Special-token strings such as {@code "<|endoftext|>"} are encoded as
   * the plain characters they consist of, never as special token ids, so untrusted text cannot
   * smuggle control tokens into the sequence.
   *
   * @param text the text, not null; normalized with {@link #normalization()} first
   * @return a new array of token ids, each in {@code [0, vocabSize())}
   * @throws NullPointerException if {@code text} is null
   */
  int[] encode(String text);

  /**
   * Decodes {@code tokens[off, off + len)} to text. The concatenated token bytes are read as
   * UTF-8; a range that cuts a multi-byte character yields U+FFFD in its place.
   *
   * @param tokens the token ids
   * @param off the first index, in {@code [0, tokens.length]}
   * @param len the number of tokens, in {@code [0, tokens.length - off]}
   * @return the decoded text
   * @throws IndexOutOfBoundsException if the range is outside the array
   * @throws IllegalArgumentException if an id is outside {@code [0, vocabSize())} or is an
   *     unassigned id inside it; the message names the index and the id
   */
  String decode(int[] tokens, int off, int len);

  /**
   * Returns the tokenizer with the given encoding name and no normalization. Loading an
   * encoding takes about a second the first time; the result is cached for the life of the
   * class loader and shared between threads.
   *
   * @param name one of {@link #knownNames()}, or {@code ids:SIZE} (token ids only)
   * @return the tokenizer
   * @throws IllegalArgumentException if the name is unknown; the message lists the known names
   * @throws NullPointerException if {@code name} is null
   */
  static TextTokenizer named(String name) {
    if (name.startsWith(TokenIdsOnly.PREFIX)) {
      return TokenIdsOnly.parse(name);
    }
    return JtokkitTokenizer.named(name);
  }

  /**
   * Whether a name is accepted by {@link #named}: one of {@link #knownNames()}, or
   * {@code ids:SIZE} for a model whose tokenizer the verifier does not have (records then give
   * token ids, {@code "tokens"} and {@code "prompt_tokens"}, instead of text).
   *
   * @param name a tokenizer name
   * @return true if {@link #named} accepts it
   */
  static boolean isKnown(String name) {
    if (name.startsWith(TokenIdsOnly.PREFIX)) {
      try {
        TokenIdsOnly.parse(name);
        return true;
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    return knownNames().contains(name);
  }

  /**
   * Returns the {@code o200k_base} tokenizer (GPT-4o family) with no normalization.
   *
   * @return the tokenizer, vocabulary size 200019
   */
  static TextTokenizer o200k() {
    return named("o200k_base");
  }

  /**
   * Returns the {@code cl100k_base} tokenizer (GPT-4 / GPT-3.5 family) with no normalization.
   *
   * @return the tokenizer, vocabulary size 100277
   */
  static TextTokenizer cl100k() {
    return named("cl100k_base");
  }

  /**
   * Returns the names accepted by {@link #named(String)}.
   *
   * @return an immutable list of encoding names
   */
  static List<String> knownNames() {
    return JtokkitTokenizer.KNOWN_NAMES;
  }

  /**
   * Checks that a tokenizer is the one a key or configuration was made for. Token ids from a
   * different vocabulary would be scored against the wrong partition and give meaningless
   * p-values, so a mismatch is an error rather than a warning.
   *
   * @param expectedName the encoding name recorded with the key
   * @param expectedVocab the vocabulary size recorded with the key
   * @param actual the tokenizer about to be used
   * @throws IllegalArgumentException if the name or the size differs, for example
   *     {@code "tokenizer mismatch: key expects o200k_base (200019 tokens), got cl100k_base (100277 tokens)"}
   * @throws NullPointerException if an argument is null
   */
  static void requireVocabulary(String expectedName, int expectedVocab, TextTokenizer actual) {
    Objects.requireNonNull(expectedName, "expectedName");
    Objects.requireNonNull(actual, "actual");
    if (!expectedName.equals(actual.name()) || expectedVocab != actual.vocabSize()) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "tokenizer mismatch: key expects %s (%d tokens), got %s (%d tokens)",
          expectedName, expectedVocab, actual.name(), actual.vocabSize()));
    }
  }
}
