package dev.radiomark.verify.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link TextTokenizer} over a Hugging Face {@code tokenizer.json}, run by DJL's bindings of the
 * Rust {@code tokenizers} library (native library inside DJL's jar, never downloaded). Truncation,
 * padding and the tokenizer's own special tokens (BOS and the like) are off: {@link #encode}
 * returns the ids of the text, whatever its length. Only this class touches DJL types.
 */
final class HfTokenizer implements TextTokenizer {
  /** The DJL class that must be on the class path. */
  static final String DJL_CLASS = "ai.djl.huggingface.tokenizers.HuggingFaceTokenizer";

  /*
   * DJL options: no truncation (its default cuts at 512 tokens), no padding, no BOS/EOS added,
   * no overflow windows. encode(text, false, false) passes the same choices per call.
   */
  private static final Map<String, String> OPTIONS = Map.of(
      "truncation", "false", "padding", "false", "addSpecialTokens", "false",
      "withOverflowingTokens", "false");

  /** Loaded tokenizers by content fingerprint: a native tokenizer is built once per file content. */
  private static final Map<String, HuggingFaceTokenizer> CACHE = new ConcurrentHashMap<>();

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HuggingFaceTokenizer tokenizer;
  private final String name;
  private final int vocabSize;
  private final Normalization normalization;

  private HfTokenizer(HuggingFaceTokenizer tokenizer, String name, int vocabSize, Normalization normalization) {
    this.tokenizer = tokenizer;
    this.name = name;
    this.vocabSize = vocabSize;
    this.normalization = normalization;
  }

  /** Loads a tokenizer.json; the content hashed is the content loaded. */
  static TextTokenizer load(Path file) {
    byte[] bytes = TokenizerFile.read(file);
    String sha = TokenizerFile.sha256(bytes);
    int vocab = vocabSize(file, bytes);
    HuggingFaceTokenizer t = CACHE.computeIfAbsent(sha, s -> {
      try {
        return HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(bytes), OPTIONS);
      } catch (IOException e) {
        throw new UncheckedIOException(file + ": cannot load tokenizer.json: " + e.getMessage(), e);
      } catch (RuntimeException e) {
        // The Rust parser reports a file it cannot read as a RuntimeException with its reason.
        throw new IllegalArgumentException(file + ": not a tokenizer.json the tokenizers library can load: "
            + e.getMessage(), e);
      }
    });
    return new HfTokenizer(t, TokenizerFile.identity(TokenizerFile.HF, file, sha), vocab, Normalization.NONE);
  }

  /**
   * The largest id in the file plus one: the model's vocabulary ({@code model.vocab}, an object of
   * token to id for BPE, WordLevel and WordPiece, a list for Unigram) and {@code added_tokens}.
   */
  static int vocabSize(Path file, byte[] bytes) {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": not a tokenizer.json: malformed JSON: " + e.getMessage(), e);
    }
    JsonNode vocab = root == null ? null : root.path("model").get("vocab");
    if (vocab == null || !(vocab.isObject() || vocab.isArray()) || vocab.isEmpty()) {
      throw new IllegalArgumentException(file + ": not a tokenizer.json: no model.vocab object or list");
    }
    long max = -1;
    if (vocab.isArray()) {
      max = vocab.size() - 1;
    } else {
      for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        max = Math.max(max, id(file, "model.vocab[\"" + e.getKey() + "\"]", e.getValue()));
      }
    }
    JsonNode added = root.get("added_tokens");
    if (added != null && added.isArray()) {
      for (int i = 0; i < added.size(); i++) {
        max = Math.max(max, id(file, "added_tokens[" + i + "].id", added.get(i).path("id")));
      }
    }
    if (max + 1 < 2) {
      throw new IllegalArgumentException(file + ": tokenizer.json has fewer than 2 token ids");
    }
    return (int) (max + 1);
  }

  private static long id(Path file, String where, JsonNode v) {
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0 || v.intValue() == Integer.MAX_VALUE) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "%s: %s is not a token id in [0, %d): %s", file, where, Integer.MAX_VALUE, v));
    }
    return v.intValue();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public Normalization normalization() {
    return normalization;
  }

  @Override
  public TextTokenizer withNormalization(Normalization normalization) {
    Objects.requireNonNull(normalization, "normalization");
    return normalization == this.normalization ? this : new HfTokenizer(tokenizer, name, vocabSize, normalization);
  }

  /**
   * Encodes as the model's own tokenizer does, without truncation, padding or added BOS/EOS.
   * Unlike the jtokkit encodings, Hugging Face tokenizers match their added (special) tokens in
   * the text: that is how the model saw such text, so detection re-tokenizes it the same way.
   */
  @Override
  public int[] encode(String text) {
    Objects.requireNonNull(text, "text");
    long[] ids = tokenizer.encode(normalization.apply(text), false, false).getIds();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = (int) ids[i];
    }
    return out;
  }

  @Override
  public String decode(int[] tokens, int off, int len) {
    Objects.checkFromIndexSize(off, len, tokens.length);
    long[] ids = new long[len];
    for (int i = 0; i < len; i++) {
      int id = tokens[off + i];
      if (id < 0 || id >= vocabSize) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "tokens[%d] is not in [0, %d): %d", off + i, vocabSize, id));
      }
      ids[i] = id;
    }
    return tokenizer.decode(ids, false);
  }

  @Override
  public String toString() {
    return name + (normalization == Normalization.NONE ? "" : "+" + normalization.name().toLowerCase(Locale.ROOT));
  }
}
