package dev.radiomark.verify.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wm scan}: {@code wm detect} on Apache Spark, for inputs and key counts beyond one
 * machine: JSON Lines or Parquet, one or many keys (or the tenant sub-keys of one master key),
 * tuples de-duplicated exactly across the whole input. Prints the JSON document of
 * {@code wm detect} (same fields; {@code "segments"} is always false), and with {@code --out}
 * writes the per-record and per-key results as Parquet. Runs embedded ({@code --master local[*]},
 * the default) or under {@code spark-submit}.
 *
 * <p>Needs Spark on the class path; without it the command exits 2 (usage) with a line saying how
 * to run it. This class touches no Spark type, so that it loads without Spark; the work is in
 * {@link ScanRunner}.
 */
@Command(name = "scan", mixinStandardHelpOptions = true,
    description = {"Tests texts for a watermark on Apache Spark under one or many keys (wm detect at scale).",
        "Tuples are de-duplicated exactly across the whole input; results equal wm detect's.",
        "Prints the JSON document of wm detect on stdout (or --json FILE) and a summary on stderr."},
    footer = {"", "Exit codes: 0 ok, 1 internal error, 2 usage (also: Spark not on the class path), 3 input,",
        "4 key, 5 I/O (also: --out exists, the Spark job failed). See docs/spark.md."})
final class ScanCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--key", required = true, paramLabel = "FILE",
      description = "key file (repeatable; all keys must use the same tokenizer); with --tenants, the master key")
  List<Path> keys;

  @Option(names = "--tenants", paramLabel = "FILE",
      description = "test the tenant sub-keys of the one --key (master) for these labels, one per line (attribution)")
  Path tenants;

  @Option(names = "--ledger", paramLabel = "FILE",
      description = "served-window ledger (the supervised test of wm verify --mode closed --ledger): score only positions "
          + "whose window the ledger holds; repeatable: files of one key are merged, and every key needs one (matched by "
          + "key fingerprint); refused for self-seeding keys")
  List<Path> ledgers = new ArrayList<>();

  @Option(names = "--input", required = true, paramLabel = "PATH",
      description = "input file, directory or glob that Spark can read (local path, hdfs://, s3a://, ...)")
  String input;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "jsonl",
      description = "jsonl (as wm detect) or parquet (columns text or tokens, optional id, prompt or prompt_tokens); default ${DEFAULT-VALUE}")
  String format;

  @Option(names = "--skip-bad", description = "skip and count malformed records instead of failing")
  boolean skipBad;

  @Option(names = "--nfc", description = "apply Unicode NFC normalization before tokenizing")
  boolean nfc;

  @Option(names = "--alpha", paramLabel = "A", defaultValue = "1e-6",
      description = "family-wise significance level in (0, 1) of each verdict (Holm over the keys); default ${DEFAULT-VALUE}")
  double alpha;

  @Option(names = "--special-token", paramLabel = "ID", description = "token id never scored (repeatable)")
  List<Integer> specialTokens = new ArrayList<>();

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master, for example local[2]; default: spark-submit's, else local[*]")
  String master;

  @Option(names = "--shuffle-partitions", paramLabel = "N",
      description = "spark.sql.shuffle.partitions of the de-duplication; default: the session's (200), or 4 x cores in local mode")
  Integer shufflePartitions;

  @Option(names = "--out", paramLabel = "DIR",
      description = "also write DIR/records and DIR/keys as Parquet (DIR must not exist; renamed into place when complete)")
  String out;

  @Option(names = "--json", paramLabel = "FILE",
      description = "write the JSON document to FILE (atomically) instead of stdout")
  Path report;

  @Option(names = "--pooled-only", description = "leave the per-record results out of the JSON document (they stay in --out)")
  boolean pooledOnly;

  /** Exit code when Spark is not on the class path. */
  static final int EXIT_NO_SPARK = WmCommand.EXIT_USAGE;

  @Override
  public Integer call() throws Exception {
    Cli.checkAlpha(alpha);
    if (!sparkPresent()) {
      throw WmException.of(EXIT_NO_SPARK, "Apache Spark is not on the class path: run wm scan with the ./wm launcher "
          + "after mvn package (it adds watermark-verify/target/spark-classpath.txt), or with spark-submit (docs/spark.md)");
    }
    return new ScanRunner(this).run();
  }

  static boolean sparkPresent() {
    try {
      Class.forName("org.apache.spark.sql.SparkSession", false, ScanCommand.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
