package dev.radiomark.verify.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.radiomark.Scheme;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.key.KeyFile;
import dev.radiomark.verify.DetectionResult;
import dev.radiomark.verify.Detector;
import dev.radiomark.verify.DetectorConfig;
import dev.radiomark.verify.MultiKey;
import dev.radiomark.verify.MultiKeyResult;
import dev.radiomark.verify.SegmentResult;
import dev.radiomark.verify.SegmentSearch;
import dev.radiomark.verify.text.TextBatch;
import dev.radiomark.verify.text.TextRecord;
import dev.radiomark.verify.text.TextTokenizer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wm detect}: scores every input record, and all records pooled, under one or more keys.
 *
 * <p>Output (one JSON document, written only on success):
 * <pre>
 * {"alpha": A, "tokenizer": "o200k_base", "skipped_lines": N, "skip_errors": ["FILE:LINE: ..."],
 *  "records": [{"id", "line", "tokens", "prompt_tokens", RESULT...}],
 *  "pooled": {"records", RESULT...}}
 * RESULT = "key_id", "tokens_scored", "score", "rate", "null_rate", "p_value", "log10_p", "fires",
 *          ["segment": {...}] with --segments, and with several keys
 *          "log10_p_raw" and "keys": [{"key_id", ..., "log10_p", "log10_p_corrected", "fires"}]
 * </pre>
 * With one key the result is that key's. With several keys the top-level fields are those of
 * the key with the smallest p-value, {@code log10_p} is its Holm-corrected value (the
 * family-wise p-value that any key is present) and {@code log10_p_raw} the uncorrected one.
 * {@code p_value = 10^log10_p} is for display and may be 0; decide with {@code log10_p} or
 * {@code fires}. Non-finite numbers (the rate of an empty text) are written as null.
 */
@Command(name = "detect", mixinStandardHelpOptions = true,
    description = {"Tests texts for a watermark under one or more keys, with exact p-values.",
        "Prints one JSON document on stdout and a summary per key on stderr."})
final class DetectCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--key", required = true, paramLabel = "FILE",
      description = "key file (repeatable; all keys must use the same tokenizer)")
  List<Path> keys;

  @Option(names = "--input", required = true, paramLabel = "FILE", description = "input file, or - for stdin")
  String input;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "jsonl",
      description = "jsonl (one {\"text\", \"prompt\", \"id\"} object per line) or text (the whole input is one text); default ${DEFAULT-VALUE}")
  Cli.Format format;

  @Option(names = "--skip-bad", description = "skip and count malformed JSONL lines instead of failing")
  boolean skipBad;

  @Option(names = "--dedup", paramLabel = "MODE", defaultValue = "tuple",
      description = "score each distinct (window, token) tuple once (tuple, default) or each window once (window)")
  Cli.DedupOption dedup;

  @Option(names = "--nfc", description = "apply Unicode NFC normalization before tokenizing")
  boolean nfc;

  @Option(names = "--alpha", paramLabel = "A", defaultValue = "1e-6",
      description = "significance level in (0, 1) for 'fires' (family-wise with several keys); default ${DEFAULT-VALUE}")
  double alpha;

  @Option(names = "--segments", description = "also search each record for its most watermarked segment")
  boolean segments;

  @Option(names = "--min-segment", paramLabel = "N", defaultValue = "16",
      description = "smallest segment in scored tuples, in [2, 1048576]; default ${DEFAULT-VALUE}")
  int minSegment;

  @Option(names = "--special-token", paramLabel = "ID", description = "token id never scored (repeatable)")
  List<Integer> specialTokens = new ArrayList<>();

  @Override
  public Integer call() {
    Cli.checkAlpha(alpha);
    SegmentSearch search = null;
    if (segments) {
      try {
        search = SegmentSearch.withMinLength(minSegment);
      } catch (IllegalArgumentException e) {
        throw WmException.usage("--min-segment: " + e.getMessage());
      }
    }
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
    TextTokenizer tok = Cli.tokenizerFor(first, nfc);
    int[] special = new int[specialTokens.size()];
    for (int i = 0; i < special.length; i++) {
      int id = specialTokens.get(i);
      if (id < 0 || id >= first.vocabSize()) {
        throw WmException.usage(String.format(Locale.ROOT, "--special-token is not in [0, %d): %d", first.vocabSize(), id));
      }
      special[i] = id;
    }
    DetectorConfig config = DetectorConfig.defaults().withDedup(dedup.dedup()).withSpecialTokens(special);
    int k = keyFiles.size();
    Detector[] detectors = new Detector[k];
    Detector.Tape[] tapes = new Detector.Tape[k];
    for (int i = 0; i < k; i++) {
      detectors[i] = Detector.of(keyFiles.get(i).watermarker(), config);
      tapes[i] = detectors[i].newTape();
    }

    TextBatch batch = Cli.readRecords(input, format, skipBad);
    ObjectNode doc = Cli.JSON.createObjectNode();
    doc.put("alpha", alpha);
    doc.put("tokenizer", first.tokenizer());
    doc.put("skipped_lines", batch.summary().skippedLines());
    ArrayNode errs = doc.putArray("skip_errors");
    batch.summary().firstErrors().forEach(errs::add);
    ArrayNode records = doc.putArray("records");
    int[] empty = new int[0];
    long totalTokens = 0;
    for (TextRecord r : batch.records()) {
      int[] prompt = r.hasPrompt() ? tok.encode(r.prompt()) : empty;
      int[] text = tok.encode(r.text());
      totalTokens += text.length;
      List<DetectionResult> results = new ArrayList<>(k);
      SegmentResult[] segs = search == null ? null : new SegmentResult[k];
      for (int i = 0; i < k; i++) {
        results.add(detectors[i].detect(prompt, text));
        tapes[i].add(prompt, text, null, null);
        if (search != null) {
          segs[i] = search.search(detectors[i], prompt, text);
        }
      }
      ObjectNode rec = records.addObject();
      rec.put("id", r.id());
      rec.put("line", r.lineNumber());
      rec.put("tokens", text.length);
      rec.put("prompt_tokens", prompt.length);
      putResult(rec, results, segs);
    }
    List<DetectionResult> pooled = new ArrayList<>(k);
    for (Detector.Tape t : tapes) {
      pooled.add(t.result());
    }
    ObjectNode pool = doc.putObject("pooled");
    pool.put("records", batch.records().size());
    pool.put("tokens", totalTokens);
    putResult(pool, pooled, null);

    summarize(spec.commandLine().getErr(), batch, pooled, keyFiles);
    Cli.writeJson(spec.commandLine().getOut(), doc);
    return WmCommand.EXIT_OK;
  }

  private void putResult(ObjectNode o, List<DetectionResult> results, SegmentResult[] segs) {
    if (results.size() == 1) {
      DetectionResult r = results.get(0);
      putFields(o, r, r.log10P());
      if (segs != null) {
        putSegment(o, segs[0]);
      }
      return;
    }
    MultiKeyResult mk = MultiKey.correct(results, alpha);
    int best = 0;
    for (int i = 1; i < results.size(); i++) {
      if (results.get(i).log10P() < results.get(best).log10P()) {
        best = i;
      }
    }
    MultiKeyResult.Entry b = mk.entries().get(best);
    putFields(o, b.result(), b.log10PCorrected());
    Cli.num(o, "log10_p_raw", b.result().log10P());
    ArrayNode arr = o.putArray("keys");
    for (int i = 0; i < results.size(); i++) {
      MultiKeyResult.Entry e = mk.entries().get(i);
      ObjectNode ko = arr.addObject();
      putFields(ko, e.result(), e.result().log10P());
      Cli.num(ko, "log10_p_corrected", e.log10PCorrected());
      ko.put("fires", e.fires());
      if (segs != null) {
        putSegment(ko, segs[i]);
      }
    }
  }

  private void putFields(ObjectNode o, DetectionResult r, double log10P) {
    o.put("key_id", r.keyId());
    o.put("tokens_scored", r.tokensScored());
    Cli.num(o, "score", r.score());
    Cli.num(o, "rate", r.rate());
    Cli.num(o, "null_rate", r.nullRate());
    Cli.num(o, "p_value", Math.pow(10, log10P));
    Cli.num(o, "log10_p", log10P);
    o.put("fires", log10P <= Math.log10(alpha));
  }

  private static void putSegment(ObjectNode o, SegmentResult s) {
    ObjectNode so = o.putObject("segment");
    so.put("start", s.start());
    so.put("end", s.end());
    so.put("tuples_scored", s.tuplesScored());
    Cli.num(so, "log10_p", s.log10P());
    Cli.num(so, "log10_p_raw", s.log10PRaw());
    so.put("segments_tried", s.segmentsTried());
  }

  private void summarize(PrintWriter err, TextBatch batch, List<DetectionResult> pooled, List<KeyFile> keyFiles) {
    double[] corrected = null;
    if (pooled.size() > 1) {
      MultiKeyResult mk = MultiKey.correct(pooled, alpha);
      corrected = mk.entries().stream().mapToDouble(MultiKeyResult.Entry::log10PCorrected).toArray();
    }
    err.println(String.format(Locale.ROOT, "%d records pooled, %d bad lines skipped",
        batch.records().size(), batch.summary().skippedLines()));
    double la = Math.log10(alpha);
    for (int i = 0; i < pooled.size(); i++) {
      DetectionResult r = pooled.get(i);
      double decide = corrected == null ? r.log10P() : corrected[i];
      String holm = corrected == null ? "" : String.format(Locale.ROOT, " (Holm-corrected %.1f)", corrected[i] + 0.0);
      err.println(String.format(Locale.ROOT, "key %s: %d tuples, %s %.3f vs %.3f, log10 p = %.1f%s, %s at %.1e",
          r.keyId(), r.tokensScored(), rateName(keyFiles.get(i).spec().scheme()), r.rate(), r.nullRate(),
          r.log10P() + 0.0, holm,
          decide <= la ? "FLAGGED" : "not flagged", alpha));
    }
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
