package dev.radiomark.verify.text;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.IntArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** {@link TextTokenizer} over a jtokkit {@link Encoding}. */
final class JtokkitTokenizer implements TextTokenizer {

  static final List<String> KNOWN_NAMES = List.of("o200k_base", "cl100k_base");

  /*
   * Frozen vocabulary sizes (largest id including specials, plus one). jtokkit does not expose
   * them; they are read off its bundled .tiktoken files and special-token tables, and
   * TextTokenizerTest checks them against the library so an upgrade that changes them fails.
   */
  private static final Map<String, Integer> VOCAB_SIZES =
      Map.of("o200k_base", 200_019, "cl100k_base", 100_277);

  /** Loaded encodings; each costs about a second and tens of megabytes, so load once. */
  private static final Map<String, JtokkitTokenizer> CACHE = new ConcurrentHashMap<>();

  private final Encoding encoding;
  private final String name;
  private final int vocabSize;
  private final Normalization normalization;

  JtokkitTokenizer(Encoding encoding, String name, int vocabSize, Normalization normalization) {
    this.encoding = encoding;
    this.name = name;
    this.vocabSize = vocabSize;
    this.normalization = normalization;
  }

  static TextTokenizer named(String name) {
    Objects.requireNonNull(name, "name");
    Integer vocab = VOCAB_SIZES.get(name);
    if (vocab == null) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "tokenizer name is not one of %s: %s", KNOWN_NAMES, name));
    }
    // computeIfAbsent runs the load at most once per name, even under contention.
    return CACHE.computeIfAbsent(name, n -> new JtokkitTokenizer(
        Registry.INSTANCE.getEncoding(n).orElseThrow(
            () -> new IllegalStateException("jtokkit has no encoding " + n)),
        n, vocab, Normalization.NONE));
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
    return normalization == this.normalization
        ? this
        : new JtokkitTokenizer(encoding, name, vocabSize, normalization);
  }

  @Override
  public int[] encode(String text) {
    Objects.requireNonNull(text, "text");
    return encoding.encodeOrdinary(normalization.apply(text)).toArray();
  }

  @Override
  public String decode(int[] tokens, int off, int len) {
    Objects.checkFromIndexSize(off, len, tokens.length);
    IntArrayList list = new IntArrayList(len);
    for (int i = off; i < off + len; i++) {
      int id = tokens[i];
      if (id < 0 || id >= vocabSize) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "tokens[%d] is not in [0, %d): %d", i, vocabSize, id));
      }
      list.add(id);
    }
    try {
      return encoding.decode(list);
    } catch (NullPointerException e) {
      // jtokkit signals an unassigned id (a gap in the id space) with a NullPointerException.
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "tokens[%d..%d) contains an id unassigned in %s: %s",
          off, off + len, name, e.getMessage()), e);
    }
  }

  @Override
  public String toString() {
    return name + (normalization == Normalization.NONE ? "" : "+" + normalization.name().toLowerCase(Locale.ROOT));
  }

  /** Holder idiom: the registry is created on first use only. */
  private static final class Registry {
    // The lazy registry parses only the encodings asked for, not all five.
    static final EncodingRegistry INSTANCE = Encodings.newLazyEncodingRegistry();
  }
}
