package dev.radiomark.verify.text;

import java.nio.file.Path;
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
 * <p>Tokenizers of open models load from their files: {@link #huggingFace(Path)} reads a Hugging
 * Face {@code tokenizer.json} (through DJL, an optional dependency), {@link #tiktoken(Path)} a
 * tiktoken rank file such as Llama 3's. Their {@link #name()} is their identity, kind, file name
 * and the SHA-256 of the file's content, for example
 * {@code hf:tokenizer.json@sha256:3c1d...}; a key records it and {@link #requireVocabulary}
 * compares kind and content, not the file name.
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
   * @param name one of {@link #knownNames()}, {@code ids:SIZE} (token ids only), {@code hf:PATH}
   *     ({@link #huggingFace}) or {@code tiktoken:PATH} ({@link #tiktoken(Path)})
   * @return the tokenizer
   * @throws IllegalArgumentException if the name is unknown (the message lists the known names) or
   *     the file is not a tokenizer file
   * @throws java.io.UncheckedIOException if a tokenizer file cannot be read
   * @throws NullPointerException if {@code name} is null
   */
  static TextTokenizer named(String name) {
    if (name.startsWith(TokenIdsOnly.PREFIX)) {
      return TokenIdsOnly.parse(name);
    }
    String kind = TokenizerFile.kind(name);
    if (kind != null) {
      if (TokenizerFile.isIdentity(name)) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "%s is the identity of a tokenizer file, not a file to load: give the file as %s:PATH", name, kind));
      }
      String path = name.substring(kind.length() + 1);
      if (path.isEmpty()) {
        throw new IllegalArgumentException("tokenizer " + name + " names no file: give " + kind + ":PATH");
      }
      return kind.equals(TokenizerFile.HF) ? huggingFace(Path.of(path)) : tiktoken(Path.of(path));
    }
    return JtokkitTokenizer.named(name);
  }

  /**
   * Llama 3's split pattern, the default of {@link #tiktoken(Path)}: the regular expression that
   * cuts text into pieces before byte-pair merging, as in Llama 3's reference tokenizer
   * (the same as {@code cl100k_base}'s).
   */
  String LLAMA3_SPLIT_PATTERN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
      + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

  /**
   * Loads a Hugging Face {@code tokenizer.json} through DJL ({@code ai.djl.huggingface:tokenizers},
   * whose jar carries the native library: nothing is downloaded). Truncation and padding are off
   * and no special tokens are added, so a text of any length is encoded whole. The vocabulary size
   * is the largest id in {@code model.vocab} and {@code added_tokens} plus one. Loading the same
   * content twice shares one native tokenizer.
   *
   * @param file the tokenizer.json
   * @return the tokenizer, named {@code hf:FILE@sha256:HEX}
   * @throws IllegalArgumentException naming the file if it is not a tokenizer.json
   * @throws java.io.UncheckedIOException naming the file if it cannot be read
   * @throws IllegalStateException if DJL is not on the class path; the message names the artifact
   */
  static TextTokenizer huggingFace(Path file) {
    Objects.requireNonNull(file, "file");
    try {
      Class.forName(HfTokenizer.DJL_CLASS, false, TextTokenizer.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException("hf: tokenizers need DJL on the class path: add the dependency "
          + "ai.djl.huggingface:tokenizers:0.38.0 (" + file + ")", e);
    }
    return HfTokenizer.load(file);
  }

  /**
   * Loads a tiktoken rank file with Llama 3's split pattern and no special tokens.
   *
   * @param file lines of {@code BASE64 RANK}
   * @return the tokenizer, named {@code tiktoken:FILE@sha256:HEX}, vocabulary size largest rank + 1
   * @throws IllegalArgumentException naming the file and line if it is not a rank file
   * @throws java.io.UncheckedIOException naming the file if it cannot be read
   * @see #tiktoken(Path, String, int)
   */
  static TextTokenizer tiktoken(Path file) {
    return tiktoken(file, LLAMA3_SPLIT_PATTERN, 0);
  }

  /**
   * Loads a tiktoken rank file as a jtokkit byte-pair encoding. Every single byte must have a
   * rank (byte-level BPE encodes any text); tokens and ranks are distinct. The split pattern is
   * compiled with Unicode character classes, as Python's {@code regex} reads it; a pattern other
   * than {@link #LLAMA3_SPLIT_PATTERN} is part of the identity ({@code ;split-sha256:HEX}).
   * Special tokens take the ids after the largest rank (Llama 3: 256 after 128,000 ranks, vocabulary
   * 128,256); {@link #encode} never produces them.
   *
   * @param file lines of {@code BASE64 RANK}
   * @param splitPattern the regular expression that splits text before merging
   * @param specialTokens the number of special token ids after the largest rank, at least 0
   * @return the tokenizer, vocabulary size largest rank + 1 + specialTokens
   * @throws IllegalArgumentException naming the file and line if it is not a rank file, or if the
   *     pattern is invalid or specialTokens negative
   * @throws java.io.UncheckedIOException naming the file if it cannot be read
   */
  static TextTokenizer tiktoken(Path file, String splitPattern, int specialTokens) {
    Objects.requireNonNull(file, "file");
    return TiktokenTokenizer.load(file, splitPattern, specialTokens);
  }

  /**
   * Whether a recorded tokenizer name is the identity of a tokenizer file ({@code hf:...@sha256:...}
   * or {@code tiktoken:...@sha256:...}): a key of such a tokenizer needs the file given again to
   * re-tokenize text; {@link #named} cannot rebuild it from the name.
   *
   * @param name a tokenizer name, as recorded in a key
   * @return true for a file identity
   */
  static boolean isFileIdentity(String name) {
    return TokenizerFile.isIdentity(name);
  }

  /**
   * Whether a name is accepted by {@link #named}: one of {@link #knownNames()},
   * {@code ids:SIZE} for a model whose tokenizer the verifier does not have (records then give
   * token ids, {@code "tokens"} and {@code "prompt_tokens"}, instead of text), or {@code hf:PATH}
   * or {@code tiktoken:PATH} with a non-empty path (the file itself is not checked here).
   *
   * @param name a tokenizer name
   * @return true if {@link #named} accepts its form
   */
  static boolean isKnown(String name) {
    String kind = TokenizerFile.kind(name);
    if (kind != null) {
      return name.length() > kind.length() + 1 && !TokenizerFile.isIdentity(name);
    }
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
   * p-values, so a mismatch is an error rather than a warning. Tokenizers loaded from files match
   * when their kind and content fingerprint match (a renamed copy of the file is the same
   * tokenizer); other names must be equal.
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
    if (!TokenizerFile.sameness(expectedName).equals(TokenizerFile.sameness(actual.name()))
        || expectedVocab != actual.vocabSize()) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "tokenizer mismatch: key expects %s (%d tokens), got %s (%d tokens)",
          expectedName, expectedVocab, actual.name(), actual.vocabSize()));
    }
  }
}
