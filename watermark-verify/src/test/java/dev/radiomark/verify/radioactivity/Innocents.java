package dev.radiomark.verify.radioactivity;

import dev.radiomark.DecodeState;
import dev.radiomark.Sampler;
import dev.radiomark.SamplingConfig;
import dev.radiomark.Scheme;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.WindowRule;
import dev.radiomark.verify.NullModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Innocent suspects: models and copiers that never trained on text watermarked with the key
 * under test, yet see or copy such text. Each must keep every test at its level.
 */
final class Innocents {
  private Innocents() {}

  /** A green-list, Gumbel or tournament spec of the synthetic vocabulary. */
  static WatermarkSpec spec(Scheme scheme, int vocab, WindowRule rule, int h, double delta) {
    WatermarkSpec s = WatermarkSpec.defaults(scheme, "synthetic", vocab).withContextWidth(h).withWindowRule(rule);
    return scheme == Scheme.GREEN_LIST ? s.withGamma(0.25).withDelta(delta) : s;
  }

  /** Watermarked text from a context-free uniform law over the whole vocabulary. */
  static int[] uniformText(Watermarker wm, int length, UniformRandomProvider r) {
    int v = wm.spec().vocabSize();
    float[] logits = new float[v];
    Sampler s = wm.sampler(SamplingConfig.defaults());
    DecodeState st = s.newState(r);
    int[] buf = new int[length];
    for (int t = 0; t < length; t++) {
      buf[t] = s.sample(logits, buf, t, st);
    }
    return buf;
  }

  /** The same law without any watermark. */
  static int[] uniformPlain(int vocab, int length, UniformRandomProvider r) {
    int[] buf = new int[length];
    for (int t = 0; t < length; t++) {
      buf[t] = r.nextInt(vocab);
    }
    return buf;
  }

  /** Unwatermarked Zipf(1) text over the whole vocabulary (inverse-CDF draws). */
  static int[] zipfPlain(int vocab, int length, UniformRandomProvider r) {
    double[] cum = new double[vocab];
    double total = 0;
    for (int i = 0; i < vocab; i++) {
      total += 1.0 / (i + 1);
      cum[i] = total;
    }
    int[] out = new int[length];
    for (int t = 0; t < length; t++) {
      int i = Arrays.binarySearch(cum, r.nextDouble() * total);
      out[t] = Math.min(vocab - 1, i < 0 ? -i - 1 : i);
    }
    return out;
  }

  /** Copier: answers with the words of its (watermarked) prompt in random order. */
  static List<Answer> shuffledPromptCopies(List<Answer> watermarked, UniformRandomProvider r) {
    List<Answer> out = new ArrayList<>();
    for (Answer a : watermarked) {
      int[] t = a.text().clone();
      for (int i = t.length - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        int x = t[i];
        t[i] = t[j];
        t[j] = x;
      }
      out.add(new Answer(a.text(), t));
    }
    return out;
  }

  /** Copier: answers with a random half of its prompt, then its own (clean) words. */
  static List<Answer> partialPromptCopies(List<Answer> watermarked, World.Student clean, UniformRandomProvider r) {
    List<Answer> out = new ArrayList<>();
    for (Answer a : watermarked) {
      int[] p = a.text();
      int half = p.length / 2;
      int from = r.nextInt(p.length - half + 1);
      int[] copied = Arrays.copyOfRange(p, from, from + half);
      int[] rest = clean.continueFrom(copied[copied.length - 1], p.length - half, 0.7, r);
      int[] t = Arrays.copyOf(copied, p.length);
      System.arraycopy(rest, 0, t, half, rest.length);
      out.add(new Answer(p, t));
    }
    return out;
  }

  /** Copier: answers with its prompt, twice. */
  static List<Answer> repeatedPromptCopies(List<Answer> watermarked) {
    List<Answer> out = new ArrayList<>();
    for (Answer a : watermarked) {
      int[] p = a.text();
      int[] t = Arrays.copyOf(p, 2 * p.length);
      System.arraycopy(p, 0, t, p.length, p.length);
      out.add(new Answer(p, t));
    }
    return out;
  }

  /** A top-1-only suspect. */
  interface Top1 {
    int predict(int[] context, int len);
  }

  static SuspectModel top1(int vocab, Top1 f) {
    return new SuspectModel() {
      @Override
      public int vocabSize() {
        return vocab;
      }

      @Override
      public void nextTokenLogits(int[][] contexts, int[] lens, int batch, float[] out) {
        throw new UnsupportedOperationException("top1 only");
      }

      @Override
      public void top1(int[][] contexts, int[] lens, int batch, int[] out) {
        for (int b = 0; b < batch; b++) {
          out[b] = f.predict(contexts[b], lens[b]);
        }
      }
    };
  }

  /** Predicts a token of its context at a position chosen by a keyless hash of the context. */
  static SuspectModel contextSampler(int vocab) {
    return top1(vocab, (c, len) -> {
      long h = 0x9E3779B97F4A7C15L * (len + 1);
      for (int i = Math.max(0, len - 4); i < len; i++) {
        h = (h ^ c[i]) * 0xBF58476D1CE4E5B9L;
      }
      return c[(int) Long.remainderUnsigned(h >>> 1, len)];
    });
  }

  /** Predicts the first token of its context, whatever comes after. */
  static SuspectModel echoFirst(int vocab) {
    return top1(vocab, (c, len) -> c[0]);
  }

  /**
   * The randomized p-value P[X &gt; S] + u P[X = S] of a result under its exact null: exactly
   * U(0, 1) under H0 for the discrete nulls, the p-value itself for Gumbel.
   */
  static double randomizedP(WatermarkSpec spec, long n, double score, double u) {
    if (n == 0) {
      return u;
    }
    NullModel nul = NullModel.of(spec);
    double pGe = Math.pow(10, nul.log10P(n, score));
    if (spec.scheme() == Scheme.GUMBEL) {
      return pGe;
    }
    long max = spec.scheme() == Scheme.TOURNAMENT ? n * spec.layers() : n;
    long s = Math.round(score);
    double pGt = s + 1 > max ? 0.0 : Math.pow(10, nul.log10P(n, s + 1));
    return Math.min(1.0, pGt + u * (pGe - pGt));
  }

  static double randomizedP(WatermarkSpec spec, RadioactivityResult r, double u) {
    return randomizedP(spec, r.tuplesScored(), r.score(), u);
  }
}
