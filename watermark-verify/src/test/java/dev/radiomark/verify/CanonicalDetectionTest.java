package dev.radiomark.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.verify.text.Canonicalizer;
import dev.radiomark.verify.text.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/**
 * Canonical variants in detection: the edits of the robustness measurements (whitespace
 * rewritten, upper-cased, a symbol inserted between words, zero-width characters, full-width
 * letters) destroy detection of the text as given and are undone by the variants; the smallest
 * p-value over the variants is not valid uncorrected, and is after the Bonferroni factor m.
 */
class CanonicalDetectionTest {
  private static final TextTokenizer TOK = TextTokenizer.o200k();
  private static final WatermarkSpec SPEC = TestSupport.greenO200k().withContextWidth(1).withDelta(2).withGamma(0.25);

  /** o200k ids of " word" tokens (a space and lower-case ASCII letters) seen in the KJV sample. */
  private static int[] wordTokens() {
    TreeSet<Integer> ids = new TreeSet<>();
    for (int[] verse : TestSupport.kjvVerseTokens()) {
      for (int t : verse) {
        if (TOK.decode(new int[] {t}, 0, 1).matches(" [a-z]{2,}")) {
          ids.add(t);
        }
      }
    }
    return ids.stream().mapToInt(Integer::intValue).toArray();
  }

  /** A 200-token watermarked answer of a model uniform over the word tokens, decoded to text. */
  private static String answer(Watermarker wm, int[] words, UniformRandomProvider rng) {
    float[] logits = new float[TestSupport.O200K];
    Arrays.fill(logits, Float.NEGATIVE_INFINITY);
    for (int w : words) {
      logits[w] = 0f;
    }
    int[] ids = TestSupport.watermarked(wm, logits, 200, rng);
    return TOK.decode(ids, 0, ids.length);
  }

  private static final List<String> ATTACKS = List.of("whitespace", "upper-case", "symbol", "zero-width", "full-width");

  private static UnaryOperator<String> attack(String name, UniformRandomProvider rng) {
    switch (name) {
      case "whitespace": // each space becomes a double space, a newline or a tab
        return s -> {
          StringBuilder b = new StringBuilder();
          for (char c : s.toCharArray()) {
            b.append(c != ' ' ? String.valueOf(c) : new String[] {"  ", "\n", "\t", " \n "}[rng.nextInt(4)]);
          }
          return b.toString();
        };
      case "upper-case":
        return s -> s.toUpperCase(Locale.ROOT);
      case "symbol": // a symbol between every two words
        return s -> s.replace(" ", " * ").replace(" * ", rng.nextBoolean() ? " @ " : " * ");
      case "zero-width":
        return s -> s.replace(" ", " \u200b").replace("e", "e\u00ad");
      default: // full-width Latin letters (NFKC maps them back)
        return s -> {
          StringBuilder b = new StringBuilder();
          for (char c : s.toCharArray()) {
            b.append(c >= 'a' && c <= 'z' ? (char) (c - 'a' + 0xFF41) : c);
          }
          return b.toString();
        };
    }
  }

  /**
   * Each attack takes the text as given to log10 p above -3 (from below -15), and the corrected
   * variant test brings it back below -15. Seeded; 3 keys per attack.
   */
  @Test
  void variantsRecoverDetectionAfterEachEdit() {
    int[] words = wordTokens();
    assertTrue(words.length > 1000, "word tokens: " + words.length);
    UniformRandomProvider rng = TestSupport.rng(1101);
    for (String name : ATTACKS) {
      for (int trial = 0; trial < 3; trial++) {
        Watermarker wm = Watermarker.of(TestSupport.key("canon-" + name + trial, rng), SPEC);
        Detector d = Detector.of(wm);
        String clean = answer(wm, words, rng);
        String edited = attack(name, rng).apply(clean);
        double before = d.detect(new int[0], TOK.encode(clean)).log10P();
        double asGiven = d.detect(new int[0], TOK.encode(edited)).log10P();
        TokenVariants v = TokenVariants.of(Canonicalizer.defaults(), TOK, null, edited);
        TokenVariants.Result r = v.detect(d);
        System.out.printf(Locale.ROOT, "%-10s clean %.1f, edited as given %.1f, variants %.1f (m = %d, best %s)%n",
            name, before, asGiven, r.result().log10P(), r.variantsTried(), r.bestVariant().label());
        assertTrue(before < -15, () -> "clean " + before);
        assertTrue(asGiven > -3, () -> name + ": the edit did not hurt: " + asGiven);
        assertTrue(r.result().log10P() < -15, () -> name + ": not recovered: " + r.result().log10P());
        assertEquals(Math.min(0, r.log10PRaw() + Math.log10(r.variantsTried())), r.result().log10P(), 1e-12);
        // Without canonicalization the same call scores the text as given only.
        TokenVariants off = TokenVariants.of(Canonicalizer.none(), TOK, null, edited);
        assertEquals(1, off.size());
        assertEquals(asGiven, off.detect(d).result().log10P(), 1e-12);
      }
    }
  }

  /** A clean answer: nothing to undo, a single distinct variant, no correction paid. */
  @Test
  void cleanTextPaysNothing() {
    int[] words = wordTokens();
    UniformRandomProvider rng = TestSupport.rng(1102);
    Watermarker wm = Watermarker.of(TestSupport.key("canon-clean", rng), SPEC);
    String clean = answer(wm, words, rng);
    TokenVariants v = TokenVariants.of(Canonicalizer.defaults(), TOK, null, clean);
    assertEquals(1, v.size());
    assertEquals(Detector.of(wm).detect(new int[0], TOK.encode(clean)).log10P(), v.detect(Detector.of(wm)).result().log10P(), 0);
  }

  /**
   * Human text (KJV passages, upper-cased with symbols and tabs inserted so that all four
   * variants differ) under 2,000 fresh keys at alpha 0.01. The smallest p over the variants,
   * uncorrected, is below alpha for clearly more than alpha of the keys (about 3.5 alpha
   * expected: the variants' tuples barely overlap); after the factor m it is at most alpha.
   * Each assertion fails by chance with probability at most 0.001.
   */
  @Test
  void minimumOverVariantsNeedsTheCorrection() {
    List<String> texts = new ArrayList<>();
    List<String> verses = TestSupport.kjvVerses();
    for (int i = 0; i + 6 <= 600; i += 6) {
      String s = " " + String.join(" ", verses.subList(i, i + 6));
      texts.add(s.toUpperCase(Locale.ROOT).replace(", ", " # ,\t").replace(" THE ", " THE\u200b * "));
    }
    List<TokenVariants> variants = new ArrayList<>();
    for (String t : texts) {
      variants.add(TokenVariants.of(Canonicalizer.defaults(), TOK, null, t));
    }
    UniformRandomProvider rng = TestSupport.rng(1103);
    WatermarkSpec spec = TestSupport.greenO200k().withContextWidth(4);
    double alpha = 0.01;
    int keys = 2000;
    long raw = 0;
    long corrected = 0;
    long m = 0;
    for (int i = 0; i < keys; i++) {
      Detector d = Detector.of(Watermarker.of(TestSupport.key("canon-null-" + i, rng), spec));
      TokenVariants v = variants.get(i % variants.size());
      TokenVariants.Result r = v.detect(d);
      m += r.variantsTried();
      raw += r.log10PRaw() <= Math.log10(alpha) ? 1 : 0;
      corrected += r.result().reject(alpha) ? 1 : 0;
    }
    System.out.printf(Locale.ROOT, "variants on edited KJV, %d keys, mean m %.2f: FPR min uncorrected %.4f, corrected %.4f%n",
        keys, (double) m / keys, (double) raw / keys, (double) corrected / keys);
    TestSupport.assertRateAbove("uncorrected minimum over variants", raw, keys, alpha, 1.5);
    TestSupport.assertRateAtMost("corrected minimum over variants", corrected, keys, alpha);
  }
}
