package dev.radiomark.verify;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.DecodeState;
import dev.radiomark.Sampler;
import dev.radiomark.SamplingConfig;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.key.WatermarkKey;
import dev.radiomark.verify.stats.BinomialInterval;
import dev.radiomark.verify.text.TextTokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/** Shared fixtures of the detector tests: seeded keys, generated text, the KJV sample. */
final class TestSupport {
  /** o200k_base vocabulary size, the width of every spec used with KJV tokens. */
  static final int O200K = 200019;

  private static List<String> verses;
  private static List<int[]> verseTokens;

  private TestSupport() {}

  static UniformRandomProvider rng(long seed) {
    return RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
  }

  /** A key whose secret comes from a seeded generator (tests only; real keys use generate). */
  static WatermarkKey key(String id, UniformRandomProvider rng) {
    byte[] secret = new byte[32];
    rng.nextBytes(secret);
    return WatermarkKey.of(id, secret);
  }

  /** The verses of the test resource (the first 4000 verses of the KJV). */
  static synchronized List<String> kjvVerses() {
    if (verses == null) {
      List<String> out = new ArrayList<>();
      try (InputStream in = TestSupport.class.getResourceAsStream("/corpus/kjv-sample.txt.gz");
          BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (!line.isBlank()) {
            out.add(line);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      verses = List.copyOf(out);
    }
    return verses;
  }

  /** Each verse tokenized with o200k_base (a leading space joins it to the previous one). */
  static synchronized List<int[]> kjvVerseTokens() {
    if (verseTokens == null) {
      TextTokenizer tok = TextTokenizer.o200k();
      List<int[]> out = new ArrayList<>();
      for (String v : kjvVerses()) {
        out.add(tok.encode(" " + v));
      }
      verseTokens = List.copyOf(out);
    }
    return verseTokens;
  }

  /** Consecutive verses [from, from + count) as one token sequence. */
  static int[] kjvPassage(int from, int count) {
    List<int[]> all = kjvVerseTokens();
    int len = 0;
    for (int i = from; i < from + count; i++) {
      len += all.get(i).length;
    }
    int[] out = new int[len];
    int k = 0;
    for (int i = from; i < from + count; i++) {
      int[] v = all.get(i);
      System.arraycopy(v, 0, out, k, v.length);
      k += v.length;
    }
    return out;
  }

  /** Consecutive passages of {@code count} verses each, as many as the sample holds. */
  static List<int[]> kjvTexts(int count) {
    List<int[]> out = new ArrayList<>();
    int n = kjvVerseTokens().size();
    for (int i = 0; i + count <= n; i += count) {
      out.add(kjvPassage(i, count));
    }
    return out;
  }

  /** Uniform logits over ids [0, support), -inf elsewhere, in a row of width vocab. */
  static float[] uniformLogits(int vocab, int support) {
    float[] l = new float[vocab];
    Arrays.fill(l, Float.NEGATIVE_INFINITY);
    Arrays.fill(l, 0, support, 0f);
    return l;
  }

  /** Zipf(1) logits: log p(v) = -ln(v + 1) + const over the whole row. */
  static float[] zipfLogits(int vocab) {
    return zipfLogits(vocab, vocab);
  }

  /** Zipf(1) logits over ids [0, support), -inf elsewhere. */
  static float[] zipfLogits(int vocab, int support) {
    float[] l = new float[vocab];
    Arrays.fill(l, Float.NEGATIVE_INFINITY);
    for (int v = 0; v < support; v++) {
      l[v] = (float) -Math.log(v + 1.0);
    }
    return l;
  }

  /** Samples {@code length} tokens after {@code prefix} with a fixed next-token law. */
  static int[] generate(Sampler sampler, float[] logits, int[] prefix, int length, UniformRandomProvider rng) {
    int[] ctx = Arrays.copyOf(prefix, prefix.length + length);
    DecodeState state = sampler.newState(rng);
    for (int t = prefix.length; t < ctx.length; t++) {
      ctx[t] = sampler.sample(logits, ctx, t, state);
    }
    return Arrays.copyOfRange(ctx, prefix.length, ctx.length);
  }

  /** Watermarked text under a key. */
  static int[] watermarked(Watermarker wm, float[] logits, int length, UniformRandomProvider rng) {
    return generate(wm.sampler(SamplingConfig.defaults()), logits, new int[0], length, rng);
  }

  /** Text from the same law without any watermark (the null). */
  static int[] plain(int vocab, float[] logits, int length, UniformRandomProvider rng) {
    return generate(Sampler.plain(vocab, SamplingConfig.defaults()), logits, new int[0], length, rng);
  }

  /** The same tokens repeated {@code times} times. */
  static int[] repeat(int[] unit, int times) {
    int[] out = new int[unit.length * times];
    for (int i = 0; i < times; i++) {
      System.arraycopy(unit, 0, out, i * unit.length, unit.length);
    }
    return out;
  }

  static int[] concat(int[]... parts) {
    int n = 0;
    for (int[] p : parts) {
      n += p.length;
    }
    int[] out = new int[n];
    int k = 0;
    for (int[] p : parts) {
      System.arraycopy(p, 0, out, k, p.length);
      k += p.length;
    }
    return out;
  }

  /**
   * Asserts that a false-positive count is consistent with a rate of at most {@code alpha}:
   * the lower end of the two-sided 99.8% Clopper-Pearson interval is at most alpha. A calibrated
   * detector fails this with probability at most 0.001.
   */
  static void assertRateAtMost(String what, long hits, long trials, double alpha) {
    BinomialInterval ci = BinomialInterval.clopperPearson(hits, trials, 0.998);
    assertTrue(ci.lower() <= alpha, () -> String.format(Locale.ROOT,
        "%s: %d of %d (rate %.4g, 99.8%% CI [%.4g, %.4g]) is significantly above %s",
        what, hits, trials, (double) hits / trials, ci.lower(), ci.upper(), alpha));
  }

  /**
   * Asserts that a count shows a rate clearly above {@code factor * alpha}: the lower end of the
   * 99.8% Clopper-Pearson interval exceeds it.
   */
  static void assertRateAbove(String what, long hits, long trials, double alpha, double factor) {
    BinomialInterval ci = BinomialInterval.clopperPearson(hits, trials, 0.998);
    assertTrue(ci.lower() > factor * alpha, () -> String.format(Locale.ROOT,
        "%s: %d of %d (rate %.4g, 99.8%% CI [%.4g, %.4g]) is not clearly above %s x %s",
        what, hits, trials, (double) hits / trials, ci.lower(), ci.upper(), factor, alpha));
  }

  static WatermarkSpec greenO200k() {
    return WatermarkSpec.greenList("o200k_base", O200K);
  }
}
