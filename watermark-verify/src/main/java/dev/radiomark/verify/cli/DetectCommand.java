package dev.radiomark.verify.cli;

import dev.radiomark.Scheme;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.io.AtomicFiles;
import dev.radiomark.key.KeyFile;
import dev.radiomark.verify.Claim;
import dev.radiomark.verify.DetectionResult;
import dev.radiomark.verify.DetectorConfig;
import dev.radiomark.verify.Evidence;
import dev.radiomark.verify.MultiKeyResult;
import dev.radiomark.verify.SegmentSearch;
import dev.radiomark.verify.TokenVariants;
import dev.radiomark.verify.Verdict;
import dev.radiomark.verify.report.HtmlReport;
import dev.radiomark.verify.result.DetectStream;
import dev.radiomark.verify.result.ResultSink;
import dev.radiomark.verify.result.RunInfo;
import dev.radiomark.verify.result.RunOutcome;
import dev.radiomark.verify.text.InputFiles;
import dev.radiomark.verify.text.ReadSummary;
import dev.radiomark.verify.text.Canonicalizer;
import dev.radiomark.verify.text.TextTokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wm detect}: scores every input record, and all records pooled, under one or more keys,
 * and gives each a verdict: flagged, not_flagged or inconclusive ({@link Evidence}).
 *
 * <p>Each record is one family of tests: the whole text under each key and, with
 * {@code --segments}, the best segment under each key (its p-value already corrected for the
 * search: the scan statistic of {@link SegmentSearch#scan}, or the dyadic grid's Bonferroni for
 * schemes whose scores are not Bernoulli), all Holm-corrected together at {@code --alpha}. The pool is the family
 * of the keys' pooled tests. Output (one JSON document, written only on success):
 * <pre>
 * {"alpha": A, "tokenizer": "o200k_base", "key_ids": [...], "segments": bool,
 *  "records": [{"id", "line", "tokens", "prompt_tokens", FAMILY}],
 *  "pooled": {"records", "tokens", FAMILY},
 *  "skipped_lines": N, "skip_errors": ["FILE:LINE: ..."]}
 * FAMILY = "verdict", "log10_p_corrected" (smallest corrected p of the family: the one a flagged
 *          verdict rests on), "correction" ("holm" or "none"), "family" (tests corrected together),
 *          "statement" (the verdict's sentence, {@link Claim}),
 *          "keys": [{"key_id", "verdict", "tokens_scored", "score", "rate", "null_rate",
 *                    "log10_p" (raw, whole text), "log10_p_corrected" (the key's verdict is taken at it),
 *                    with --segments "log10_p_whole_corrected" and "segment": {"verdict", "start",
 *                    "end", "tuples_scored", "log10_p_raw", "log10_p" (corrected for the search), "segments_tried",
 *                    "log10_p_corrected"}}]
 * </pre>
 * Non-finite numbers (the rate of an empty text) are written as null.
 *
 * <p>A record given as text is scored in each of its distinct canonical variants
 * ({@link Canonicalizer}, decided from the text alone; off with {@code --no-canonical}) and a key's
 * {@code "log10_p"} is then the best variant's, Bonferroni-corrected for their number
 * ({@link dev.radiomark.verify.TokenVariants}); the pooled tapes take every variant's tuples once.
 *
 * <p>Streaming: records are read, scored ({@link DetectStream}) and handed one at a time to the
 * writers ({@link DetectJson}, {@link DetectCsv}, {@link DocumentTable}, {@link HtmlReport}); the
 * JSON goes to a temporary spool file, which is copied to stdout only when the whole
 * input succeeded and deleted in every case. Memory is bounded by the pooled de-duplication tapes
 * (one entry per distinct tuple per key), not by the number of records. The tapes are sized
 * ahead from the input files' size ({@link #tapeHint}), at most 64 MB up front over all keys.
 */
@Command(name = "detect", mixinStandardHelpOptions = true,
    description = {"Tests texts for a watermark under one or more keys, with exact p-values.", "",
        "Each record and the pool get a verdict: flagged (p <= alpha after correction), not_flagged "
            + "(no evidence at alpha, not proof of absence) or inconclusive (too few tuples scored to decide). "
            + "Prints one JSON document on stdout, and a table of the first records and a summary on stderr; "
            + "--csv and --report also write a CSV table and a self-contained HTML evidence report.", ""})
final class DetectCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--key", required = true, paramLabel = "FILE",
      description = "key file (repeatable; all keys must use the same tokenizer)")
  List<Path> keys;

  @Option(names = "--input", required = true, arity = "1..*", paramLabel = "FILE|DIR",
      description = "files or folders, or - for stdin; repeatable, and several may follow one --input. A folder is read recursively, in sorted path order, for *.jsonl files (*.txt with a text format), skipping hidden names")
  List<String> inputs;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "jsonl",
      description = "jsonl (one {\"text\" or \"tokens\", \"prompt\", \"id\"} object per line), text (the whole input is one text), "
          + "lines (one text per non-blank line) or paragraphs (texts separated by blank lines); default ${DEFAULT-VALUE}")
  Cli.Format format;

  @Option(names = "--skip-bad", description = "skip and count malformed JSONL lines instead of failing")
  boolean skipBad;

  @Option(names = "--dedup", paramLabel = "MODE", defaultValue = "tuple",
      description = "score each distinct (window, token) tuple once (tuple, default) or each window once (window)")
  Cli.DedupOption dedup;

  @Option(names = "--nfc", description = "apply Unicode NFC normalization before tokenizing")
  boolean nfc;

  @Option(names = "--no-canonical",
      description = "score each text only as given; by default its canonical variants (whitespace, NFKC, invisible"
          + " characters, symbols, case) are also scored and the best is Bonferroni-corrected for their number")
  boolean noCanonical;

  @Option(names = "--alpha", paramLabel = "A", defaultValue = "1e-6",
      description = "family-wise significance level in (0, 1) of each verdict (Holm over keys, and whole text and best segment); default ${DEFAULT-VALUE}, as for verify")
  double alpha;

  @Option(names = "--segments", description = "also search each record for its most watermarked segment")
  boolean segments;

  @Option(names = "--min-segment", paramLabel = "N", defaultValue = "32",
      description = "smallest segment of the scan in scored tuples, in [2, 1048576]; default ${DEFAULT-VALUE}")
  int minSegment;

  @Option(names = "--csv", paramLabel = "FILE",
      description = "also write one CSV row per record and key (id, counts, log10 p, corrected log10 p, verdicts); "
          + "written only when the whole input succeeded, replacing FILE atomically")
  Path csv;

  @Mixin
  TokenizerOptions tokenizerOptions;

  @Option(names = "--special-token", paramLabel = "ID", description = "token id never scored (repeatable)")
  List<Integer> specialTokens = new ArrayList<>();

  @Option(names = "--report", paramLabel = "FILE.html",
      description = "also write a self-contained HTML evidence report (verdicts, per-record table, coloured tokens, "
          + "p-value curve); written only when the whole input succeeded, replacing FILE atomically")
  Path report;

  @Option(names = "--table", paramLabel = "N", defaultValue = "20",
      description = "records listed in the table on stderr (0: none); default ${DEFAULT-VALUE}")
  int tableRows;

  @Override
  public Integer call() {
    Cli.checkAlpha(alpha);
    if (tableRows < 0) {
      throw WmException.usage("--table is not at least 0: " + tableRows);
    }
    SegmentSearch search = null;
    if (segments) {
      try {
        search = SegmentSearch.scan(minSegment);
      } catch (IllegalArgumentException e) {
        throw WmException.usage("--min-segment: " + e.getMessage());
      }
    }
    List<KeyFile> keyFiles = loadKeys();
    WatermarkSpec first = keyFiles.get(0).spec();
    TextTokenizer tok = Cli.tokenizerFor(first, keys.get(0), tokenizerOptions.loadOrNull(), nfc);
    int[] special = special(first);
    DetectorConfig config = DetectorConfig.defaults().withDedup(dedup.dedup()).withSpecialTokens(special);
    List<Watermarker> wms = keyFiles.stream().map(KeyFile::watermarker).toList();
    Map<String, String> params = new LinkedHashMap<>();
    params.put("format", format.toString().toLowerCase(Locale.ROOT));
    params.put("de-duplication", dedup.toString().toLowerCase(Locale.ROOT));
    params.put("segments", segments ? "best segment of at least " + minSegment + " tuples, corrected for the search" : "no");
    params.put("canonical variants", noCanonical ? "no" : "yes, best variant Bonferroni-corrected for their number");
    params.put("NFC normalization", nfc ? "yes" : "no");
    params.put("special tokens", specialTokens.isEmpty() ? "none" : specialTokens.toString());
    RunInfo run = Reports.runInfo("detect", "text", alpha,
        segments || wms.size() > 1 ? "Holm over " + (wms.size() * (segments ? 2 : 1)) + " tests per record"
            + (wms.size() > 1 ? ", Holm over " + wms.size() + " keys for the pool" : "") : "none (one test)",
        tok.name(), wms, inputs, params);
    PrintWriter err = spec.commandLine().getErr();
    Canonicalizer canonicalizer = noCanonical ? Canonicalizer.none() : Canonicalizer.defaults();
    Path spool = createSpool();
    Path csvSpool = csv == null ? null : createSpool();
    ReadSummary read;
    RunOutcome outcome;
    try {
      try (Writer w = Files.newBufferedWriter(spool, StandardCharsets.UTF_8);
          Writer cw = csvSpool == null ? Writer.nullWriter() : Files.newBufferedWriter(csvSpool, StandardCharsets.UTF_8)) {
        List<ResultSink> sinks = new ArrayList<>();
        sinks.add(new DetectJson(w, segments));
        if (csvSpool != null) {
          sinks.add(new DetectCsv(cw, segments));
        }
        if (report != null) {
          sinks.add(HtmlReport.of(report, wms, config, special, tok));
        }
        sinks.add(new DocumentTable(err, tableRows, "see --csv/--report"));
        DetectStream stream = DetectStream.of(wms, config, search, alpha, sinks,
            tapeHint(inputs, format) / wms.size());
        stream.start(run);
        read = Cli.forEachRecord(inputs, format, skipBad, (source, r) -> {
          try {
            // The record's own ids first: they check the record (and name it) before any variant.
            int[] prompt = r.promptIds(tok, source);
            int[] text = r.textIds(tok, source);
            // Variants are decided from the text alone (never from a key or a score); see TokenVariants.
            stream.document(r.id(), r.lineNumber(), r.tokens() != null || !canonicalizer.enabled()
                ? TokenVariants.of(prompt, text)
                : TokenVariants.of(canonicalizer, tok, r.prompt(), r.text(), prompt, text));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
        outcome = stream.finish(read, alpha);
      } catch (IOException | UncheckedIOException e) {
        throw WmException.io(Reports.writeError(e, spool, report), e);
      }
      if (csvSpool != null) {
        try {
          AtomicFiles.replaceShared(csv, out -> Files.copy(csvSpool, out));
        } catch (IOException e) {
          throw WmException.io(Cli.ioMessage(e), e);
        }
      }
      copyToOut(spool);
    } finally {
      deleteQuietly(spool);
      if (csvSpool != null) {
        deleteQuietly(csvSpool);
      }
    }
    summarize(err, outcome, read, keyFiles);
    return WmCommand.EXIT_OK;
  }

  /** Input bytes per expected token of the tape hint: about 4 for English text (o200k, cl100k). */
  static final int BYTES_PER_TOKEN = 4;
  /**
   * Largest tape hint, shared by the keys of a run: a table of 2^23 slots (64 MB), what a tape of
   * 3M tuples grows to.
   */
  static final long MAX_TAPE_HINT = 3L << 20;

  /**
   * The size hint of the pooled tapes: the input files' total size in bytes / {@value
   * #BYTES_PER_TOKEN}, at most {@link #MAX_TAPE_HINT}; 0 (the default tape, which doubles from
   * small) when standard input is read or the files cannot be listed (the reader then reports
   * why). An estimate, not a bound: a tape still grows past it (text of fewer bytes per token),
   * and the table it allocates up front, 16 to 32 bytes per expected tuple, is at most 8 bytes
   * per input byte and 64 MB (the caller divides the hint among the keys), about what a tape of
   * that many distinct tuples grows to anyway (more when the input's bytes are mostly prompts,
   * JSON or repeated text).
   */
  static long tapeHint(List<String> inputs, Cli.Format format) {
    long bytes = 0;
    try {
      for (String in : InputFiles.expand(inputs, InputFiles.suffix(format == Cli.Format.JSONL))) {
        if (InputFiles.STDIN.equals(in)) {
          return 0;
        }
        bytes += Files.size(Path.of(in));
      }
    } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
      return 0;
    }
    return tapeHint(bytes);
  }

  /** {@link #tapeHint(List, Cli.Format)} of a total input size in bytes (at least 0). */
  static long tapeHint(long bytes) {
    return Math.min(bytes / BYTES_PER_TOKEN, MAX_TAPE_HINT);
  }

  /** The document goes to a temporary file first, so that a failed run prints nothing to stdout. */
  private static Path createSpool() {
    try {
      return Files.createTempFile("wm-detect-", ".json");
    } catch (IOException e) {
      throw WmException.io("cannot create a temporary file: " + Cli.ioMessage(e), e);
    }
  }

  private void copyToOut(Path spool) {
    PrintWriter out = spec.commandLine().getOut();
    char[] buf = new char[1 << 16];
    try (Reader in = Files.newBufferedReader(spool, StandardCharsets.UTF_8)) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
      }
    } catch (IOException e) {
      throw WmException.io("cannot read the spool file " + spool + ": " + Cli.ioMessage(e), e);
    }
    out.flush();
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // Best effort: the result (or the error) matters more than a leftover temporary file.
    }
  }

  private List<KeyFile> loadKeys() {
    List<KeyFile> keyFiles = new ArrayList<>();
    for (Path p : keys) {
      keyFiles.add(Cli.loadKey(p));
    }
    WatermarkSpec first = keyFiles.get(0).spec();
    for (int i = 1; i < keyFiles.size(); i++) {
      WatermarkSpec s = keyFiles.get(i).spec();
      if (!s.tokenizer().equals(first.tokenizer()) || s.vocabSize() != first.vocabSize()) {
        throw WmException.key(String.format(Locale.ROOT,
            "tokenizer mismatch: %s uses %s (%d tokens) but %s uses %s (%d tokens); detect keys of one tokenizer at a time",
            keys.get(0), first.tokenizer(), first.vocabSize(), keys.get(i), s.tokenizer(), s.vocabSize()), null);
      }
    }
    return keyFiles;
  }

  private int[] special(WatermarkSpec first) {
    int[] special = new int[specialTokens.size()];
    for (int i = 0; i < special.length; i++) {
      int id = specialTokens.get(i);
      if (id < 0 || id >= first.vocabSize()) {
        throw WmException.usage(String.format(Locale.ROOT, "--special-token is not in [0, %d): %d", first.vocabSize(), id));
      }
      special[i] = id;
    }
    return special;
  }

  /** Records x alpha from which the summary says how many records may be flagged by chance. */
  static final double EXPECTED_FLAGS_SHOWN = 0.01;

  /** The stderr summary: verdict counts over the records, then each key's pooled test and the pool's verdict. */
  private void summarize(PrintWriter err, RunOutcome pool, ReadSummary read, List<KeyFile> keyFiles) {
    long[] counts = pool.documentVerdicts();
    int family = pool.documentFamily();
    err.println(String.format(Locale.ROOT, "%s (%s skipped): %d %s, %d %s, %d %s at alpha %s%s",
        Plural.of(pool.documents(), "record"), Plural.of(read.skippedLines(), "bad line"), counts[Verdict.FLAGGED.ordinal()],
        Verdict.FLAGGED, counts[Verdict.NOT_FLAGGED.ordinal()], Verdict.NOT_FLAGGED, counts[Verdict.INCONCLUSIVE.ordinal()],
        Verdict.INCONCLUSIVE, alpha, family > 1 ? String.format(Locale.ROOT, ", Holm over %d tests per record", family) : ""));
    if (pool.documents() * alpha >= EXPECTED_FLAGS_SHOWN) {
      // Each record is its own test: over many records some flags are expected by chance alone.
      err.println(String.format(Locale.ROOT, "each record is its own test at alpha %s: of %d records without the "
          + "watermark, up to %.2g are expected to be flagged by chance (records x alpha, over keys), and "
          + "near-duplicate records are flagged together; the pooled test is one test of the whole input", alpha,
          pool.documents(), pool.documents() * alpha));
    }
    MultiKeyResult m = pool.pooled();
    for (int i = 0; i < m.entries().size(); i++) {
      MultiKeyResult.Entry e = m.entries().get(i);
      DetectionResult r = e.result();
      String holm = m.family() == 1 ? "" : String.format(Locale.ROOT, " (Holm-corrected %.1f)", e.log10PCorrected() + 0.0);
      err.println(String.format(Locale.ROOT, "pooled, key %s: %s, %s %.3f vs %.3f, log10 p = %.1f%s, %s",
          r.keyId(), Plural.of(r.tokensScored(), "tuple"), rateName(keyFiles.get(i).spec().scheme()), r.rate(), r.nullRate(),
          r.log10P() + 0.0, holm, e.verdict()));
    }
    err.println("pooled verdict: " + m.verdict() + ": " + Claim.DETECT_POOLED.sentence(m.verdict(), m.claimKeys(), alpha));
    err.flush();
  }

  static String rateName(Scheme s) {
    switch (s) {
      case GREEN_LIST:
        return "green rate";
      case TOURNAMENT:
        return "mean g-value";
      default:
        return "mean score";
    }
  }
}
