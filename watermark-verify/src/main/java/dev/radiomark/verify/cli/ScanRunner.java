package dev.radiomark.verify.cli;

import dev.radiomark.io.AtomicFiles;
import dev.radiomark.key.KeyFile;
import dev.radiomark.ledger.ServedWindowLedger;
import dev.radiomark.verify.Claim;
import dev.radiomark.verify.DetectionResult;
import dev.radiomark.verify.MultiKeyResult;
import dev.radiomark.verify.Verdict;
import dev.radiomark.verify.result.KeyInfo;
import dev.radiomark.verify.result.RunInfo;
import dev.radiomark.verify.result.RunOutcome;
import dev.radiomark.verify.spark.ScanKeys;
import dev.radiomark.verify.spark.ScanOptions;
import dev.radiomark.verify.spark.ScanResult;
import dev.radiomark.verify.spark.SparkScan;
import dev.radiomark.verify.text.InputFormatException;
import dev.radiomark.verify.text.ReadSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** The Spark side of {@link ScanCommand}, loaded only when Spark is on the class path. */
final class ScanRunner {
  private final ScanCommand c;

  ScanRunner(ScanCommand c) {
    this.c = c;
  }

  int run() {
    ScanOptions.Format format = switch (c.format.toLowerCase(Locale.ROOT)) {
      case "jsonl" -> ScanOptions.Format.JSONL;
      case "parquet" -> ScanOptions.Format.PARQUET;
      default -> throw WmException.usage("--format is not jsonl or parquet: " + c.format);
    };
    if (c.shufflePartitions != null && c.shufflePartitions < 1) {
      throw WmException.usage("--shuffle-partitions is not positive: " + c.shufflePartitions);
    }
    ScanKeys keys = keys();
    int[] special = c.specialTokens.stream().mapToInt(Integer::intValue).toArray();
    SparkScan scan;
    try {
      scan = SparkScan.of(keys, new ScanOptions(format, c.alpha, c.skipBad, c.nfc, special));
    } catch (IllegalArgumentException e) {
      throw WmException.usage("--special-token: " + e.getMessage());
    }
    List<ServedWindowLedger> ledgers = null;
    if (!c.ledgers.isEmpty()) {
      List<KeyFile> kfs = keys.load();
      List<String> names = new ArrayList<>();
      for (int i = 0; i < kfs.size(); i++) {
        names.add(c.tenants == null ? c.keys.get(i).toString() : c.keys.get(0) + ", tenant sub-key " + kfs.get(i).key().id());
      }
      ledgers = LedgerMatch.match(c.ledgers, kfs.stream().map(KeyFile::watermarker).toList(), names,
          c.spec.commandLine().getErr());
      scan = scan.withLedgers(ledgers); // refuses self-seeding keys as wm verify does (exit 2)
    }
    if (c.out != null && !c.out.contains("://") && Files.exists(Path.of(c.out))) {
      throw WmException.io("--out: the directory exists: " + c.out, null);
    }
    if (!c.input.contains("://") && !c.input.contains("*") && !Files.exists(Path.of(c.input))) {
      throw WmException.io("cannot read input: " + c.input + ": no such file", null);
    }
    boolean ours = SparkSession.getDefaultSession().isEmpty();
    long t0 = System.nanoTime();
    SparkSession spark = session();
    long t1 = System.nanoTime();
    PrintWriter err = c.spec.commandLine().getErr();
    try (ScanResult r = run(scan, spark)) {
      long t2 = System.nanoTime();
      Path spool = Files.createTempFile("wm-scan-", ".json");
      try {
        try (Writer w = Files.newBufferedWriter(spool, StandardCharsets.UTF_8)) {
          DetectJson json = new DetectJson(w, false);
          if (ledgers != null) {
            json.supervised(ledgers.stream().map(Cli::ledgerJson).toList());
          }
          List<KeyInfo> keyInfos = keys.load().stream().map(k -> KeyInfo.of(k.watermarker())).toList();
          json.start(new RunInfo("scan", "text", c.alpha, r.pooled().correction(), r.tokenizer(), keyInfos, c.input,
              null, Reports.version(), Map.of()));
          if (!c.pooledOnly) {
            r.forEachRecord(rec -> {
              try {
                json.document(rec.id(), rec.line(), rec.tokens(), rec.promptTokens(), rec.result());
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
          }
          MultiKeyResult pooled = r.pooled();
          ReadSummary read = new ReadSummary((int) Math.min(r.records(), Integer.MAX_VALUE),
              (int) Math.min(r.skippedRecords(), Integer.MAX_VALUE), r.firstErrors());
          json.finish(new RunOutcome(Claim.DETECT_POOLED, pooled.verdict(),
              Claim.DETECT_POOLED.sentence(pooled.verdict(), pooled.claimKeys(), c.alpha), List.of(), r.records(),
              r.tokens(), r.recordVerdicts(), r.recordFamily(), read, pooled, null));
        }
        if (c.out != null) {
          try {
            r.writeParquet(c.out);
          } catch (IllegalArgumentException e) {
            throw WmException.io("--out: " + e.getMessage(), e);
          }
        }
        if (c.report != null) {
          AtomicFiles.replace(c.report, o -> Files.copy(spool, o));
        } else {
          PrintWriter out = c.spec.commandLine().getOut();
          out.write(Files.readString(spool, StandardCharsets.UTF_8));
          out.flush();
        }
      } finally {
        Files.deleteIfExists(spool);
      }
      summarize(err, r, keys.load());
      err.println(String.format(Locale.ROOT, "time: session %.1f s, scan %.1f s (%.3g tokens x keys per second), report %.1f s",
          (t1 - t0) / 1e9, (t2 - t1) / 1e9, r.tokens() * (double) keys.size() / ((t2 - t1) / 1e9),
          (System.nanoTime() - t2) / 1e9));
      err.flush();
    } catch (IOException | UncheckedIOException e) {
      throw WmException.io(Cli.ioMessage(e), e);
    } finally {
      if (ours) {
        spark.stop(); // a session that was there before (a test, a notebook) stays up
      }
    }
    return WmCommand.EXIT_OK;
  }

  private ScanResult run(SparkScan scan, SparkSession spark) {
    try {
      return scan.run(spark, c.input);
    } catch (InputFormatException e) {
      throw e;
    } catch (RuntimeException e) {
      InputFormatException cause = findCause(e, InputFormatException.class);
      if (cause != null) {
        throw cause;
      }
      throw WmException.io("the Spark job failed: " + rootMessage(e), e);
    }
  }

  private ScanKeys keys() {
    List<KeyFile> loaded = new ArrayList<>();
    for (Path p : c.keys) {
      loaded.add(Cli.loadKey(p)); // errors name the file, exit 4
    }
    try {
      if (c.tenants != null) {
        if (c.keys.size() != 1) {
          throw WmException.usage("--tenants needs exactly one --key (the master key): got " + c.keys.size());
        }
        List<String> labels = new ArrayList<>();
        for (String line : Files.readAllLines(c.tenants, StandardCharsets.UTF_8)) {
          String t = line.strip();
          if (!t.isEmpty() && !t.startsWith("#")) {
            labels.add(t);
          }
        }
        if (labels.isEmpty()) {
          throw WmException.usage("--tenants: no labels in " + c.tenants);
        }
        return ScanKeys.tenants(c.keys.get(0), labels);
      }
      return ScanKeys.files(c.keys);
    } catch (IOException e) {
      throw WmException.io("--tenants: " + Cli.ioMessage(e), e);
    } catch (IllegalArgumentException e) {
      throw WmException.key(e.getMessage(), e);
    }
  }

  private SparkSession session() {
    SparkSession.Builder b = SparkSession.builder().appName("wm scan");
    String m = c.master;
    if (m == null && System.getProperty("spark.master") == null) {
      m = "local[*]";
    }
    if (m != null) {
      b.master(m);
      if (m.startsWith("local")) {
        b.config("spark.ui.enabled", "false");
        if (c.shufflePartitions == null) {
          b.config("spark.sql.shuffle.partitions", String.valueOf(4 * Runtime.getRuntime().availableProcessors()));
        }
      }
    }
    if (c.shufflePartitions != null) {
      b.config("spark.sql.shuffle.partitions", String.valueOf(c.shufflePartitions));
    }
    return b.getOrCreate();
  }

  private static <T extends Throwable> T findCause(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return m.lines().findFirst().orElse(m);
  }

  /** The stderr summary: record verdicts, the pooled keys (flagged ones first when many), the pool's verdict. */
  private void summarize(PrintWriter err, ScanResult r, List<KeyFile> keyFiles) {
    long[] counts = r.recordVerdicts();
    err.println(String.format(Locale.ROOT, "%d records (%d bad records skipped), %d tokens: %d %s, %d %s, %d %s at alpha %s",
        r.records(), r.skippedRecords(), r.tokens(), counts[Verdict.FLAGGED.ordinal()], Verdict.FLAGGED,
        counts[Verdict.NOT_FLAGGED.ordinal()], Verdict.NOT_FLAGGED, counts[Verdict.INCONCLUSIVE.ordinal()],
        Verdict.INCONCLUSIVE, c.alpha));
    MultiKeyResult m = r.pooled();
    int shown = 0;
    for (int i = 0; i < m.entries().size(); i++) {
      MultiKeyResult.Entry e = m.entries().get(i);
      if (m.entries().size() > 20 && e.verdict() != Verdict.FLAGGED) {
        continue; // with many keys (attribution), list only the flagged ones
      }
      DetectionResult d = e.result();
      err.println(String.format(Locale.ROOT, "pooled, key %s: %d tuples, %s %.3f vs %.3f, log10 p = %.1f (Holm-corrected %.1f), %s",
          d.keyId(), d.tokensScored(), DetectCommand.rateName(keyFiles.get(i).spec().scheme()), d.rate(), d.nullRate(),
          d.log10P() + 0.0, e.log10PCorrected() + 0.0, e.verdict()));
      shown++;
    }
    if (m.entries().size() > 20) {
      err.println(String.format(Locale.ROOT, "%d of %d keys flagged (Holm over %d)", shown, m.entries().size(), m.family()));
    }
    if (r.supervised()) {
      err.println("supervised: only windows in each key's --ledger were scored (every tuple of the input; no --budget)");
    }
    err.println("pooled verdict: " + m.verdict() + ": " + Claim.DETECT_POOLED.sentence(m.verdict(), m.claimKeys(), c.alpha));
    err.flush();
  }
}
