package dev.radiomark.verify.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Undoes the edits that destroy a watermark without changing what a text says: rewritten
 * whitespace, Unicode compatibility forms, invisible characters, inserted symbols and changed
 * case. A detector re-tokenizes text, so any of these changes the tokens and the windows that
 * were keyed at generation time; the canonical forms give back the generated tokens when the
 * edit was one of these.
 *
 * <p>{@link #variants(String)} returns the few texts worth scoring: the text as given first,
 * then canonical forms. Which variants are tried is decided from the text alone, never from a
 * key or a score, so each variant's p-value is exact over fresh keys and the smallest of m is
 * corrected by Bonferroni, {@code min(1, m p_min)} (see {@code CanonicalDetection}).
 *
 * <p>The variants, each applied to the prompt the same way:
 * <ol>
 *   <li>{@link Variant#AS_GIVEN}: the text unchanged.
 *   <li>{@link Variant#CANONICAL}: NFKC (full-width letters, ligatures, compatibility spaces);
 *       format and control characters removed (zero-width space, joiners, word joiner, byte
 *       order mark, soft hyphen, bidirectional marks, variation selectors); every whitespace
 *       run (spaces, tabs, newlines, no-break spaces) replaced by one space.
 *   <li>{@link Variant#NO_SYMBOLS}, only when the canonical text contains a symbol: as
 *       CANONICAL, with every symbol (Unicode categories Sm, Sc, Sk, So, and {@code * # @ & _ \})
 *       replaced by a space before the whitespace is collapsed.
 *   <li>{@link Variant#RECASED}, only when at least half of the cased letters are upper case
 *       (and there are at least 8): the previous variant lower-cased, with the first letter of
 *       the text and of each sentence (after {@code . ! ?} and a space) and the pronoun "i"
 *       upper-cased.
 * </ol>
 *
 * <p>Immutable and thread-safe.
 */
public final class Canonicalizer {
  /** One way of rewriting a text before it is tokenized. */
  public enum Variant {
    /** The text as given. */
    AS_GIVEN,
    /** NFKC, invisible characters removed, whitespace runs collapsed to one space. */
    CANONICAL,
    /** As {@link #CANONICAL}, with symbols removed. */
    NO_SYMBOLS,
    /** As {@link #NO_SYMBOLS} (or {@link #CANONICAL} when there was no symbol), in sentence case. */
    RECASED;

    /** @return the name used in reports, for example {@code "no_symbols"} */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final Canonicalizer DEFAULTS = new Canonicalizer(true);
  private static final Canonicalizer NONE = new Canonicalizer(false);
  private static final int MIN_CASED_LETTERS = 8;

  private final boolean enabled;

  private Canonicalizer(boolean enabled) {
    this.enabled = enabled;
  }

  /** @return the canonicalizer that tries every applicable variant */
  public static Canonicalizer defaults() {
    return DEFAULTS;
  }

  /** @return the canonicalizer that scores the text as given only */
  public static Canonicalizer none() {
    return NONE;
  }

  /** @return whether variants other than the text as given are tried */
  public boolean enabled() {
    return enabled;
  }

  /**
   * The variants to try for a text, decided from the text alone. The first is always
   * {@link Variant#AS_GIVEN}. Two variants may still give the same string (a text with nothing
   * to undo): callers de-duplicate what they score and count only distinct variants.
   *
   * @param text the text, not null
   * @return at most four variants, in the order of {@link Variant}
   * @throws NullPointerException if {@code text} is null
   */
  public List<Variant> variants(String text) {
    Objects.requireNonNull(text, "text");
    List<Variant> out = new ArrayList<>(4);
    out.add(Variant.AS_GIVEN);
    if (!enabled) {
      return out;
    }
    out.add(Variant.CANONICAL);
    String canonical = canonical(text, false);
    boolean symbols = hasSymbol(canonical);
    if (symbols) {
      out.add(Variant.NO_SYMBOLS);
    }
    if (mostlyUpperCase(canonical)) {
      out.add(Variant.RECASED);
    }
    return out;
  }

  /**
   * Applies a variant to a text (or to its prompt). For {@link Variant#RECASED}, symbols are
   * removed too when {@code text} contains one, as in {@link #variants}.
   *
   * @param variant the variant
   * @param text the text, not null
   * @return the rewritten text
   * @throws NullPointerException if an argument is null
   */
  public static String apply(Variant variant, String text) {
    Objects.requireNonNull(text, "text");
    switch (Objects.requireNonNull(variant, "variant")) {
      case AS_GIVEN:
        return text;
      case CANONICAL:
        return canonical(text, false);
      case NO_SYMBOLS:
        return canonical(text, true);
      default:
        return sentenceCase(canonical(text, hasSymbol(canonical(text, false))));
    }
  }

  /** NFKC, invisible characters dropped, optionally symbols dropped, whitespace runs collapsed. */
  static String canonical(String text, boolean dropSymbols) {
    String s = Normalizer.isNormalized(text, Normalizer.Form.NFKC) ? text
        : Normalizer.normalize(text, Normalizer.Form.NFKC);
    StringBuilder b = new StringBuilder(s.length());
    boolean pendingSpace = false;
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      if (isWhitespace(c) || dropSymbols && isSymbol(c)) {
        pendingSpace = true;
      } else if (isInvisible(c)) {
        // dropped: it joins what surrounds it
      } else {
        if (pendingSpace) {
          b.append(' ');
          pendingSpace = false;
        }
        b.appendCodePoint(c);
      }
    }
    if (pendingSpace) {
      b.append(' ');
    }
    return b.toString();
  }

  private static boolean isWhitespace(int c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c);
  }

  private static boolean isInvisible(int c) {
    int t = Character.getType(c);
    return t == Character.FORMAT || t == Character.CONTROL
        || c >= 0xFE00 && c <= 0xFE0F || c >= 0xE0100 && c <= 0xE01EF; // variation selectors
  }

  static boolean isSymbol(int c) {
    int t = Character.getType(c);
    return t == Character.MATH_SYMBOL || t == Character.CURRENCY_SYMBOL || t == Character.MODIFIER_SYMBOL
        || t == Character.OTHER_SYMBOL || c == '*' || c == '#' || c == '@' || c == '&' || c == '_' || c == '\\';
  }

  private static boolean hasSymbol(String s) {
    return s.codePoints().anyMatch(Canonicalizer::isSymbol);
  }

  static boolean mostlyUpperCase(String s) {
    int upper = 0;
    int cased = 0;
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      if (Character.isUpperCase(c)) {
        upper++;
        cased++;
      } else if (Character.isLowerCase(c)) {
        cased++;
      }
    }
    return cased >= MIN_CASED_LETTERS && 2 * upper >= cased;
  }

  /** Lower case, with sentence starts and the pronoun "i" upper-cased. */
  static String sentenceCase(String s) {
    String lower = s.toLowerCase(Locale.ROOT);
    StringBuilder b = new StringBuilder(lower.length());
    boolean start = true;
    int n = lower.length();
    for (int i = 0; i < n; ) {
      int c = lower.codePointAt(i);
      int w = Character.charCount(c);
      if (Character.isLetter(c)) {
        boolean pronoun = c == 'i' && (i == 0 || !Character.isLetterOrDigit(lower.codePointBefore(i)))
            && (i + 1 >= n || !Character.isLetterOrDigit(lower.codePointAt(i + 1)));
        b.appendCodePoint(start || pronoun ? Character.toUpperCase(c) : c);
        start = false;
      } else {
        b.appendCodePoint(c);
        if (c == '.' || c == '!' || c == '?') {
          start = i + 1 < n && lower.charAt(i + 1) == ' ';
        } else if (c != ' ' && c != '"' && c != '\'' && c != '(') {
          start = false;
        }
      }
      i += w;
    }
    return b.toString();
  }
}
