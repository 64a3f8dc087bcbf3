package dev.radiomark.examples.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.radiomark.DecodeState;
import dev.radiomark.Sampler;
import dev.radiomark.SamplingConfig;
import dev.radiomark.Watermarker;
import dev.radiomark.examples.lm.Corpus;
import dev.radiomark.examples.lm.LanguageModel;
import dev.radiomark.examples.lm.Models;
import dev.radiomark.key.KeyFile;
import dev.radiomark.key.KeyFiles;
import dev.radiomark.ledger.ServedWindowLedger;
import dev.radiomark.verify.cli.Plural;
import dev.radiomark.verify.cli.WmException;
import dev.radiomark.verify.text.InputFiles;
import dev.radiomark.verify.text.JsonlReader;
import dev.radiomark.verify.text.TextBatch;
import dev.radiomark.verify.text.TextRecord;
import dev.radiomark.verify.text.TextTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.commons.rng.simple.RandomSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wm generate}: the demo teacher answers prompts under a key, as serving code would; JSONL
 * out ({@code id}, {@code prompt}, {@code text}). Output is written only when every prompt was
 * answered.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Answer prompts (JSONL with a text field) with the demo teacher, watermarked under a key.")
public final class GenerateCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec
  CommandSpec spec;

  @Option(names = "--key", required = true, paramLabel = "FILE", description = "key file (tokenizer o200k_base)")
  Path key;

  @Option(names = "--input", required = true, arity = "1..*", paramLabel = "FILE|DIR",
      description = "prompts as JSONL: files or folders (read recursively for *.jsonl, in sorted path order, skipping "
          + "hidden names), or - for stdin; repeatable")
  List<String> inputs;

  @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "48", description = "tokens per answer (default: ${DEFAULT-VALUE})")
  int maxTokens;

  @Option(names = "--ledger", paramLabel = "FILE",
      description = "also record the served windows into this ledger file (an existing ledger of the key grows; it is never replaced)")
  Path ledgerFile;

  @Option(names = "--seed", paramLabel = "S", description = "seed of the non-keyed sampling randomness (default: random)")
  Long seed;

  /** Loads the existing ledger: damaged, or of another key or spec, is a key error (exit 4). */
  private ServedWindowLedger loadLedger(Watermarker wm) {
    ServedWindowLedger l;
    try {
      l = ServedWindowLedger.load(ledgerFile);
    } catch (UncheckedIOException | IllegalArgumentException e) {
      throw WmException.key(e.getMessage(), e);
    }
    if (!l.keyFingerprint().equals(wm.keyFingerprint()) || !l.specDescription().equals(wm.spec().describe())) {
      throw WmException.key(String.format(Locale.ROOT, "%s: ledger of key %s (fingerprint %s, %s), not of %s (fingerprint %s, %s)",
          ledgerFile, l.keyId(), l.keyFingerprint(), l.specDescription(), wm.keyId(), wm.keyFingerprint(),
          wm.spec().describe()), null);
    }
    return l;
  }

  @Override
  public Integer call() throws IOException {
    if (maxTokens < 1 || maxTokens > 4096) {
      throw WmException.usage("--max-tokens is not in [1, 4096]: " + maxTokens);
    }
    PrintWriter err = spec.commandLine().getErr();
    KeyFile kf;
    try {
      kf = KeyFiles.read(key, w -> err.println("wm: warning: " + w));
    } catch (UncheckedIOException | IllegalArgumentException e) {
      throw WmException.key(e.getMessage(), e);
    }
    if (!kf.spec().tokenizer().equals(DistillationDemo.TOKENIZER) || kf.spec().vocabSize() != Corpus.O200K_VOCAB_SIZE) {
      throw WmException.key(String.format(Locale.ROOT,
          "%s: tokenizer mismatch: the demo teacher uses %s (%d tokens), the key expects %s (%d tokens)", key,
          DistillationDemo.TOKENIZER, Corpus.O200K_VOCAB_SIZE, kf.spec().tokenizer(), kf.spec().vocabSize()), null);
    }
    Watermarker wm = kf.watermarker();
    ServedWindowLedger existing = ledgerFile == null || !Files.exists(ledgerFile) ? null : loadLedger(wm);
    List<String> sources;
    try {
      sources = InputFiles.expand(inputs, InputFiles.suffix(true));
    } catch (IllegalArgumentException e) {
      throw WmException.usage(e.getMessage());
    } catch (UncheckedIOException e) {
      throw WmException.io(e.getMessage(), e);
    }
    List<TextRecord> records = new ArrayList<>();
    List<String> recordSources = new ArrayList<>();
    for (String source : sources) {
      String name = InputFiles.displayName(source);
      TextBatch batch;
      try (InputStream in = source.equals(InputFiles.STDIN) ? System.in : Files.newInputStream(Path.of(source))) {
        batch = JsonlReader.strict(name).readAll(in);
      }
      for (TextRecord r : batch.records()) {
        // With several files, a record without an id is named FILE:LINE so that ids stay distinct.
        boolean rename = sources.size() > 1 && r.id().equals(TextRecord.defaultId(r.lineNumber()));
        records.add(rename ? new TextRecord(r.lineNumber(), name + ":" + r.lineNumber(), r.prompt(), r.text(),
            r.tokens(), r.promptTokens()) : r);
        recordSources.add(name);
      }
    }
    TextTokenizer tok = TextTokenizer.o200k();
    err.println("wm generate: training the demo teacher (Kneser-Ney, order 3)");
    LanguageModel teacher = Models.kneserNey(3, Corpus.kjv().tokens(Corpus.Part.TEACHER), Corpus.O200K_VOCAB_SIZE);
    Sampler sampler = wm.sampler(SamplingConfig.defaults().withTemperature(0.8).withTopP(0.95));
    DecodeState state = sampler.newState(seed == null ? RandomSource.XO_RO_SHI_RO_128_PP.create()
        : RandomSource.XO_RO_SHI_RO_128_PP.create(seed));
    // A ledger only grows: windows are recorded into the existing file's ledger when there is one.
    ServedWindowLedger ledger = existing != null ? existing : ledgerFile == null ? null
        : ServedWindowLedger.create(wm, Math.max(1000, (long) records.size() * maxTokens), 0.01);
    long before = ledger == null ? 0 : ledger.distinctWindows();
    StringBuilder buf = new StringBuilder();
    int[] ids = new int[50];
    float[] logits = new float[50];
    for (int r = 0; r < records.size(); r++) {
      TextRecord rec = records.get(r);
      int[] prompt = rec.textIds(tok, recordSources.get(r));
      int[] seq = Arrays.copyOf(prompt, prompt.length + maxTokens);
      state.reset();
      for (int len = prompt.length; len < seq.length; len++) {
        int n = teacher.topCandidates(seq, len, ids.length, ids, logits);
        seq[len] = sampler.sampleCandidates(ids, logits, n, seq, len, state);
      }
      if (ledger != null) {
        ledger.record(wm, seq, prompt.length, seq.length);
      }
      ObjectNode o = JSON.createObjectNode();
      o.put("id", rec.id());
      o.put("prompt", rec.text());
      o.put("text", tok.decode(seq, prompt.length, maxTokens));
      buf.append(JSON.writeValueAsString(o)).append('\n');
    }
    if (ledger != null) {
      try {
        ledger.save(ledgerFile);
      } catch (UncheckedIOException e) {
        throw WmException.io(e.getMessage(), e);
      }
      err.printf(Locale.ROOT, "wm generate: ledger %s: %s; now %s in %s, estimated FPR %.4g%n",
          ledgerFile, existing == null ? "new" : String.format(Locale.ROOT, "added %,d windows to the existing %,d",
              ledger.distinctWindows() - before, before),
          Plural.of(ledger.distinctWindows(), "window"), Plural.of(ledger.filterCount(), "filter"),
          ledger.estimatedFalsePositiveRate());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(buf);
    out.flush();
    err.printf(Locale.ROOT, "wm generate: %s of %d tokens under key %s%n", Plural.of(records.size(), "answer"),
        maxTokens, wm.keyId());
    err.flush();
    return 0;
  }
}
