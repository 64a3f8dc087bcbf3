package dev.radiomark.examples.lm;

import java.util.Locale;

/**
 * Rough wall-clock timings for LM-NOTES.md (not a benchmark: no JMH, single runs after a
 * warm-up). Run: java -cp test-classes:classes:deps dev.radiomark.examples.lm.LmTimings
 */
final class LmTimings {

  public static void main(String[] args) {
    long t0 = System.nanoTime();
    Corpus c = Corpus.kjv();
    System.out.printf(Locale.ROOT, "load+tokenize %d verses: %.2f s%n", c.size(), sec(t0));
    for (Corpus.Part p : Corpus.Part.values()) {
      System.out.printf(Locale.ROOT, "  %s: %d verses, %d tokens%n", p, c.indices(p).length,
          c.tokenCount(p));
    }
    int[][] teacher = c.tokens(Corpus.Part.TEACHER);
    int[][] prompts = c.tokens(Corpus.Part.PROMPTS);
    int[][] held = c.tokens(Corpus.Part.HELD_OUT);
    for (int order = 2; order <= (args.length >= 4 ? 1 : 5); order++) {
      Models.kneserNey(order, teacher); // warm-up
      long t = System.nanoTime();
      KneserNeyModel kn = Models.kneserNey(order, teacher);
      System.out.printf(Locale.ROOT, "KN order %d train on %d tokens: %.3f s, %d types%n", order,
          c.tokenCount(Corpus.Part.TEACHER), sec(t), kn.typeCount());
      int[] ids = new int[100];
      float[] lg = new float[100];
      long calls = 0;
      long sink = 0;
      for (int rep = 0; rep < 2; rep++) {
        t = System.nanoTime();
        calls = 0;
        for (int[] v : prompts) {
          for (int len = 0; len < v.length; len++) {
            sink += kn.topCandidates(v, len, 100, ids, lg) + ids[0];
            calls++;
          }
        }
      }
      System.out.printf(Locale.ROOT, "  topCandidates(k=100): %.2f us/call over %d calls%n",
          (System.nanoTime() - t) / 1e3 / calls, calls);
      t = System.nanoTime();
      for (int[] v : prompts) {
        for (int len = 0; len < v.length; len++) {
          sink += kn.argmax(v, len);
        }
      }
      System.out.printf(Locale.ROOT, "  argmax: %.2f us/call%n", (System.nanoTime() - t) / 1e3 / calls);
      System.out.printf(Locale.ROOT, "  held-out perplexity: %.1f%n", perplexity(kn, held));
      if (sink == 42) {
        System.out.println();
      }
    }
    NeuralConfig cfg = NeuralConfig.withDefaults();
    if (args.length >= 2) {
      cfg = cfg.withHiddenDim(Integer.parseInt(args[0])).withOutputVocab(Integer.parseInt(args[1]));
    }
    if (args.length >= 3) {
      cfg = cfg.withMaxTrainTokens(Integer.parseInt(args[2]));
    }
    long t = System.nanoTime();
    org.nd4j.linalg.factory.Nd4j.create(1);
    System.out.printf(Locale.ROOT, "ND4J init: %.2f s, backend %s%n", sec(t),
        org.nd4j.linalg.factory.Nd4j.getBackend().getClass().getSimpleName());
    t = System.nanoTime();
    FeedForwardLm nn = (FeedForwardLm) Models.neural(cfg, teacher, 1);
    System.out.printf(Locale.ROOT, "neural %s train: %.2f s, last-epoch loss %.3f nats%n", cfg,
        sec(t), nn.lastLoss());
    System.out.printf(Locale.ROOT, "  held-out perplexity (in-vocabulary targets): %.1f%n",
        perplexity(nn, held));
    int n = 200_000;
    int[][] ctx = new int[n][];
    int[] lens = new int[n];
    int k = 0;
    outer:
    for (int rep = 0; ; rep++) {
      for (int[] v : held) {
        for (int len = 0; len < v.length; len++) {
          if (k == n) {
            break outer;
          }
          ctx[k] = v;
          lens[k++] = len;
        }
      }
    }
    int[] out = new int[n];
    nn.argmaxBatch(ctx, lens, out);
    t = System.nanoTime();
    nn.argmaxBatch(ctx, lens, out);
    System.out.printf(Locale.ROOT, "  argmaxBatch %d positions: %.2f s%n", n, sec(t));
    int[] ids = new int[100];
    float[] lg = new float[100];
    t = System.nanoTime();
    int m = 20_000;
    for (int i = 0; i < m; i++) {
      nn.topCandidates(ctx[i], lens[i], 100, ids, lg);
    }
    t = System.nanoTime();
    for (int i = 0; i < m; i++) {
      nn.topCandidates(ctx[i], lens[i], 100, ids, lg);
    }
    System.out.printf(Locale.ROOT, "  topCandidates(k=100) single: %.1f us/call%n",
        (System.nanoTime() - t) / 1e3 / m);
    int agree = 0;
    for (int i = 0; i < m; i++) {
      agree += nn.argmax(ctx[i], lens[i]) == out[i] ? 1 : 0;
    }
    System.out.printf(Locale.ROOT, "  argmax (Java) vs argmaxBatch (ND4J) agreement: %d/%d%n",
        agree, m);
  }

  private static double perplexity(LanguageModel m, int[][] data) {
    float[] all = new float[m.vocabSize()];
    double nll = 0;
    long n = 0;
    long oov = 0;
    for (int i = 0; i < data.length; i += 10) {
      int[] v = data[i];
      for (int len = 0; len < v.length; len++) {
        m.logits(v, len, all, 0);
        if (all[v[len]] == NeuralModel.FLOOR_LOGIT) {
          oov++;
          continue;
        }
        nll -= all[v[len]];
        n++;
      }
    }
    if (oov > 0) {
      System.out.printf(Locale.ROOT, "  (%d of %d held-out targets outside the output vocabulary,"
          + " excluded)%n", oov, oov + n);
    }
    return Math.exp(nll / n);
  }

  private static double sec(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
