package dev.radiomark;

import java.util.Locale;

/**
 * Immutable parameters of a watermark: the scheme and its version, the tokenizer and vocabulary
 * it is defined over, the context window and the scheme's own parameters. Travels with the key
 * (key files) so that detection uses exactly what generation used.
 *
 * <p>Start from {@link #greenList}, {@link #gumbel} or {@link #tournament} and adjust with the
 * {@code with...} methods; every value is checked and an out-of-range one is refused with an
 * {@link IllegalArgumentException} naming the parameter, the value and the range.
 *
 * @param scheme the scheme
 * @param version the scheme version (only the current version of each scheme is implemented)
 * @param tokenizer tokenizer name, for example {@code "o200k_base"}
 * @param vocabSize vocabulary size: every logits row has exactly this width; in [2, 2^31 - 1]
 * @param contextWidth window width h in [0, 8]; h = 0 is one fixed list for all positions
 * @param windowRule how the window seeds the PRF; min-hash and self-seeding need h &gt;= 1
 * @param gamma green fraction in (0, 1) (green list only)
 * @param delta logit bias in [0, 50] (green list only)
 * @param layers tournament layers m in [1, 64] (tournament only)
 */
public record WatermarkSpec(
    Scheme scheme,
    int version,
    String tokenizer,
    int vocabSize,
    int contextWidth,
    WindowRule windowRule,
    double gamma,
    double delta,
    int layers) {

  /** Largest supported window width. */
  public static final int MAX_CONTEXT_WIDTH = 8;

  /** Checks every parameter. */
  public WatermarkSpec {
    if (scheme == null) {
      throw new IllegalArgumentException("scheme is null");
    }
    if (version != scheme.version()) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "%s version is not supported: %d (this library implements version %d)",
          scheme.label(), version, scheme.version()));
    }
    if (tokenizer == null || tokenizer.isBlank()) {
      throw new IllegalArgumentException("tokenizer name is empty");
    }
    if (vocabSize < 2) {
      throw new IllegalArgumentException("vocabSize is not in [2, 2147483647]: " + vocabSize);
    }
    if (contextWidth < 0 || contextWidth > MAX_CONTEXT_WIDTH) {
      throw new IllegalArgumentException(
          "contextWidth is not in [0, " + MAX_CONTEXT_WIDTH + "]: " + contextWidth);
    }
    if (windowRule == null) {
      throw new IllegalArgumentException("windowRule is null");
    }
    if (windowRule != WindowRule.ORDERED && contextWidth == 0) {
      throw new IllegalArgumentException(
          "contextWidth is not in [1, " + MAX_CONTEXT_WIDTH + "] for window rule "
              + windowRule.label() + ": 0");
    }
    if (!(gamma > 0 && gamma < 1)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "gamma is not in (0, 1): %s", gamma));
    }
    if (!(delta >= 0 && delta <= 50)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "delta is not in [0, 50]: %s", delta));
    }
    if (layers < 1 || layers > 64) {
      throw new IllegalArgumentException("layers is not in [1, 64]: " + layers);
    }
  }

  /**
   * Green-list defaults: gamma 0.25, delta 2, h = 1, ordered window ("left hash").
   *
   * @param tokenizer tokenizer name
   * @param vocabSize vocabulary size
   * @return the spec
   */
  public static WatermarkSpec greenList(String tokenizer, int vocabSize) {
    return new WatermarkSpec(Scheme.GREEN_LIST, Scheme.GREEN_LIST.version(), tokenizer, vocabSize,
        1, WindowRule.ORDERED, 0.25, 2.0, 30);
  }

  /**
   * Gumbel defaults: h = 4, ordered window.
   *
   * @param tokenizer tokenizer name
   * @param vocabSize vocabulary size
   * @return the spec
   */
  public static WatermarkSpec gumbel(String tokenizer, int vocabSize) {
    return new WatermarkSpec(Scheme.GUMBEL, Scheme.GUMBEL.version(), tokenizer, vocabSize,
        4, WindowRule.ORDERED, 0.25, 2.0, 30);
  }

  /**
   * Tournament defaults: m = 30 layers, h = 4, ordered window.
   *
   * @param tokenizer tokenizer name
   * @param vocabSize vocabulary size
   * @return the spec
   */
  public static WatermarkSpec tournament(String tokenizer, int vocabSize) {
    return new WatermarkSpec(Scheme.TOURNAMENT, Scheme.TOURNAMENT.version(), tokenizer, vocabSize,
        4, WindowRule.ORDERED, 0.25, 2.0, 30);
  }

  /**
   * The defaults of a scheme.
   *
   * @param scheme the scheme
   * @param tokenizer tokenizer name
   * @param vocabSize vocabulary size
   * @return the spec
   */
  public static WatermarkSpec defaults(Scheme scheme, String tokenizer, int vocabSize) {
    switch (scheme) {
      case GREEN_LIST:
        return greenList(tokenizer, vocabSize);
      case GUMBEL:
        return gumbel(tokenizer, vocabSize);
      default:
        return tournament(tokenizer, vocabSize);
    }
  }

  /**
   * @param gamma green fraction in (0, 1)
   * @return a copy with this gamma
   */
  public WatermarkSpec withGamma(double gamma) {
    return new WatermarkSpec(scheme, version, tokenizer, vocabSize, contextWidth, windowRule, gamma, delta, layers);
  }

  /**
   * @param delta logit bias in [0, 50]
   * @return a copy with this delta
   */
  public WatermarkSpec withDelta(double delta) {
    return new WatermarkSpec(scheme, version, tokenizer, vocabSize, contextWidth, windowRule, gamma, delta, layers);
  }

  /**
   * @param h window width in [0, 8]
   * @return a copy with this width
   */
  public WatermarkSpec withContextWidth(int h) {
    return new WatermarkSpec(scheme, version, tokenizer, vocabSize, h, windowRule, gamma, delta, layers);
  }

  /**
   * @param rule window rule
   * @return a copy with this rule
   */
  public WatermarkSpec withWindowRule(WindowRule rule) {
    return new WatermarkSpec(scheme, version, tokenizer, vocabSize, contextWidth, rule, gamma, delta, layers);
  }

  /**
   * @param m tournament layers in [1, 64]
   * @return a copy with this many layers
   */
  public WatermarkSpec withLayers(int m) {
    return new WatermarkSpec(scheme, version, tokenizer, vocabSize, contextWidth, windowRule, gamma, delta, m);
  }

  /**
   * @param name tokenizer name
   * @param size vocabulary size
   * @return a copy for this tokenizer
   */
  public WatermarkSpec withTokenizer(String name, int size) {
    return new WatermarkSpec(scheme, version, name, size, contextWidth, windowRule, gamma, delta, layers);
  }

  /**
   * Refuses a logits row whose width differs from the vocabulary.
   *
   * @param width the row width offered
   * @throws IllegalArgumentException naming both numbers when they differ
   */
  public void requireVocabulary(int width) {
    if (width != vocabSize) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "logits row has %d entries but the %s vocabulary has %d", width, tokenizer, vocabSize));
    }
  }

  /**
   * One line for reports, without any key material.
   *
   * @return for example {@code green-list/v1 h=1 ordered gamma=0.25 delta=2.0 o200k_base(200019)}
   */
  public String describe() {
    String params;
    switch (scheme) {
      case GREEN_LIST:
        params = String.format(Locale.ROOT, " gamma=%s delta=%s", gamma, delta);
        break;
      case TOURNAMENT:
        params = " layers=" + layers;
        break;
      default:
        params = "";
    }
    return String.format(Locale.ROOT, "%s h=%d %s%s %s(%d)",
        scheme.domain(), contextWidth, windowRule.label(), params, tokenizer, vocabSize);
  }
}
