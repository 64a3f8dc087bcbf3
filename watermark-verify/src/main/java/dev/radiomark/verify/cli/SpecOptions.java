package dev.radiomark.verify.cli;

import dev.radiomark.Scheme;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.WindowRule;
import dev.radiomark.verify.text.TextTokenizer;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** The watermark parameters of {@code keygen} and {@code calibrate}; unset ones keep the scheme's defaults. */
final class SpecOptions {
  @Option(names = "--scheme", paramLabel = "SCHEME", converter = SchemeConverter.class,
      description = "green-list (default), gumbel or tournament")
  Scheme scheme;

  @Option(names = "--tokenizer", paramLabel = "NAME",
      description = "o200k_base (default) or cl100k_base")
  String tokenizer;

  @Option(names = "--gamma", paramLabel = "G", description = "green fraction in (0, 1), green list (default 0.25)")
  Double gamma;

  @Option(names = "--delta", paramLabel = "D", description = "logit bias in [0, 50], green list (default 2)")
  Double delta;

  @Option(names = "--context-width", paramLabel = "H",
      description = "window width h in [0, 8] (default 1 for green-list, 4 otherwise)")
  Integer contextWidth;

  @Option(names = "--window-rule", paramLabel = "RULE", converter = WindowRuleConverter.class,
      description = "ordered (default), min-hash or self-seeding")
  WindowRule windowRule;

  @Option(names = "--layers", paramLabel = "M", description = "tournament layers in [1, 64] (default 30)")
  Integer layers;

  /** Whether any option was given. */
  boolean anySet() {
    return scheme != null || tokenizer != null || gamma != null || delta != null || contextWidth != null
        || windowRule != null || layers != null;
  }

  /**
   * The spec: the scheme's defaults with the given options applied.
   *
   * @throws WmException usage error naming the parameter when a value is out of range
   */
  WatermarkSpec build() {
    String tokName = tokenizer == null ? "o200k_base" : tokenizer;
    if (!TextTokenizer.knownNames().contains(tokName)) {
      throw WmException.usage(String.format(Locale.ROOT, "--tokenizer is not one of %s: %s",
          String.join(", ", TextTokenizer.knownNames()), tokName));
    }
    Scheme s = scheme == null ? Scheme.GREEN_LIST : scheme;
    WatermarkSpec d = WatermarkSpec.defaults(s, tokName, TextTokenizer.named(tokName).vocabSize());
    try {
      return new WatermarkSpec(s, s.version(), tokName, d.vocabSize(),
          contextWidth == null ? d.contextWidth() : contextWidth,
          windowRule == null ? d.windowRule() : windowRule,
          gamma == null ? d.gamma() : gamma,
          delta == null ? d.delta() : delta,
          layers == null ? d.layers() : layers);
    } catch (IllegalArgumentException e) {
      throw WmException.usage("invalid watermark parameter: " + e.getMessage());
    }
  }

  /** Parses scheme labels. */
  static final class SchemeConverter implements ITypeConverter<Scheme> {
    @Override
    public Scheme convert(String value) {
      return Scheme.fromLabel(value);
    }
  }

  /** Parses window rule labels. */
  static final class WindowRuleConverter implements ITypeConverter<WindowRule> {
    @Override
    public WindowRule convert(String value) {
      return WindowRule.fromLabel(value);
    }
  }
}
