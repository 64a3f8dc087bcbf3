package dev.radiomark.verify.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.ledger.ServedWindowLedger;
import dev.radiomark.verify.NullModel;
import dev.radiomark.verify.Verdict;
import dev.radiomark.verify.radioactivity.AnytimeResult;
import dev.radiomark.verify.onnx.OnnxCausalLm;
import dev.radiomark.verify.onnx.OnnxSuspectModel;
import dev.radiomark.verify.radioactivity.Answer;
import dev.radiomark.verify.radioactivity.Attribution;
import dev.radiomark.verify.radioactivity.AttributionResult;
import dev.radiomark.verify.radioactivity.ClosedModelTest;
import dev.radiomark.verify.radioactivity.CurvePoint;
import dev.radiomark.verify.radioactivity.Mode;
import dev.radiomark.verify.radioactivity.Progress;
import dev.radiomark.verify.radioactivity.RadioactivityResult;
import dev.radiomark.verify.radioactivity.ReadingModeTest;
import dev.radiomark.verify.radioactivity.SuspectModel;
import dev.radiomark.verify.stats.MultipleTesting;
import dev.radiomark.verify.text.ReadSummary;
import dev.radiomark.verify.text.TextTokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code wm verify}: was a suspect model trained on our watermarked outputs? Runs the
 * closed-model radioactivity test (or reading mode, when a suspect model was supplied through
 * the API) under one or more keys, Holm-corrects across keys, and writes a JSON report on
 * standard output and a one-screen summary (and progress, on long inputs) on standard error.
 *
 * <p>Errors: a bad option combination is a picocli {@link ParameterException} (usage error, exit
 * 2 in picocli's default handler); bad values and bad key, ledger or tokenizer content are
 * {@link IllegalArgumentException}s; a malformed input line is an
 * {@link dev.radiomark.verify.text.InputFormatException}; an unreadable file is an
 * {@link IOException}. The exit status is 0 whenever the test ran, whatever the verdict (the
 * verdict is in the report).
 */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Radioactivity test: does a suspect model carry the watermark of these keys beyond chance?",
        "",
        "Flagged in closed mode means: consistent with training on, or copying of, text we served; in "
            + "reading mode: consistent with training on it. Verdicts: flagged, not_flagged (no evidence at "
            + "alpha; not proof of innocence) or inconclusive (too few tuples scored to decide). See "
            + "docs/verification.md.",
        "",
        "Closed mode scores the suspect's answers (JSONL with prompt/text/id). Reading mode runs the "
            + "suspect's weights (--model FILE.onnx, a causal LM exported to ONNX) on our watermarked probe "
            + "texts (JSONL text or token ids).",
        "",
        "The verdict is the pooled exact p-value at the pre-registered --budget of scored tuples; the "
            + "cumulative curve in the report is for plotting only, not a stopping rule. With --anytime, an "
            + "anytime-valid test runs beside it: valid however often you look, and when you re-run with a "
            + "larger --budget or more answers appended.",
        ""})
public final class VerifyCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final long PROGRESS_NANOS = 2_000_000_000L;

  @Spec
  private CommandSpec spec;

  @Option(names = "--key", required = true, paramLabel = "FILE",
      description = "Key file; repeat for several keys (for example one per tenant): Holm-corrected.")
  private List<Path> keys;

  @Option(names = "--mode", required = true, paramLabel = "closed|reading",
      description = "closed: the suspect's answers; reading: probe texts read by a supplied suspect model.")
  private String mode;

  @Option(names = "--input", required = true, arity = "1..*", paramLabel = "FILE|DIR",
      description = "JSONL files or folders (read recursively for *.jsonl, in sorted path order, skipping hidden names), "
          + "or - for stdin; repeatable. Closed mode: {\"prompt\", \"text\", \"id\"} answers; reading mode: watermarked probe texts.")
  private List<String> inputs;

  @Option(names = "--ledger", paramLabel = "FILE",
      description = "Served-window ledger (supervised closed test); repeatable: several files of one key"
          + " (one per serving replica) are merged, and every --key needs at least one.")
  private List<Path> ledgers = new ArrayList<>();

  @Option(names = "--budget", paramLabel = "N", defaultValue = "100000",
      description = "Pre-registered number of scored tuples the verdict is taken at (default ${DEFAULT-VALUE}).")
  private long budget;

  @Option(names = "--alpha", paramLabel = "A", defaultValue = "1e-6",
      description = "Family-wise significance level in (0, 1) of the verdict, Holm over the keys (default ${DEFAULT-VALUE}, as for detect).")
  private double alpha;

  @Option(names = "--anytime",
      description = "Also run the anytime-valid test (a betting martingale per key). Each key stops at the first "
          + "tuple where its anytime p <= alpha/K (K keys), else at --budget, which becomes a maximum; "
          + "its verdict is Holm-corrected across keys and stays valid if you re-run with more input.")
  private boolean anytime;

  @Option(names = "--chunk", paramLabel = "N", defaultValue = "256",
      description = "Reading mode: tokens per chunk fed to the suspect (default ${DEFAULT-VALUE}; at most the "
          + "model's context).")
  private int chunk;

  @Option(names = "--model", paramLabel = "FILE.onnx",
      description = "Reading mode: the suspect's weights, a causal LM exported to ONNX (input_ids, optional "
          + "attention_mask and position_ids, output logits [batch, seq, vocab]); its vocabulary must be the key's.")
  private Path model;

  @Option(names = "--top-k", paramLabel = "K", defaultValue = "1",
      description = "Reading mode: score the suspect's K most probable tokens at each position (default "
          + "${DEFAULT-VALUE}: its top-1; exact null for every K; --budget counts scored tuples, up to K per position). "
          + "Choose before looking at results.")
  private int topK;

  @Option(names = "--weighted",
      description = "Reading mode: weight each scored token by the suspect's probability (with --top-K); the "
          + "p-value is a conservative Chernoff bound (docs/power.md).")
  private boolean weighted;

  private final SuspectModel suspect;
  /** The (merged) ledger of each key id of this run, for the report. */
  private final Map<String, ServedWindowLedger> ledgerByKeyId = new HashMap<>();

  /** The plain command: closed mode only. */
  public VerifyCommand() {
    this(null);
  }

  /**
   * A command that can also run reading mode with a suspect model supplied by the caller (the
   * examples module registers a demo suspect this way).
   *
   * @param suspect the suspect model, or null for closed mode only
   */
  public VerifyCommand(SuspectModel suspect) {
    this.suspect = suspect;
  }

  @Override
  public Integer call() throws IOException {
    CommandLine cl = spec.commandLine();
    Mode m;
    if ("closed".equals(mode)) {
      m = Mode.CLOSED;
    } else if ("reading".equals(mode)) {
      m = Mode.READING;
    } else {
      throw new ParameterException(cl, "--mode is not one of closed, reading: " + mode);
    }
    if (m == Mode.READING && suspect == null && model == null) {
      throw new ParameterException(cl, "--mode reading needs the suspect model's weights: --model FILE.onnx");
    }
    if (m == Mode.CLOSED && (model != null || topK != 1 || weighted)) {
      throw new ParameterException(cl, "--model, --top-k and --weighted apply to --mode reading only");
    }
    if (topK < 1 || topK > 4096) {
      throw new ParameterException(cl, "--top-k is not in [1, 4096]: " + topK);
    }
    if (weighted && anytime) {
      throw new ParameterException(cl, "--weighted has no anytime test: use one or the other");
    }
    if (m == Mode.READING && !ledgers.isEmpty()) {
      throw new ParameterException(cl, "--ledger applies to --mode closed only");
    }
    if (budget < 1) {
      throw new IllegalArgumentException("--budget is not in [1, 2^63): " + budget);
    }
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "--alpha is not in (0, 1): %s", alpha));
    }
    PrintWriter err = cl.getErr();

    List<Watermarker> wms = new ArrayList<>();
    for (Path k : keys) {
      wms.add(Cli.loadKey(k).watermarker());
    }
    WatermarkSpec first = wms.get(0).spec();
    for (Watermarker w : wms) {
      if (!w.spec().tokenizer().equals(first.tokenizer()) || w.spec().vocabSize() != first.vocabSize()) {
        throw WmException.key(String.format(Locale.ROOT,
            "--key files use different tokenizers: %s (%d) and %s (%d)", first.tokenizer(), first.vocabSize(),
            w.spec().tokenizer(), w.spec().vocabSize()), null);
      }
    }
    ledgerByKeyId.clear();
    if (!ledgers.isEmpty()) {
      Map<String, ServedWindowLedger> byFingerprint = Cli.loadLedgers(ledgers, err);
      for (int i = 0; i < wms.size(); i++) {
        Watermarker w = wms.get(i);
        ServedWindowLedger l = byFingerprint.remove(w.keyFingerprint());
        if (l == null) {
          throw WmException.key(String.format(Locale.ROOT, "--ledger: no ledger of key %s (fingerprint %s, %s)",
              w.keyId(), w.keyFingerprint(), keys.get(i)), null);
        }
        if (!l.specDescription().equals(w.spec().describe())) {
          throw WmException.key(String.format(Locale.ROOT, "--ledger: the ledger of key %s has spec %s but %s has spec %s",
              w.keyId(), l.specDescription(), keys.get(i), w.spec().describe()), null);
        }
        ledgerByKeyId.put(w.keyId(), l);
      }
      if (!byFingerprint.isEmpty()) {
        ServedWindowLedger stray = byFingerprint.values().iterator().next();
        throw WmException.key("--ledger: a ledger belongs to none of the --key files: key " + stray.keyId()
            + ", fingerprint " + stray.keyFingerprint(), null);
      }
    }

    TextTokenizer tok = TextTokenizer.named(first.tokenizer());
    TextTokenizer.requireVocabulary(first.tokenizer(), first.vocabSize(), tok);
    List<Answer> answers = new ArrayList<>();
    List<int[]> probes = new ArrayList<>();
    long[] inputTokensBox = {0};
    // Token ids only are kept, not the texts, one file after the other.
    ReadSummary read = Cli.forEachRecord(inputs, Cli.Format.JSONL, false, (source, r) -> {
      if (m == Mode.CLOSED) {
        Answer a = new Answer(r.promptIds(tok, source), r.textIds(tok, source));
        inputTokensBox[0] += a.text().length;
        answers.add(a);
      } else {
        int[] t = r.textIds(tok, source);
        inputTokensBox[0] += t.length;
        probes.add(t);
      }
    });
    long inputTokens = inputTokensBox[0];

    SuspectModel reader = suspect;
    OnnxCausalLm lm = null;
    if (m == Mode.READING && model != null) {
      lm = openModel(first);
      reader = OnnxSuspectModel.of(lm);
      if (chunk > lm.maxContext()) {
        err.printf(Locale.ROOT, "wm verify: --chunk %d is longer than the model's context %d: using %d%n",
            chunk, lm.maxContext(), lm.maxContext());
        chunk = lm.maxContext();
      }
    }
    List<RadioactivityResult> results = new ArrayList<>();
    List<NullModel> nulls = new ArrayList<>();
    try {
      for (int i = 0; i < wms.size(); i++) {
        Watermarker w = wms.get(i);
        Progress p = progress(err, i + 1, wms.size(), w.keyId());
        if (m == Mode.CLOSED) {
          ClosedModelTest.Builder b = ClosedModelTest.builder(w).ledger(ledgerByKeyId.get(w.keyId())).budget(budget)
              .progress(p);
          results.add((anytime ? b.anytime(anytimeStop()) : b).build().run(answers));
        } else {
          ReadingModeTest.Builder b = ReadingModeTest.builder(w, reader).chunkLength(chunk).topK(topK).weighted(weighted)
              .budget(budget).progress(p);
          results.add((anytime ? b.anytime(anytimeStop()) : b).build().run(probes));
        }
        nulls.add(NullModel.of(w.spec()));
      }
    } finally {
      if (lm != null) {
        lm.close();
      }
    }
    AttributionResult ar = Attribution.correct(results, nulls, alpha);
    PrintWriter out = cl.getOut();
    out.println(JSON.writeValueAsString(report(m, first, read.records(), inputTokens, ar)));
    out.flush();
    summary(err, m, first, ar);
    err.flush();
    return 0;
  }

  /** Opens the suspect's ONNX model; a file or vocabulary that does not fit is a key/model error. */
  private OnnxCausalLm openModel(WatermarkSpec spec) {
    if (!Files.isRegularFile(model)) {
      throw WmException.io(model + ": no such model file", null);
    }
    OnnxCausalLm lm;
    try {
      lm = OnnxCausalLm.open(model);
    } catch (IllegalArgumentException e) {
      throw WmException.key(e.getMessage(), e);
    }
    try {
      return lm.requireVocabulary(spec);
    } catch (IllegalArgumentException e) {
      lm.close();
      throw WmException.key(e.getMessage(), e);
    }
  }

  private Progress progress(PrintWriter err, int index, int count, String keyId) {
    long start = System.nanoTime();
    long[] last = {start};
    return (tokens, tuples) -> {
      long now = System.nanoTime();
      if (now - last[0] >= PROGRESS_NANOS) {
        last[0] = now;
        err.printf(Locale.ROOT, "verify: key %d/%d %s: %,d tokens read, %,d/%,d tuples scored (%.0f%% of budget), %.0f s%n",
            index, count, keyId, tokens, tuples, budget, 100.0 * tuples / budget, (now - start) / 1e9);
        err.flush();
      }
    };
  }

  private ObjectNode report(Mode m, WatermarkSpec s, int records, long inputTokens, AttributionResult ar) {
    ObjectNode root = JSON.createObjectNode();
    root.put("mode", m.label());
    root.put("supervised", !ledgers.isEmpty());
    root.put("spec", s.describe());
    ArrayNode ids = root.putArray("key_ids");
    ar.entries().forEach(e -> ids.add(e.keyId()));
    root.put("input_records", records);
    root.put("input_tokens", inputTokens);
    root.put("budget", budget);
    root.put("alpha", alpha);
    root.put("correction", ar.correction());
    root.put("family", ar.family());
    root.put("verdict", ar.verdict().word());
    root.put("statement", m.claim().sentence(ar.verdict(), ar.claimKeys(), alpha));
    ArrayNode flagged = root.putArray("flagged_keys");
    ar.flaggedKeyIds().forEach(flagged::add);
    root.put("curve_note", RadioactivityResult.CURVE_NOTE);
    double[] anyCorrected = anytime ? anytimeHolm(ar) : null;
    if (anytime) {
      ObjectNode a = root.putObject("anytime");
      a.put("stop_level", anytimeStop());
      a.put("correction", ar.entries().size() > 1 ? "holm" : "none");
      a.put("verdict", anytimeVerdict(ar, anyCorrected).word());
      ArrayNode anyFlagged = a.putArray("flagged_keys");
      for (int i = 0; i < anyCorrected.length; i++) {
        if (keyVerdict(ar, anyCorrected, i) == Verdict.FLAGGED) {
          anyFlagged.add(ar.entries().get(i).keyId());
        }
      }
    }
    ArrayNode res = root.putArray("results");
    for (int i = 0; i < ar.entries().size(); i++) {
      AttributionResult.Entry e = ar.entries().get(i);
      RadioactivityResult r = e.result();
      ObjectNode o = res.addObject();
      o.put("key_id", r.keyId());
      if (ledgerByKeyId.containsKey(r.keyId())) {
        o.set("ledger", Cli.ledgerJson(ledgerByKeyId.get(r.keyId())));
      }
      o.put("tokens_read", r.tokensRead());
      o.put("tuples_scored", r.tuplesScored());
      o.put("budget_reached", r.budgetReached());
      if (!r.budgetReached() && (r.anytime() == null || !r.anytime().stopped())) {
        o.put("budget_note", "budget not reached: the verdict uses all " + r.tuplesScored() + " tuples of the input");
      }
      o.put("score", r.score());
      if (Double.isNaN(r.rate())) {
        o.putNull("rate");
      } else {
        o.put("rate", r.rate());
      }
      o.put("null_rate", r.nullRate());
      o.put("log10_p", r.log10P());
      o.put("log10_p_corrected", e.log10PCorrected());
      o.put("verdict", e.verdict().word());
      o.put("statement", m.claim().sentence(e.verdict(), List.of(e.keyId()), alpha));
      if (anytime) {
        AnytimeResult a = r.anytime();
        ObjectNode ao = o.putObject("anytime");
        ao.put("log10_p", a.log10P());
        ao.put("log10_p_corrected", anyCorrected[i]);
        ao.put("tuples", a.tuples());
        ao.put("sup_at", a.supTuples());
        ao.put("stopped", a.stopped());
        ao.put("verdict", keyVerdict(ar, anyCorrected, i).word());
        if (a.stopped()) {
          o.put("budget_note", "stopped where the anytime test crossed " + anytimeStop()
              + ": log10_p is the fixed-budget p at a data-chosen point, not a valid fixed-budget p-value");
        }
      }
      o.put("curve_step", r.curveStep());
      ArrayNode c = o.putArray("curve");
      for (CurvePoint pt : r.curve()) {
        c.addArray().add(pt.tuples()).add(pt.log10P());
      }
    }
    return root;
  }

  private void summary(PrintWriter err, Mode m, WatermarkSpec s, AttributionResult ar) {
    String rateName = s.scheme() == dev.radiomark.Scheme.GREEN_LIST ? "green rate" : "score rate";
    String nullName = s.scheme() == dev.radiomark.Scheme.GREEN_LIST ? "gamma" : "null";
    err.printf(Locale.ROOT, "wm verify: %s mode%s, %s, budget %,d tuples, alpha %s%s%n", m.label(),
        ledgers.isEmpty() ? "" : " (supervised)", s.describe(), budget, alpha,
        ar.entries().size() > 1 ? ", Holm over " + ar.entries().size() + " keys" : "");
    for (AttributionResult.Entry e : ar.entries()) {
      RadioactivityResult r = e.result();
      err.printf(Locale.ROOT, "  %-32s %,12d tokens %,10d tuples%s  %s %.4f vs %s %.4f  log10 p %9.2f  corrected %9.2f  %s%n",
          r.keyId(), r.tokensRead(), r.tuplesScored(), r.budgetReached() ? "" : " (budget not reached)",
          rateName, r.rate(), nullName, r.nullRate(), r.log10P(), e.log10PCorrected(),
          e.verdict().word());
    }
    err.println("verdict: " + ar.verdict().word() + ": " + m.claim().sentence(ar.verdict(), ar.claimKeys(), alpha));
    if (anytime) {
      double[] corrected = anytimeHolm(ar);
      for (int i = 0; i < corrected.length; i++) {
        AnytimeResult a = ar.entries().get(i).result().anytime();
        err.printf(Locale.ROOT, "  anytime %-24s log10 p %9.2f  corrected %9.2f  at tuple %,d of %,d%s  %s%n",
            ar.entries().get(i).keyId(), a.log10P(), corrected[i], a.supTuples(), a.tuples(),
            a.stopped() ? " (stopped)" : "", keyVerdict(ar, corrected, i).word());
      }
      err.println("anytime verdict: " + anytimeVerdict(ar, corrected).word() + " at alpha " + alpha
          + " (valid under monitoring and re-runs with more input)");
      if (ar.entries().stream().anyMatch(e -> e.result().anytime().stopped())) {
        err.println("note: a key marked (stopped) ended where its anytime p crossed " + anytimeStop()
            + "; its fixed-budget p above is taken at that data-chosen point and is not valid");
      }
    }
    err.println("note: the p-value curve in the JSON report is for plotting only, not a stopping rule");
  }

  /**
   * Each key stops at alpha / K: a key that stops there is flagged by Holm whatever the others do.
   * Holm stays valid although keys stop at different points: an anytime p is a running minimum,
   * never below 1 / sup_t M_t, and that infimum is already a valid p-value by Ville's inequality.
   */
  private double anytimeStop() {
    return alpha / keys.size();
  }

  private static double[] anytimeHolm(AttributionResult ar) {
    return MultipleTesting.holm(ar.entries().stream().mapToDouble(e -> e.result().anytime().log10P()).toArray());
  }

  private Verdict keyVerdict(AttributionResult ar, double[] corrected, int i) {
    return ar.entries().get(i).result().anytime().verdict(corrected[i], alpha);
  }

  /** Flagged if any key is; not flagged if every key spent its budget; else inconclusive. */
  private Verdict anytimeVerdict(AttributionResult ar, double[] corrected) {
    Verdict v = Verdict.NOT_FLAGGED;
    for (int i = 0; i < corrected.length; i++) {
      Verdict k = keyVerdict(ar, corrected, i);
      if (k == Verdict.FLAGGED) {
        return k;
      }
      if (k == Verdict.INCONCLUSIVE) {
        v = k;
      }
    }
    return v;
  }
}
