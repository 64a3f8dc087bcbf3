package dev.radiomark.verify.cli;

import dev.radiomark.verify.text.TextTokenizer;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code --tokenizer}, {@code --split-pattern} and {@code --special-tokens} of the commands that
 * read a key ({@code detect}, {@code verify}): the tokenizer file of a key made with
 * {@code hf:PATH} or {@code tiktoken:PATH}, checked against the identity the key records. Also the
 * loader behind {@link SpecOptions}.
 */
final class TokenizerOptions {
  static final String DESCRIPTION = "o200k_base, cl100k_base, ids:SIZE (token-id input only), hf:PATH (a Hugging Face"
      + " tokenizer.json) or tiktoken:PATH (a tiktoken rank file, Llama 3's format)";

  @Option(names = "--tokenizer", paramLabel = "NAME",
      description = "the key's tokenizer: " + DESCRIPTION + "; needed for keys made with hf: or tiktoken:, and checked"
          + " against the name, content fingerprint and vocabulary size the key records")
  String tokenizer;

  @Option(names = "--split-pattern", paramLabel = "REGEX",
      description = "tiktoken:PATH only: the regular expression that splits text before merging (default: Llama 3's)")
  String splitPattern;

  @Option(names = "--special-tokens", paramLabel = "N",
      description = "tiktoken:PATH only: special token ids after the largest rank (default 0; Llama 3: 256)")
  Integer specialTokens;

  /** The tokenizer given, or null when {@code --tokenizer} is absent. */
  TextTokenizer loadOrNull() {
    return load(tokenizer, splitPattern, specialTokens);
  }

  /**
   * Loads a tokenizer option; null when {@code name} is null (and no tiktoken option is given).
   *
   * @throws WmException usage error (exit 2) for an unknown name or misplaced option, I/O error (exit 5)
   *     for an unreadable file, key error (exit 4) for a file that is not a tokenizer file
   */
  static TextTokenizer load(String name, String splitPattern, Integer specialTokens) {
    boolean tiktokenOnly = splitPattern != null || specialTokens != null;
    if (name == null) {
      if (tiktokenOnly) {
        throw WmException.usage("--split-pattern and --special-tokens apply to --tokenizer tiktoken:PATH only");
      }
      return null;
    }
    boolean hf = name.startsWith("hf:");
    boolean tiktoken = name.startsWith("tiktoken:");
    if (tiktokenOnly && !tiktoken) {
      throw WmException.usage("--split-pattern and --special-tokens apply to --tokenizer tiktoken:PATH only, not " + name);
    }
    if (!hf && !tiktoken) {
      if (!TextTokenizer.isKnown(name)) {
        throw WmException.usage(String.format(Locale.ROOT, "--tokenizer is not one of %s: %s", DESCRIPTION, name));
      }
      return TextTokenizer.named(name);
    }
    if (TextTokenizer.isFileIdentity(name)) {
      throw WmException.usage("--tokenizer " + name + " is the identity a key records, not a file: give the file as "
          + (hf ? "hf:PATH" : "tiktoken:PATH"));
    }
    String path = name.substring(name.indexOf(':') + 1);
    if (path.isEmpty()) {
      throw WmException.usage("--tokenizer " + name + " names no file");
    }
    if (specialTokens != null && specialTokens < 0) {
      throw WmException.usage("--special-tokens is not in [0, 2^31 - 1): " + specialTokens);
    }
    try {
      if (hf) {
        return TextTokenizer.huggingFace(Path.of(path));
      }
      return TextTokenizer.tiktoken(Path.of(path),
          splitPattern == null ? TextTokenizer.LLAMA3_SPLIT_PATTERN : splitPattern,
          specialTokens == null ? 0 : specialTokens);
    } catch (UncheckedIOException e) {
      throw WmException.io(e.getMessage(), e);
    } catch (IllegalStateException e) {
      throw WmException.usage("--tokenizer " + name + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw e.getMessage().startsWith("split pattern")
          ? WmException.usage("--split-pattern: " + e.getMessage())
          : WmException.key(e.getMessage(), e);
    }
  }
}
