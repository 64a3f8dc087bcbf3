package dev.radiomark.examples.demo;

import dev.radiomark.DecodeState;
import dev.radiomark.Sampler;
import dev.radiomark.SamplingConfig;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.examples.lm.Corpus;
import dev.radiomark.examples.lm.LanguageModel;
import dev.radiomark.examples.lm.Models;
import dev.radiomark.examples.lm.NeuralConfig;
import dev.radiomark.examples.lm.NeuralModel;
import dev.radiomark.key.WatermarkKey;
import dev.radiomark.ledger.ServedWindowLedger;
import dev.radiomark.verify.Evidence;
import dev.radiomark.verify.NullModel;
import dev.radiomark.verify.radioactivity.Answer;
import dev.radiomark.verify.radioactivity.AnswerLogprobs;
import dev.radiomark.verify.radioactivity.ClosedLogprobTest;
import dev.radiomark.verify.radioactivity.ClosedModelTest;
import dev.radiomark.verify.radioactivity.RadioactivityResult;
import dev.radiomark.verify.radioactivity.ReadingModeTest;
import dev.radiomark.verify.radioactivity.SuspectModel;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * The end-to-end distillation experiment: a Kneser-Ney teacher serves watermarked answers
 * through {@code watermark-core} exactly as serving code would (sampler in candidate mode,
 * ledger); students (an n-gram model and a neural model) are trained on human text plus a
 * fraction rho of teacher answers; the verifier tests every student in closed mode (its answers
 * only, with and without the ledger; optionally its top-k log-probabilities at each answer
 * position, as an API returns them) and in reading mode (its top-1 predictions on our
 * watermarked texts). Controls are trained on unwatermarked teacher answers.
 */
public final class DistillationDemo {
  /** Tokenizer of the demo: the corpus is tokenized with o200k_base. */
  public static final String TOKENIZER = "o200k_base";

  private final DemoConfig cfg;
  /** The longest silence on the progress stream before a heartbeat line (checked every second). */
  static final long QUIET_NANOS = 6_000_000_000L;

  private final Progress log;

  private final WatermarkKey key;

  private DistillationDemo(DemoConfig cfg, WatermarkKey key, Progress log) {
    this.cfg = cfg;
    this.key = key;
    this.log = log;
  }

  /**
   * Runs the experiment under a fresh key.
   *
   * @param cfg parameters
   * @param log progress lines go here
   * @return the table rows
   */
  public static DemoResult run(DemoConfig cfg, PrintStream log) {
    return run(cfg, freshKey(), log);
  }

  /** Runs the experiment under {@code key} (tests fix it, so that a run is reproducible). */
  static DemoResult run(DemoConfig cfg, WatermarkKey key, PrintStream log) {
    try (Progress p = progress(log)) {
      return new DistillationDemo(cfg, key, p).run();
    }
  }

  /** Runs the experiment under a fresh key, reporting to a progress stream the caller keeps open (to write the report under it). */
  static DemoResult run(DemoConfig cfg, Progress log) {
    return new DistillationDemo(cfg, freshKey(), log).run();
  }

  private static WatermarkKey freshKey() {
    return WatermarkKey.generate("demo-teacher");
  }

  /** A progress stream that is never quiet for more than about 7 s: a heartbeat says what each task is doing. */
  static Progress progress(PrintStream log) {
    return new Progress(log, QUIET_NANOS, 1_000_000_000L);
  }

  private void progress(String fmt, Object... args) {
    log.line(fmt, args);
  }

  private DemoResult run() {
    progress("loading the corpus (KJV, tokenized with %s)", TOKENIZER);
    log.status("main", "loading the corpus");
    Corpus corpus = Corpus.kjv();
    int vocab = Corpus.O200K_VOCAB_SIZE;
    progress("corpus: %d verses, teacher %d / human %d / prompt %d / held-out %d tokens", corpus.size(),
        corpus.tokenCount(Corpus.Part.TEACHER), corpus.tokenCount(Corpus.Part.HUMAN),
        corpus.tokenCount(Corpus.Part.PROMPTS), corpus.tokenCount(Corpus.Part.HELD_OUT));

    WatermarkSpec spec = WatermarkSpec.greenList(TOKENIZER, vocab).withGamma(cfg.gamma()).withDelta(cfg.delta())
        .withContextWidth(cfg.contextWidth());
    Watermarker wm = Watermarker.of(key, spec);
    progress("watermark: %s, fresh key %s", spec.describe(), wm.keyId());

    log.status("main", "training the teacher");
    LanguageModel teacher = Models.kneserNey(3, corpus.tokens(Corpus.Part.TEACHER), vocab);
    progress("teacher: Kneser-Ney order 3 trained on the teacher part");

    List<int[]> prompts = prompts(corpus.tokens(Corpus.Part.PROMPTS));
    List<int[]> heldPrompts = prompts(corpus.tokens(Corpus.Part.HELD_OUT));
    double maxRho = cfg.rhos().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    long servedTokens = Math.max((long) Math.ceil(maxRho * cfg.studentTokens()), cfg.probeTokens());
    int served = (int) Math.ceil((double) servedTokens / cfg.answerTokens());

    SamplingConfig sampling = SamplingConfig.defaults().withTemperature(cfg.temperature()).withTopP(cfg.topP());
    ServedWindowLedger ledger = ServedWindowLedger.create(wm, servedTokens + 1000, 0.01);
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(cfg.seed());
    log.status("main", "serving answers");
    List<int[]> marked = serve(teacher, wm.sampler(sampling), prompts, served, rng, wm, ledger, "watermarked");
    int controlAnswers = (int) Math.ceil(maxRho * cfg.studentTokens() / cfg.answerTokens());
    List<int[]> unmarked = serve(teacher, Sampler.plain(vocab, sampling), prompts, controlAnswers, rng, null, null,
        "unwatermarked");

    List<int[]> probes = capped(marked);
    long probeCount = probes.stream().mapToLong(p -> p.length).sum();

    log.status("main", null);
    progress("students: %d n-gram and %d neural, two at a time, then the verifier on each",
        cfg.rhos().size(), cfg.rhos().size());
    int[][] human = corpus.tokens(Corpus.Part.HUMAN);
    // One task per student; the slow neural students first so that the two cores stay busy.
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<List<DemoRow>>> neural = new ArrayList<>();
      List<Future<List<DemoRow>>> ngram = new ArrayList<>();
      for (double rho : cfg.rhos()) {
        neural.add(pool.submit(() -> student("neural", rho, human, marked, unmarked, heldPrompts, probes, wm,
            ledger, sampling)));
      }
      for (double rho : cfg.rhos()) {
        ngram.add(pool.submit(() -> student("ngram", rho, human, marked, unmarked, heldPrompts, probes, wm,
            ledger, sampling)));
      }
      List<DemoRow> rows = new ArrayList<>();
      for (Future<List<DemoRow>> f : ngram) {
        rows.addAll(f.get());
      }
      for (Future<List<DemoRow>> f : neural) {
        rows.addAll(f.get());
      }
      progress("done");
      return new DemoResult(cfg, spec, wm.keyId(), servedTokens, probeCount, rows,
          log.seconds());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("demo interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(c);
    } finally {
      pool.shutdownNow();
    }
  }

  private List<int[]> prompts(int[][] verses) {
    List<int[]> out = new ArrayList<>();
    for (int[] v : verses) {
      if (v.length > cfg.promptTokens()) {
        out.add(Arrays.copyOf(v, cfg.promptTokens()));
      }
    }
    return out;
  }

  /** Serves answers: prompt + answer token sequences. */
  private List<int[]> serve(LanguageModel teacher, Sampler sampler, List<int[]> prompts, int count,
      UniformRandomProvider rng, Watermarker wm, ServedWindowLedger ledger, String what) {
    List<int[]> out = new ArrayList<>(count);
    int[] ids = new int[cfg.candidates()];
    float[] logits = new float[cfg.candidates()];
    DecodeState state = sampler.newState(rng);
    for (int i = 0; i < count; i++) {
      int[] p = prompts.get(i % prompts.size());
      int[] seq = generate(teacher, sampler, state, p, ids, logits);
      if (ledger != null) {
        ledger.record(wm, seq, p.length, seq.length);
      }
      out.add(seq);
      if ((i + 1) % 1000 == 0 || i + 1 == count) {
        progress("teacher: %d/%d %s answers", i + 1, count, what);
      }
    }
    return out;
  }

  private int[] generate(LanguageModel lm, Sampler sampler, DecodeState state, int[] prompt, int[] ids, float[] logits) {
    return generate(lm, sampler, state, prompt, ids, logits, null);
  }

  /**
   * Samples an answer; when alts is given, also records the model's top-k at each answer
   * position before the token there is sampled (the sampling itself is unchanged).
   */
  private int[] generate(LanguageModel lm, Sampler sampler, DecodeState state, int[] prompt, int[] ids, float[] logits,
      TopKRecorder alts) {
    int[] seq = Arrays.copyOf(prompt, prompt.length + cfg.answerTokens());
    state.reset();
    for (int len = prompt.length; len < seq.length; len++) {
      int n = lm.topCandidates(seq, len, cfg.candidates(), ids, logits);
      if (alts != null) {
        alts.record(lm, seq, len, ids, logits, n, len - prompt.length);
      }
      seq[len] = sampler.sampleCandidates(ids, logits, n, seq, len, state);
    }
    return seq;
  }

  private List<DemoRow> student(String kind, double rho, int[][] human, List<int[]> marked, List<int[]> unmarked,
      List<int[]> heldPrompts, List<int[]> probes, Watermarker wm, ServedWindowLedger ledger,
      SamplingConfig sampling) {
    List<DemoRow> rows = new ArrayList<>();
    double maxRho = cfg.rhos().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    boolean control = rho == 0.0;
    double share = control ? maxRho : rho;
    List<int[]> harvested = harvest(control ? unmarked : marked, share);
    int[][] data = mixture(human, harvested, share);
    // Supervised reading mode probes with the watermarked answers served to the accounts under
    // suspicion. The control's accounts received such answers too, but it trained on others.
    List<int[]> served = capped(control ? harvest(marked, maxRho) : harvested);
    String name = String.format(Locale.ROOT, "%s rho=%s%s", kind, rho, control ? " (control)" : "");
    log.status(name, "training on " + data.length + " sequences");
    LanguageModel student = train(kind, data);
    progress("%s: trained on %d sequences", name, data.length);
    Evidence evidence = Evidence.of(NullModel.of(wm.spec()), cfg.alpha());
    if (!Boolean.getBoolean("radiomark.demo.readingOnly")) {
      // Study switch of docs/power.md (not a user option): when set, closed mode is skipped.
      log.status(name, "answering " + cfg.closedAnswers() + " prompts");
      List<AnswerLogprobs> logprobs = cfg.closedTopK() > 0 ? new ArrayList<>() : null;
      List<Answer> answers = answer(student, heldPrompts, sampling, logprobs);
      log.status(name, "closed-mode tests");
      RadioactivityResult closed = closedTest(wm, null).run(answers);
      rows.add(row(kind, rho, control, false, closed, evidence));
      RadioactivityResult sup = closedTest(wm, ledger).run(answers);
      rows.add(row(kind, rho, control, true, sup, evidence));
      progress("%s: closed log10 p %.1f (%d tuples), supervised %.1f (%d tuples)", name, closed.log10P(),
          closed.tuplesScored(), sup.log10P(), sup.tuplesScored());
      if (logprobs != null) {
        closedTopK(kind, rho, control, name, logprobs, wm, ledger, evidence, rows);
      }
    }
    reading(kind, rho, control, false, name, student, probes, wm, evidence, rows);
    reading(kind, rho, control, true, name, student, served, wm, evidence, rows);
    log.status(name, null);
    return rows;
  }

  /**
   * Top-1 reading mode on the given probes, then the weighted top-k row when
   * {@link DemoConfig#readingTopK} asks for it.
   */
  private void reading(String kind, double rho, boolean control, boolean supervised, String name,
      LanguageModel student, List<int[]> probes, Watermarker wm, Evidence evidence, List<DemoRow> rows) {
    String what = supervised ? "supervised reading" : "reading";
    log.status(name, what + " mode");
    RadioactivityResult reading = ReadingModeTest.builder(wm, suspect(student)).budget(cfg.readingBudget())
        .chunkLength(256).maxContext(8).curvePoints(curvePoints(cfg.readingBudget())).build().run(probes);
    rows.add(row(kind, rho, control, supervised, reading, evidence));
    progress("%s: %s log10 p %.1f (%d tuples)", name, what, reading.log10P(), reading.tuplesScored());
    if (cfg.readingTopK() > 1) {
      log.status(name, what + " mode, weighted top-" + cfg.readingTopK());
      // The budget counts weighted tuples (sum of the weights, at most 1 per position).
      RadioactivityResult w = ReadingModeTest.builder(wm, suspect(student)).budget(cfg.readingBudget())
          .chunkLength(256).maxContext(8).topK(cfg.readingTopK()).weighted(true)
          .curvePoints(curvePoints(cfg.readingBudget())).build().run(probes);
      rows.add(new DemoRow(kind, rho, control, "reading-w" + cfg.readingTopK(), supervised, w,
          evidence.verdict(w.tuplesScored(), w.log10P())));
      progress("%s: %s weighted top-%d log10 p %.1f (%d tuples)", name, what, cfg.readingTopK(), w.log10P(),
          w.tuplesScored());
    }
  }

  /**
   * Closed mode on the student's top-k log-probabilities of its own answers, as
   * {@code wm verify --mode closed --top-k k [--weighted] [--ledger]} runs it: exact, then
   * weighted, each unsupervised and supervised, with budget k times the closed budget.
   */
  private void closedTopK(String kind, double rho, boolean control, String name, List<AnswerLogprobs> logprobs,
      Watermarker wm, ServedWindowLedger ledger, Evidence evidence, List<DemoRow> rows) {
    int k = cfg.closedTopK();
    long budget = cfg.closedBudget() * k;
    for (boolean weighted : new boolean[] {false, true}) {
      String mode = (weighted ? "closed-w" : "closed-k") + k;
      log.status(name, mode + " tests");
      RadioactivityResult[] r = new RadioactivityResult[2];
      for (int s = 0; s < 2; s++) {
        boolean supervised = s == 1;
        r[s] = ClosedLogprobTest.builder(wm).ledger(supervised ? ledger : null).topK(k).weighted(weighted)
            .budget(budget).curvePoints(curvePoints(budget)).build().run(logprobs);
        rows.add(new DemoRow(kind, rho, control, mode, supervised, r[s],
            evidence.verdict(r[s].tuplesScored(), r[s].log10P())));
      }
      progress("%s: %s log10 p %.1f (%d tuples), supervised %.1f (%d tuples)", name, mode, r[0].log10P(),
          r[0].tuplesScored(), r[1].log10P(), r[1].tuplesScored());
    }
  }

  private ClosedModelTest closedTest(Watermarker wm, ServedWindowLedger ledger) {
    ClosedModelTest.Builder b = ClosedModelTest.builder(wm).budget(cfg.closedBudget())
        .curvePoints(curvePoints(cfg.closedBudget()));
    return (ledger == null ? b : b.ledger(ledger)).build();
  }

  /** A curve point every 250 tuples (capped by what the verifier accepts). */
  private static int curvePoints(long budget) {
    return (int) Math.max(10, Math.min(10_000, budget / 250));
  }

  private static DemoRow row(String kind, double rho, boolean control, boolean supervised, RadioactivityResult r,
      Evidence evidence) {
    return new DemoRow(kind, rho, control, r.mode().label(), supervised, r,
        evidence.verdict(r.tuplesScored(), r.log10P()));
  }

  private LanguageModel train(String kind, int[][] data) {
    if (kind.equals("ngram")) {
      return Models.kneserNey(cfg.ngramOrder(), data, Corpus.O200K_VOCAB_SIZE);
    }
    NeuralConfig nc = cfg.neural().withMaxTrainTokens(cfg.neuralTrainTokens());
    return Models.neural(nc, data, Corpus.O200K_VOCAB_SIZE, cfg.seed());
  }

  /**
   * The answers a student's accounts harvested: a seeded random subset of the served sequences
   * (not the first ones) whose answer tokens reach share of the student's tokens.
   */
  private List<int[]> harvest(List<int[]> served, double share) {
    long target = Math.round(share * cfg.studentTokens());
    List<int[]> shuffled = new ArrayList<>(served);
    java.util.Collections.shuffle(shuffled, new java.util.Random(cfg.seed()));
    List<int[]> t = new ArrayList<>();
    long m = 0;
    for (int i = 0; i < shuffled.size() && m < target; i++) {
      t.add(shuffled.get(i));
      m += cfg.answerTokens();
    }
    return t;
  }

  /** The first sequences of a list up to the probe tokens of the configuration. */
  private List<int[]> capped(List<int[]> seqs) {
    List<int[]> out = new ArrayList<>();
    long n = 0;
    for (int[] seq : seqs) {
      if (n >= cfg.probeTokens()) {
        break;
      }
      out.add(seq);
      n += seq.length;
    }
    return out;
  }

  /**
   * Human verses up to (1 - share) of the student's tokens, then the harvested
   * sequences, interleaved deterministically so that a prefix of the mixture (the neural student's
   * budget) keeps the proportion.
   */
  private int[][] mixture(int[][] human, List<int[]> t, double share) {
    long humanTarget = cfg.studentTokens() - Math.round(share * cfg.studentTokens());
    List<int[]> h = new ArrayList<>();
    long n = 0;
    for (int i = 0; i < human.length && n < humanTarget; i++) {
      h.add(human[i]);
      n += human[i].length;
    }
    List<int[]> out = new ArrayList<>(h.size() + t.size());
    int hi = 0;
    int ti = 0;
    while (hi < h.size() || ti < t.size()) {
      // Keep the running share of teacher sequences close to its final share.
      boolean takeTeacher = hi >= h.size()
          || (ti < t.size() && (long) ti * (h.size() + t.size()) < (long) (hi + ti + 1) * t.size());
      out.add(takeTeacher ? t.get(ti++) : h.get(hi++));
    }
    return out.toArray(new int[0][]);
  }

  /**
   * The student's answers to the held-out prompts; when logprobs is not null, each answer is also
   * added there with the student's top-{@link DemoConfig#closedTopK} at each of its positions.
   */
  private List<Answer> answer(LanguageModel student, List<int[]> prompts, SamplingConfig sampling,
      List<AnswerLogprobs> logprobs) {
    Sampler plain = Sampler.plain(Corpus.O200K_VOCAB_SIZE, sampling);
    DecodeState state = plain.newState(RandomSource.XO_RO_SHI_RO_128_PP.create(cfg.seed() + 7));
    int[] ids = new int[cfg.candidates()];
    float[] logits = new float[cfg.candidates()];
    int k = cfg.closedTopK();
    List<Answer> out = new ArrayList<>();
    for (int i = 0; i < cfg.closedAnswers(); i++) {
      int[] p = prompts.get(i % prompts.size());
      TopKRecorder alts = logprobs == null ? null : new TopKRecorder(k, cfg.candidates(), cfg.answerTokens());
      int[] seq = generate(student, plain, state, p, ids, logits, alts);
      Answer a = new Answer(p, Arrays.copyOfRange(seq, p.length, seq.length));
      out.add(a);
      if (alts != null) {
        logprobs.add(new AnswerLogprobs(a, k, alts.ids, alts.logProbs));
      }
    }
    return out;
  }

  /**
   * The top-k alternatives of one answer, in the layout of {@link AnswerLogprobs}: at each
   * position the k most probable tokens by descending log-probability (ties: smaller id first),
   * padded with id -1. For k up to the candidates per step they are the best of the candidates
   * the sampler is given; a larger k asks the model again.
   */
  static final class TopKRecorder {
    final int[] ids;
    final float[] logProbs;
    private final int k;
    private final long[] keys;
    private final int[] moreIds;
    private final float[] moreLogProbs;

    TopKRecorder(int k, int candidates, int positions) {
      this.k = k;
      this.ids = new int[positions * k];
      this.logProbs = new float[positions * k];
      this.keys = new long[Math.max(k, candidates)];
      this.moreIds = k > candidates ? new int[k] : null;
      this.moreLogProbs = k > candidates ? new float[k] : null;
    }

    /** Records position pos from the n candidates the sampler is about to get (not modified). */
    void record(LanguageModel lm, int[] seq, int len, int[] cids, float[] clps, int n, int pos) {
      int[] from = cids;
      float[] lps = clps;
      int m = n;
      if (moreIds != null) {
        m = lm.topCandidates(seq, len, k, moreIds, moreLogProbs);
        from = moreIds;
        lps = moreLogProbs;
      }
      int kept = 0;
      for (int j = 0; j < m; j++) {
        float lp = lps[j];
        if (lp == Float.NEGATIVE_INFINITY || Float.isNaN(lp)) {
          continue; // probability 0: an API would not list it
        }
        keys[kept++] = sortKey(Math.min(lp, 0f), from[j]);
      }
      Arrays.sort(keys, 0, kept);
      int base = pos * k;
      for (int j = 0; j < k; j++) {
        if (j < kept) {
          ids[base + j] = (int) keys[j];
          logProbs[base + j] = 0f - Float.intBitsToFloat((int) (keys[j] >>> 32));
        } else {
          ids[base + j] = -1;
          logProbs[base + j] = 0f;
        }
      }
    }

    /** Ascending order of the key is descending log-probability, then ascending id. */
    private static long sortKey(float logProb, int id) {
      // 0 - logProb is +0 or positive, so its bits order like the value; ids are non-negative.
      return (long) Float.floatToIntBits(0f - logProb) << 32 | id;
    }
  }

  /** The student as the verifier sees it in reading mode. */
  static SuspectModel suspect(LanguageModel lm) {
    return new SuspectModel() {
      @Override
      public int vocabSize() {
        return lm.vocabSize();
      }

      @Override
      public void nextTokenLogits(int[][] contexts, int[] lens, int batch, float[] out) {
        for (int b = 0; b < batch; b++) {
          lm.logits(contexts[b], lens[b], out, b * lm.vocabSize());
        }
      }

      @Override
      public void topK(int[][] contexts, int[] lens, int batch, int k, int[] ids, float[] logProbs) {
        int[] id = new int[k];
        float[] lp = new float[k];
        for (int b = 0; b < batch; b++) {
          int n = lm.topCandidates(contexts[b], lens[b], k, id, lp);
          System.arraycopy(id, 0, ids, b * k, n);
          System.arraycopy(lp, 0, logProbs, b * k, n);
          Arrays.fill(ids, b * k + n, (b + 1) * k, -1);
        }
      }

      @Override
      public void top1(int[][] contexts, int[] lens, int batch, int[] out) {
        if (lm instanceof NeuralModel nm) {
          int[][] c = contexts.length == batch ? contexts : Arrays.copyOf(contexts, batch);
          int[] l = lens.length == batch ? lens : Arrays.copyOf(lens, batch);
          int[] o = out.length == batch ? out : new int[batch];
          nm.argmaxBatch(c, l, o);
          if (o != out) {
            System.arraycopy(o, 0, out, 0, batch);
          }
        } else {
          for (int b = 0; b < batch; b++) {
            out[b] = lm.argmax(contexts[b], lens[b]);
          }
        }
      }
    };
  }
}
