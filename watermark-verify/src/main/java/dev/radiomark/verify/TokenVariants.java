package dev.radiomark.verify;

import dev.radiomark.verify.text.Canonicalizer;
import dev.radiomark.verify.text.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The distinct tokenizations of one record's canonical variants ({@link Canonicalizer}), and
 * the tests over them with their correction.
 *
 * <p>Validity: the variants are functions of the record's text only, so under H0 (a key drawn
 * independently of the text) each variant's p-value is exact. The record's p-value is the
 * smallest over the m distinct variants times m (Bonferroni): {@code P(m min p_i <= a) <=
 * sum_i P(p_i <= a / m) <= a}, whatever the dependence between variants, so it is provably
 * conservative. The variants share most of their tuples when little was edited, so the bound
 * is loose by at most a factor m (at most 4: 0.6 in log10 p). Only distinct token sequences
 * count towards m: a text with nothing to undo pays nothing.
 *
 * <p>A pooled tape receives every variant ({@link #addTo}): the tape scores each distinct tuple
 * once, the set of tuples is still a function of the texts alone, and the pooled null stays
 * exact without any correction.
 *
 * @param variants the variant of each entry
 * @param prompts prompt token ids of each entry
 * @param texts text token ids of each entry; no two entries have equal prompt and text
 */
public record TokenVariants(List<Canonicalizer.Variant> variants, List<int[]> prompts, List<int[]> texts) {

  /** Copies the lists; checks they have one entry per variant. */
  public TokenVariants {
    variants = List.copyOf(variants);
    prompts = List.copyOf(prompts);
    texts = List.copyOf(texts);
    if (variants.isEmpty() || prompts.size() != variants.size() || texts.size() != variants.size()) {
      throw new IllegalArgumentException("variants, prompts and texts must be non-empty and of one size: "
          + variants.size() + ", " + prompts.size() + ", " + texts.size());
    }
  }

  /**
   * Token ids given as such: one variant, nothing to canonicalize.
   *
   * @param prompt prompt ids
   * @param text text ids
   * @return the single variant
   */
  public static TokenVariants of(int[] prompt, int[] text) {
    return new TokenVariants(List.of(Canonicalizer.Variant.AS_GIVEN), List.of(prompt), List.of(text));
  }

  /**
   * Tokenizes the variants of a text that {@code canonicalizer} chooses from the text alone,
   * keeping the distinct ones.
   *
   * @param canonicalizer which variants to try
   * @param tokenizer the key's tokenizer
   * @param prompt the prompt, or null
   * @param text the text
   * @return the distinct variants, the text as given first
   */
  public static TokenVariants of(Canonicalizer canonicalizer, TextTokenizer tokenizer, String prompt, String text) {
    Objects.requireNonNull(text, "text");
    List<Canonicalizer.Variant> vs = new ArrayList<>(4);
    List<int[]> ps = new ArrayList<>(4);
    List<int[]> ts = new ArrayList<>(4);
    for (Canonicalizer.Variant v : canonicalizer.variants(text)) {
      int[] p = prompt == null ? new int[0] : tokenizer.encode(Canonicalizer.apply(v, prompt));
      int[] t = tokenizer.encode(Canonicalizer.apply(v, text));
      boolean seen = false;
      for (int i = 0; i < ts.size() && !seen; i++) {
        seen = Arrays.equals(ts.get(i), t) && Arrays.equals(ps.get(i), p);
      }
      if (!seen) {
        vs.add(v);
        ps.add(p);
        ts.add(t);
      }
    }
    return new TokenVariants(vs, ps, ts);
  }

  /** @return the number of distinct variants, m */
  public int size() {
    return variants.size();
  }

  /**
   * The record's test: each variant on a fresh tape, the smallest p-value times m.
   *
   * @param detector the key's detector
   * @return the best variant's counts with the corrected p-value
   */
  public Result detect(Detector detector) {
    DetectionResult best = null;
    int bi = 0;
    for (int i = 0; i < size(); i++) {
      DetectionResult r = detector.detect(prompts.get(i), texts.get(i));
      if (best == null || r.log10P() < best.log10P()) {
        best = r;
        bi = i;
      }
    }
    double corrected = Math.min(0.0, best.log10P() + Math.log10(size()));
    DetectionResult c = new DetectionResult(best.keyId(), best.tokensRead(), best.tokensScored(),
        best.skippedRepeats(), best.skippedPrompt(), best.skippedOther(), best.score(), best.nullMean(),
        best.rateScale(), corrected);
    return new Result(c, best.log10P(), size(), variants.get(bi));
  }

  /**
   * The segment search on each variant, the smallest corrected p-value times m.
   *
   * @param search the segment search
   * @param detector the key's detector
   * @return the best variant's segment; its {@code log10P} includes the factor m
   */
  public SegmentResult search(SegmentSearch search, Detector detector) {
    SegmentResult best = null;
    for (int i = 0; i < size(); i++) {
      SegmentResult s = search.search(detector, prompts.get(i), texts.get(i));
      if (best == null || s.log10P() < best.log10P()) {
        best = s;
      }
    }
    return new SegmentResult(best.start(), best.end(), best.tuplesScored(), best.score(), best.log10PRaw(),
        Math.min(0.0, best.log10P() + Math.log10(size())), best.segmentsTried());
  }

  /**
   * Adds every variant to a pooled tape; the tape scores each distinct tuple once.
   *
   * @param tape the pooled test
   */
  public void addTo(Detector.Tape tape) {
    for (int i = 0; i < size(); i++) {
      tape.add(prompts.get(i), texts.get(i), null, null);
    }
  }

  /**
   * A record's test over its variants.
   *
   * @param result counts and score of the best variant, with {@code log10P} corrected:
   *     min(0, log10PRaw + log10 variantsTried)
   * @param log10PRaw the best variant's own log10 p (not valid alone)
   * @param variantsTried m, the number of distinct variants scored
   * @param bestVariant the variant with the smallest p-value
   */
  public record Result(DetectionResult result, double log10PRaw, int variantsTried, Canonicalizer.Variant bestVariant) {}
}
