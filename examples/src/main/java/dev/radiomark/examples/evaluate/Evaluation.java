package dev.radiomark.examples.evaluate;

import dev.radiomark.DecodeState;
import dev.radiomark.Sampler;
import dev.radiomark.SamplingConfig;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.examples.lm.Corpus;
import dev.radiomark.examples.lm.KneserNeyModel;
import dev.radiomark.examples.lm.LanguageModel;
import dev.radiomark.examples.lm.Models;
import dev.radiomark.key.WatermarkKey;
import dev.radiomark.verify.Detector;
import dev.radiomark.verify.SegmentSearch;
import dev.radiomark.verify.TokenVariants;
import dev.radiomark.verify.text.Canonicalizer;
import dev.radiomark.verify.text.TextTokenizer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * The attack-and-evaluation experiment behind {@code wm evaluate}: the demo teacher (Kneser-Ney,
 * order 3) answers prompts with and without the watermark; each attack rewrites the answers; the
 * detector scores them three ways (the text as given; with canonical variants, the default of
 * {@code wm detect}; and with variants and the segment scan, Holm over the two); the report gives
 * the true-positive rate at alpha 1e-6 and 1e-3, the false-positive rate on unwatermarked answers
 * under the same attack, the median log10 p, and the quality of the text (perplexity under a
 * reference model trained on other text, distinct-n).
 */
public final class Evaluation {
  /** Detection p-values are reported for these detectors. */
  public static final List<String> DETECTORS = List.of("as_given", "canonical", "canonical_segments");

  private static final int CANDIDATES = 50;
  private static final int PROMPT_TOKENS = 8;

  /**
   * Parameters.
   *
   * @param spec the watermark
   * @param answers watermarked (and as many unwatermarked) answers per length
   * @param lengths answer lengths in tokens, increasing; answers are generated at the largest
   * @param stealingAnswers watermarked answers the thief observes (other than the evaluated ones)
   * @param rate edit rate of substitution, deletion and insertion attacks
   * @param seed seed of every non-keyed random choice
   */
  public record Config(WatermarkSpec spec, int answers, int[] lengths, int stealingAnswers, double rate, long seed) {
    /** @return the defaults: green list h = 1, gamma 0.25, delta 2; 200 answers; lengths 50, 100, 200 */
    public static Config defaults() {
      return new Config(WatermarkSpec.greenList("o200k_base", Corpus.O200K_VOCAB_SIZE).withContextWidth(1)
          .withGamma(0.25).withDelta(2), 200, new int[] {50, 100, 200}, 2000, 0.3, 1);
    }
  }

  /**
   * One row of the report: an attack at one length.
   *
   * @param attack the attack's name
   * @param length answer length before the attack, in tokens
   * @param tpr1e6 per detector, the fraction of watermarked answers flagged at 1e-6
   * @param tpr1e3 per detector, the fraction flagged at 1e-3
   * @param fpr1e3 per detector, the fraction of unwatermarked answers flagged at 1e-3
   * @param medianLog10P per detector, the median log10 p of the watermarked answers
   * @param perplexity perplexity of the attacked watermarked answers under the reference model
   *     (NaN for attacks that only change spelling: re-tokenized text is not comparable)
   * @param distinct2 distinct-2 of the attacked watermarked answers (NaN as for perplexity)
   */
  public record Row(String attack, int length, double[] tpr1e6, double[] tpr1e3, double[] fpr1e3,
      double[] medianLog10P, double perplexity, double distinct2) {}

  /**
   * Quality of the unattacked answers at the largest length.
   *
   * @param perplexityPlain perplexity of unwatermarked answers under the reference model
   * @param perplexityMarked perplexity of watermarked answers
   * @param distinct1Plain distinct-1 of unwatermarked answers
   * @param distinct1Marked distinct-1 of watermarked answers
   * @param distinct2Plain distinct-2 of unwatermarked answers
   * @param distinct2Marked distinct-2 of watermarked answers
   */
  public record Quality(double perplexityPlain, double perplexityMarked, double distinct1Plain,
      double distinct1Marked, double distinct2Plain, double distinct2Marked) {}

  /**
   * The whole result.
   *
   * @param config the parameters
   * @param rows one per attack and length
   * @param quality the watermark's quality cost
   * @param seconds wall time of the run
   */
  public record Result(Config config, List<Row> rows, Quality quality, double seconds) {}

  /** An attack: rewrites one answer (tokens and their text) into a text. */
  private record Attack(String name, boolean tokenLevel, BiFunction<int[], UniformRandomProvider, String> apply) {}

  private final Config cfg;
  private final WatermarkKey key;
  private final PrintStream progress;
  private final TextTokenizer tok = TextTokenizer.o200k();
  private final Corpus corpus = Corpus.kjv();
  private int[] humanStream;
  private KneserNeyModel reference;
  private LanguageModel attacker;
  private LanguageModel teacher;

  private Evaluation(Config cfg, WatermarkKey key, PrintStream progress) {
    this.cfg = cfg;
    this.key = key;
    this.progress = progress;
  }

  /**
   * Runs the experiment.
   *
   * @param cfg parameters
   * @param key the key the answers are watermarked and detected under
   * @param progress where progress lines go
   * @return the result
   */
  public static Result run(Config cfg, WatermarkKey key, PrintStream progress) {
    return new Evaluation(cfg, key, progress).run();
  }

  private void progress(String fmt, Object... args) {
    progress.println("wm evaluate: " + String.format(Locale.ROOT, fmt, args));
    progress.flush();
  }

  private Result run() {
    long t0 = System.nanoTime();
    int vocab = Corpus.O200K_VOCAB_SIZE;
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(cfg.seed());
    teacher = Models.kneserNey(3, corpus.tokens(Corpus.Part.TEACHER), vocab);
    reference = Models.kneserNey(3, corpus.tokens(Corpus.Part.HUMAN), vocab);
    attacker = Models.kneserNey(2, corpus.tokens(Corpus.Part.HELD_OUT), vocab);
    humanStream = corpus.stream(Corpus.Part.HELD_OUT).tokens();
    progress("teacher, reference and attacker models trained (Kneser-Ney on disjoint parts of the corpus)");
    Watermarker wm = Watermarker.of(key, cfg.spec());
    SamplingConfig sampling = SamplingConfig.defaults().withTemperature(0.8).withTopP(0.95);
    List<int[]> prompts = new ArrayList<>();
    for (int[] v : corpus.tokens(Corpus.Part.PROMPTS)) {
      if (v.length > PROMPT_TOKENS) {
        prompts.add(Arrays.copyOf(v, PROMPT_TOKENS));
      }
    }
    int maxLen = cfg.lengths()[cfg.lengths().length - 1];
    List<int[]> marked = serve(wm.sampler(sampling), prompts, 0, cfg.answers(), maxLen, rng);
    List<int[]> plain = serve(Sampler.plain(vocab, sampling), prompts, cfg.answers(), cfg.answers(), maxLen, rng);
    progress("%d watermarked and %d unwatermarked answers of %d tokens", marked.size(), plain.size(), maxLen);
    List<int[]> observed = serve(wm.sampler(sampling), prompts, 2 * cfg.answers(), cfg.stealingAnswers(), maxLen, rng);
    Thief thief = new Thief(cfg.spec().contextWidth(), observed, corpus.tokens(Corpus.Part.HUMAN));
    progress("thief: green lists estimated from %d observed answers (%d contexts)", observed.size(), thief.contexts());
    Quality quality = new Quality(perplexity(plain), perplexity(marked), distinct(plain, 1), distinct(marked, 1),
        distinct(plain, 2), distinct(marked, 2));

    Detector detector = Detector.of(wm);
    SegmentSearch scan = SegmentSearch.scan(32);
    List<Row> rows = new ArrayList<>();
    for (Attack a : attacks(thief)) {
      for (int len : cfg.lengths()) {
        UniformRandomProvider arng = RandomSource.XO_RO_SHI_RO_128_PP.create(cfg.seed() * 31 + a.name().hashCode() + len);
        double[][] pm = new double[DETECTORS.size()][marked.size()];
        double[][] pp = new double[DETECTORS.size()][plain.size()];
        List<int[]> attacked = new ArrayList<>();
        for (int i = 0; i < marked.size(); i++) {
          String text = a.apply().apply(Arrays.copyOf(marked.get(i), len), arng);
          score(detector, scan, text, pm, i);
          if (a.tokenLevel()) {
            attacked.add(tok.encode(text));
          }
        }
        for (int i = 0; i < plain.size(); i++) {
          score(detector, scan, a.apply().apply(Arrays.copyOf(plain.get(i), len), arng), pp, i);
        }
        int d = DETECTORS.size();
        double[] t6 = new double[d];
        double[] t3 = new double[d];
        double[] f3 = new double[d];
        double[] med = new double[d];
        for (int j = 0; j < d; j++) {
          t6[j] = rate(pm[j], -6);
          t3[j] = rate(pm[j], -3);
          f3[j] = rate(pp[j], -3);
          double[] s = pm[j].clone();
          Arrays.sort(s);
          med[j] = s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
        }
        boolean measure = a.tokenLevel() && len == maxLen;
        rows.add(new Row(a.name(), len, t6, t3, f3, med, measure ? perplexity(attacked) : Double.NaN,
            measure ? distinct(attacked, 2) : Double.NaN));
      }
      progress("attack %s done", a.name());
    }
    return new Result(cfg, rows, quality, (System.nanoTime() - t0) * 1e-9);
  }

  private void score(Detector detector, SegmentSearch scan, String text, double[][] out, int i) {
    int[] ids = tok.encode(text);
    out[0][i] = detector.detect(new int[0], ids).log10P();
    TokenVariants v = TokenVariants.of(Canonicalizer.defaults(), tok, null, text);
    double whole = v.detect(detector).result().log10P();
    out[1][i] = whole;
    double seg = v.search(scan, detector).log10P();
    // Holm over the two tests of the family rejects at alpha iff 2 min(p) <= alpha.
    out[2][i] = Math.min(0.0, Math.log10(2) + Math.min(whole, seg));
  }

  private static double rate(double[] log10P, double log10Alpha) {
    int n = 0;
    for (double x : log10P) {
      n += x <= log10Alpha ? 1 : 0;
    }
    return log10P.length == 0 ? Double.NaN : n / (double) log10P.length;
  }

  /** Answers (without their prompts) of {@code len} tokens, prompts from index {@code from}. */
  private List<int[]> serve(Sampler sampler, List<int[]> prompts, int from, int count, int len, UniformRandomProvider rng) {
    List<int[]> out = new ArrayList<>(count);
    int[] ids = new int[CANDIDATES];
    float[] logits = new float[CANDIDATES];
    DecodeState state = sampler.newState(rng);
    for (int i = 0; i < count; i++) {
      int[] p = prompts.get((from + i) % prompts.size());
      int[] seq = Arrays.copyOf(p, p.length + len);
      state.reset();
      for (int t = p.length; t < seq.length; t++) {
        int n = teacher.topCandidates(seq, t, CANDIDATES, ids, logits);
        seq[t] = sampler.sampleCandidates(ids, logits, n, seq, t, state);
      }
      out.add(Arrays.copyOfRange(seq, p.length, seq.length));
    }
    return out;
  }

  private String text(int[] ids) {
    return tok.decode(ids, 0, ids.length);
  }

  private int humanToken(UniformRandomProvider rng) {
    return humanStream[rng.nextInt(humanStream.length)];
  }

  private List<Attack> attacks(Thief thief) {
    double r = cfg.rate();
    String pct = Math.round(100 * r) + "%";
    List<Attack> out = new ArrayList<>();
    out.add(new Attack("none", true, (ids, rng) -> text(ids)));
    out.add(new Attack("substitution " + pct, true, (ids, rng) -> {
      int[] x = ids.clone();
      for (int i = 0; i < x.length; i++) {
        if (rng.nextDouble() < r) {
          x[i] = humanToken(rng);
        }
      }
      return text(x);
    }));
    out.add(new Attack("deletion " + pct, true, (ids, rng) -> {
      int[] x = Arrays.stream(ids).filter(t -> rng.nextDouble() >= r).toArray();
      return text(x);
    }));
    out.add(new Attack("insertion " + pct, true, (ids, rng) -> {
      List<Integer> x = new ArrayList<>();
      for (int t : ids) {
        x.add(t);
        if (rng.nextDouble() < r) {
          x.add(humanToken(rng));
        }
      }
      return text(x.stream().mapToInt(Integer::intValue).toArray());
    }));
    out.add(new Attack("junk tokens 20%", true, (ids, rng) -> {
      List<Integer> x = new ArrayList<>();
      for (int t : ids) {
        x.add(t);
        if (rng.nextDouble() < 0.2) {
          x.add(rng.nextInt(100_000)); // any ordinary token id, most of them word pieces
        }
      }
      return text(x.stream().mapToInt(Integer::intValue).toArray());
    }));
    out.add(new Attack("whitespace rewrite", false, (ids, rng) -> {
      StringBuilder b = new StringBuilder();
      for (char c : text(ids).toCharArray()) {
        b.append(c != ' ' ? String.valueOf(c) : new String[] {"  ", "\n", "\t"}[rng.nextInt(3)]);
      }
      return b.toString();
    }));
    out.add(new Attack("upper case", false, (ids, rng) -> text(ids).toUpperCase(Locale.ROOT)));
    out.add(new Attack("symbol between words", false, (ids, rng) -> text(ids).replace(" ", " * ")));
    out.add(new Attack("zero-width characters", false, (ids, rng) -> text(ids).replace(" ", " \u200b")));
    out.add(new Attack("copy-paste into 9x human text", false, (ids, rng) -> {
      int n = 9 * ids.length;
      int from = rng.nextInt(humanStream.length - n);
      int at = rng.nextInt(n + 1);
      int[] x = new int[n + ids.length];
      System.arraycopy(humanStream, from, x, 0, at);
      System.arraycopy(ids, 0, x, at, ids.length);
      System.arraycopy(humanStream, from + at, x, at + ids.length, n - at);
      return text(x);
    }));
    out.add(new Attack("paraphrase 50% (re-sampled by another model)", true, (ids, rng) -> text(paraphrase(ids, rng, 0.5))));
    out.add(new Attack("stealing + scrub", true, (ids, rng) -> text(thief.scrub(ids, attacker))));
    return out;
  }

  /** Re-samples a share of positions from the attacker's model given the paraphrase so far. */
  private int[] paraphrase(int[] ids, UniformRandomProvider rng, double share) {
    int[] x = ids.clone();
    int[] c = new int[CANDIDATES];
    float[] l = new float[CANDIDATES];
    for (int t = 0; t < x.length; t++) {
      if (rng.nextDouble() < share) {
        int n = attacker.topCandidates(x, t, CANDIDATES, c, l);
        double u = rng.nextDouble();
        double acc = 0;
        double total = 0;
        for (int j = 0; j < n; j++) {
          total += Math.exp(l[j]);
        }
        int pick = c[0];
        for (int j = 0; j < n; j++) {
          acc += Math.exp(l[j]) / total;
          if (u < acc) {
            pick = c[j];
            break;
          }
        }
        x[t] = pick;
      }
    }
    return x;
  }

  /** exp of the mean negative log probability of each answer token after its answer prefix. */
  double perplexity(List<int[]> answers) {
    double nll = 0;
    long n = 0;
    for (int[] a : answers) {
      for (int t = 0; t < a.length; t++) {
        nll -= Math.log(reference.probability(a, t, a[t]));
        n++;
      }
    }
    return n == 0 ? Double.NaN : Math.exp(nll / n);
  }

  /** Distinct n-grams over all n-grams of the answers. */
  static double distinct(List<int[]> answers, int order) {
    Set<List<Integer>> seen = new HashSet<>();
    long total = 0;
    for (int[] a : answers) {
      for (int i = 0; i + order <= a.length; i++) {
        List<Integer> g = new ArrayList<>(order);
        for (int j = 0; j < order; j++) {
          g.add(a[i + j]);
        }
        seen.add(g);
        total++;
      }
    }
    return total == 0 ? Double.NaN : seen.size() / (double) total;
  }

  /**
   * The watermark-stealing attacker (after Jovanovic et al. 2024): counts how often each token
   * follows each context of h tokens in the observed watermarked answers and in ordinary text;
   * a (context, token) whose frequency in the answers is at least twice its smoothed frequency
   * in ordinary text, seen at least twice, is taken for green. Scrubbing replaces each token
   * taken for green by the attacker's model's most probable candidate that is not.
   */
  static final class Thief {
    private final int h;
    private final Map<Long, Map<Integer, Integer>> marked = new HashMap<>();
    private final Map<Long, Integer> markedTotals = new HashMap<>();
    private final Map<Long, Map<Integer, Integer>> human = new HashMap<>();
    private final Map<Long, Integer> humanTotals = new HashMap<>();

    Thief(int h, List<int[]> observed, int[][] ordinary) {
      this.h = Math.max(1, h);
      for (int[] a : observed) {
        count(a, marked, markedTotals);
      }
      for (int[] a : ordinary) {
        count(a, human, humanTotals);
      }
    }

    int contexts() {
      return marked.size();
    }

    private void count(int[] a, Map<Long, Map<Integer, Integer>> m, Map<Long, Integer> totals) {
      for (int t = h; t < a.length; t++) {
        long c = context(a, t);
        m.computeIfAbsent(c, k -> new HashMap<>()).merge(a[t], 1, Integer::sum);
        totals.merge(c, 1, Integer::sum);
      }
    }

    private long context(int[] a, int t) {
      long c = 17;
      for (int i = t - h; i < t; i++) {
        c = c * 1_000_003L + a[i];
      }
      return c;
    }

    boolean green(int[] a, int t) {
      if (t < h) {
        return false;
      }
      long c = context(a, t);
      Map<Integer, Integer> m = marked.get(c);
      int cm = m == null ? 0 : m.getOrDefault(a[t], 0);
      if (cm < 2) {
        return false;
      }
      Map<Integer, Integer> hu = human.get(c);
      int ch = hu == null ? 0 : hu.getOrDefault(a[t], 0);
      double fm = cm / (double) markedTotals.get(c);
      double fh = (ch + 0.5) / (humanTotals.getOrDefault(c, 0) + 1.0);
      return fm >= 2 * fh;
    }

    int[] scrub(int[] ids, LanguageModel model) {
      int[] x = ids.clone();
      int[] c = new int[CANDIDATES];
      float[] l = new float[CANDIDATES];
      for (int t = 0; t < x.length; t++) {
        if (!green(x, t)) {
          continue;
        }
        int n = model.topCandidates(x, t, CANDIDATES, c, l);
        int keep = x[t];
        int best = -1;
        for (int j = 0; j < n; j++) {
          x[t] = c[j];
          if (c[j] != keep && !green(x, t) && (best < 0 || l[j] > l[best])) {
            best = j;
          }
        }
        x[t] = best < 0 ? keep : c[best];
      }
      return x;
    }
  }
}
