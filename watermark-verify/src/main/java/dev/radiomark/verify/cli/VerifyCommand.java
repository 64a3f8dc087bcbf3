package dev.radiomark.verify.cli;

import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.ledger.ServedWindowLedger;
import dev.radiomark.verify.NullModel;
import dev.radiomark.verify.onnx.OnnxCausalLm;
import dev.radiomark.verify.onnx.OnnxSuspectModel;
import dev.radiomark.verify.radioactivity.Answer;
import dev.radiomark.verify.radioactivity.AnswerLogprobs;
import dev.radiomark.verify.radioactivity.ClosedLogprobTest;
import dev.radiomark.verify.radioactivity.Attribution;
import dev.radiomark.verify.radioactivity.AttributionResult;
import dev.radiomark.verify.radioactivity.ClosedModelTest;
import dev.radiomark.verify.radioactivity.Mode;
import dev.radiomark.verify.radioactivity.Progress;
import dev.radiomark.verify.radioactivity.RadioactivityResult;
import dev.radiomark.verify.radioactivity.ReadingModeTest;
import dev.radiomark.verify.radioactivity.SuspectModel;
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
import picocli.CommandLine.Mixin;
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

  @Mixin
  TokenizerOptions tokenizerOptions;

  @Option(names = "--top-k", paramLabel = "K", defaultValue = "1",
      description = "Reading mode: score the suspect's K most probable tokens at each position (default "
          + "${DEFAULT-VALUE}: its top-1; exact null for every K; --budget counts scored tuples, up to K per position). "
          + "Closed mode: score up to K of each answer's \"top_logprobs\" alternatives instead of its tokens (every "
          + "answer needs the field). Choose before looking at results.")
  private int topK;

  @Option(names = "--weighted",
      description = "Weight each scored token by the suspect's probability (with --top-k; in closed mode from "
          + "\"top_logprobs\"); the "
          + "p-value is a conservative Chernoff bound (docs/power.md).")
  private boolean weighted;

  @Option(names = "--csv", paramLabel = "FILE",
      description = "Closed mode: also write one CSV row per answer and key (each answer tested alone, Holm over the keys; "
          + "informational, the verdict is the pooled test). Written only on success, replacing FILE atomically.")
  private Path csv;

  @Option(names = "--report", paramLabel = "FILE.html",
      description = "Also write a self-contained HTML evidence report (verdict, keys, p-value curve; in closed mode the "
          + "answers' table and coloured tokens). Written only on success, replacing FILE atomically.")
  private Path htmlReport;

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
    if (m == Mode.CLOSED && model != null) {
      throw new ParameterException(cl, "--model applies to --mode reading only");
    }
    // Closed mode scores the answers' "top_logprobs" only when --top-k is given (chosen beforehand).
    boolean closedTopK = m == Mode.CLOSED && cl.getParseResult().hasMatchedOption("--top-k");
    if (m == Mode.CLOSED && weighted && !closedTopK) {
      throw new ParameterException(cl, "--weighted in closed mode scores the answers' \"top_logprobs\": give --top-k K");
    }
    if (closedTopK && csv != null) {
      throw new ParameterException(cl, "--csv has per-answer top-1 rows only: not with --top-k in closed mode");
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
    if (m == Mode.READING && csv != null) {
      throw new ParameterException(cl, "--csv applies to --mode closed only (reading mode has no per-answer results)");
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
      List<ServedWindowLedger> matched = LedgerMatch.match(ledgers, wms, keys.stream().map(Path::toString).toList(), err);
      for (int i = 0; i < wms.size(); i++) {
        ledgerByKeyId.put(wms.get(i).keyId(), matched.get(i));
      }
    }

    TextTokenizer tok = Cli.tokenizerFor(first, keys.get(0), tokenizerOptions.loadOrNull(), false);
    List<Answer> answers = new ArrayList<>();
    List<AnswerLogprobs> withLogprobs = new ArrayList<>();
    List<VerifyWriters.Row> rows = new ArrayList<>();
    List<int[]> probes = new ArrayList<>();
    long[] inputTokensBox = {0};
    // Token ids only are kept, not the texts, one file after the other.
    ReadSummary read = Cli.forEachRecord(inputs, Cli.Format.JSONL, false, (source, r) -> {
      if (m == Mode.CLOSED) {
        Answer a = new Answer(r.promptIds(tok, source), r.textIds(tok, source));
        inputTokensBox[0] += a.text().length;
        answers.add(a);
        if (closedTopK) {
          withLogprobs.add(ClosedLogprobInput.of(a, r, tok, source));
        }
        rows.add(new VerifyWriters.Row(r.id(), r.lineNumber()));
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
        if (closedTopK) {
          ClosedLogprobTest.Builder b = ClosedLogprobTest.builder(w).ledger(ledgerByKeyId.get(w.keyId())).topK(topK)
              .weighted(weighted).budget(budget).progress(p);
          results.add((anytime ? b.anytime(anytimeStop()) : b).build().run(withLogprobs));
        } else if (m == Mode.CLOSED) {
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
    VerifyOutput output = new VerifyOutput(cl.getOut(), err, m, !ledgers.isEmpty(), first, ledgerByKeyId, budget,
        alpha, anytime, anytimeStop(), read.records(), inputTokens);
    VerifyWriters.write(m, ar, wms, tok, rows, answers, inputs, csv, htmlReport, parameters(m), output);
    return 0;
  }

  /** The run's options, as the HTML report lists them. */
  private Map<String, String> parameters(Mode m) {
    Map<String, String> p = new java.util.LinkedHashMap<>();
    p.put("budget", budget + " scored tuples (pre-registered)");
    p.put("supervised", ledgers.isEmpty() ? "no" : "yes, " + ledgers.size() + " ledger file(s)");
    p.put("anytime test", anytime ? "yes" : "no");
    if (m == Mode.CLOSED && spec.commandLine().getParseResult().hasMatchedOption("--top-k")) {
      p.put("top-k", topK + " of the answers' \"top_logprobs\"");
      p.put("weighted", weighted ? "yes" : "no");
    }
    if (m == Mode.READING) {
      p.put("chunk", Integer.toString(chunk));
      p.put("top-k", Integer.toString(topK));
      p.put("weighted", weighted ? "yes" : "no");
      p.put("model", model == null ? "supplied through the API" : model.toString());
    }
    return p;
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

  /**
   * Each key stops at alpha / K: a key that stops there is flagged by Holm whatever the others do.
   * Holm stays valid although keys stop at different points: an anytime p is a running minimum,
   * never below 1 / sup_t M_t, and that infimum is already a valid p-value by Ville's inequality.
   */
  private double anytimeStop() {
    return alpha / keys.size();
  }

}
