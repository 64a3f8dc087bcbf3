package dev.radiomark.verify.spark;

import static org.apache.spark.sql.functions.arrays_zip;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.radiomark.key.KeyFile;
import dev.radiomark.ledger.ServedWindowLedger;
import dev.radiomark.verify.DetectionResult;
import dev.radiomark.verify.NullModel;
import dev.radiomark.verify.Verdict;
import dev.radiomark.verify.radioactivity.ClosedModelTest;
import dev.radiomark.verify.text.InputFormatException;
import dev.radiomark.verify.text.JsonlReader;
import dev.radiomark.verify.text.TextRecord;
import com.google.common.collect.Iterators;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Scores a JSON Lines or Parquet input on Spark under one or many keys, with the rules and the
 * results of {@code wm detect}.
 *
 * <p>One pass over the input scores every record under every key ({@link RecordScorer}, the
 * library's {@code Detector}); the records are kept (memory, then disk) for the per-record results;
 * their scored tuples are then de-duplicated across the whole input with Spark's shuffle, exactly:
 * one tuple per distinct (key, tuple identity), the identity of {@code Detector.identity}, so the
 * pooled tuple count and score are those of one {@code Detector.Tape} fed every record in input
 * order. Green-list and tournament scores are integers, so their sum is exact in any order; Gumbel
 * scores are summed in the tape's order (each tuple at its first occurrence, each record's sum in
 * position order, the records' sums in line order), so the pooled score, and hence the exact log10 p,
 * are equal bit for bit to the single-machine path. Cost grows with tokens x keys: each record is
 * scored under every key, and the shuffle carries one row (key, identity, score; with Gumbel also
 * line and position) per scored tuple and key that is new within its partition.
 *
 * <p>With {@link #withLedgers}, the supervised closed test: only windows served under each key
 * are scored, as {@code wm verify --mode closed --ledger} scores them.
 *
 * <pre>
 * ScanResult r = SparkScan.of(ScanKeys.files(List.of(Path.of("acme.key"))), ScanOptions.defaults())
 *     .run(spark, "hdfs:///suspect/*.jsonl");
 * r.pooled().result().verdict();
 * </pre>
 */
public final class SparkScan {
  private final ScanKeys keys;
  private final ScanOptions options;
  private final List<ServedWindowLedger> ledgers;

  private SparkScan(ScanKeys keys, ScanOptions options, List<ServedWindowLedger> ledgers) {
    this.keys = keys;
    this.options = options;
    this.ledgers = ledgers;
  }

  /**
   * A scan under the given keys.
   *
   * @param keys the keys, all of one tokenizer
   * @param options the options
   * @return the scan
   * @throws IllegalArgumentException if an argument is null or a special token is outside the vocabulary
   */
  public static SparkScan of(ScanKeys keys, ScanOptions options) {
    if (keys == null || options == null) {
      throw new IllegalArgumentException("keys and options must not be null");
    }
    int v = keys.load().get(0).spec().vocabSize();
    for (int t : options.specialTokens()) {
      if (t >= v) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, "special token is not in [0, %d): %d", v, t));
      }
    }
    return new SparkScan(keys, options, null);
  }

  /**
   * The supervised variant of {@code wm verify --mode closed --ledger}: each key scores only
   * positions whose window seed its served-window ledger holds ({@link ClosedModelTest}'s window
   * filter, applied before the de-duplication, so filtered positions never enter it). The pooled
   * tuple count, score and log10 p then equal {@link ClosedModelTest#run} with that ledger on the
   * same answers in input order whenever its budget is not reached (the scan has no budget: it
   * scores every tuple of the input). The ledgers travel to the executors as one broadcast variable.
   *
   * @param perKey one ledger per key, in key order; read when {@link #run} starts (windows recorded
   *     later are not seen by that run)
   * @return a copy of this scan with the filter
   * @throws IllegalArgumentException if the list or a ledger is null, the count differs from the keys', a ledger belongs to another
   *     key fingerprint or spec, or a key uses the self-seeding window rule (the message is
   *     {@link ClosedModelTest#SELF_SEEDING_LEDGER})
   */
  public SparkScan withLedgers(List<ServedWindowLedger> perKey) {
    List<KeyFile> keyFiles = keys.load();
    if (perKey == null || perKey.size() != keyFiles.size()) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "ledgers: expected one per key (%d), got %s",
          keyFiles.size(), perKey == null ? "null" : Integer.toString(perKey.size())));
    }
    for (int i = 0; i < keyFiles.size(); i++) {
      if (perKey.get(i) == null) {
        throw new IllegalArgumentException("ledgers: the ledger of key " + i + " is null");
      }
      ClosedModelTest.builder(keyFiles.get(i).watermarker()).ledger(perKey.get(i)); // the test's own checks
    }
    return new SparkScan(keys, options, List.copyOf(perKey));
  }

  /** @return whether a ledger filters windows (the supervised variant) */
  public boolean supervised() {
    return ledgers != null;
  }

  /**
   * Runs the scan. Nothing is written; the result's datasets stay cached until
   * {@link ScanResult#close()}.
   *
   * @param spark the session
   * @param input a path Spark can read (file, directory or glob; {@code .gz} and other Hadoop codecs
   *     are decompressed)
   * @return the results
   * @throws InputFormatException in strict mode at the first bad record (by line), and in any
   *     mode at a record whose tokens are outside the vocabulary (as {@code wm detect})
   */
  public ScanResult run(SparkSession spark, String input) {
    Broadcast<List<ServedWindowLedger>> filter = ledgers == null ? null
        : JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(new ArrayList<>(ledgers));
    RecordScorer scorer = new RecordScorer(keys, options, input, filter);
    JavaRDD<Row> rows = options.format() == ScanOptions.Format.JSONL
        ? jsonl(spark, input, scorer, options.skipBad())
        : parquet(spark, input, scorer);
    Dataset<Row> scored = spark.createDataFrame(rows, RecordScorer.SCHEMA).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return finish(scored, input, filter);
    } catch (RuntimeException e) {
      scored.unpersist();
      if (filter != null) {
        filter.destroy();
      }
      throw e;
    }
  }

  private ScanResult finish(Dataset<Row> scored, String input, Broadcast<?> filter) {
    // One pass over the cached records for every count; errors first: a strict run fails before
    // anything is reported.
    Column isError = col("error").isNotNull();
    Column fatalError = options.skipBad() ? isError.and(col("skippable").equalTo(false)) : isError;
    Row totals = scored.agg(sum(when(isError, 1L).otherwise(0L)), sum(when(fatalError, 1L).otherwise(0L)),
        sum(when(isError, 0L).otherwise(1L)), sum(when(isError, 0L).otherwise(col("tokens").cast(DataTypes.LongType))),
        sum(when(col("verdict").equalTo(Verdict.FLAGGED.word()), 1L).otherwise(0L)),
        sum(when(col("verdict").equalTo(Verdict.NOT_FLAGGED.word()), 1L).otherwise(0L)),
        sum(when(col("verdict").equalTo(Verdict.INCONCLUSIVE.word()), 1L).otherwise(0L))).first();
    long[] t = new long[7];
    for (int i = 0; i < t.length; i++) {
      t[i] = totals.isNullAt(i) ? 0 : totals.getLong(i);
    }
    if (t[1] > 0) {
      Row first = scored.filter(fatalError).orderBy("line").select("line", "error").first();
      throw new InputFormatException(input, first.getInt(0), first.getString(1));
    }
    long skipped = t[0];
    List<String> firstErrors = new ArrayList<>();
    if (skipped > 0) {
      for (Row e : scored.filter(isError).orderBy("line").select("line", "error")
          .limit(JsonlReader.MAX_ERROR_MESSAGES).collectAsList()) {
        firstErrors.add(new InputFormatException(input, e.getInt(0), e.getString(1)).getMessage());
      }
    }
    long records = t[2];
    long tokens = t[3];
    long[] verdicts = new long[Verdict.values().length];
    verdicts[Verdict.FLAGGED.ordinal()] = t[4];
    verdicts[Verdict.NOT_FLAGGED.ordinal()] = t[5];
    verdicts[Verdict.INCONCLUSIVE.ordinal()] = t[6];
    Dataset<Row> ok = scored.filter(col("error").isNull());
    List<KeyFile> keyFiles = keys.load();
    int k = keyFiles.size();

    // Counts that do not depend on the de-duplication, summed per key.
    Dataset<Row> perKey = ok.select(posexplode(arrays_zip(col("k_read"), col("k_scored"), col("k_repeats"),
            col("k_prompt"), col("k_other"))).as(new String[] {"k", "c"}))
        .groupBy("k").agg(sum("c.k_read"), sum(col("c.k_scored").plus(col("c.k_repeats"))), sum("c.k_prompt"),
            sum("c.k_other"));
    long[][] c = new long[4][k];
    for (Row r : perKey.collectAsList()) {
      for (int j = 0; j < 4; j++) {
        c[j][r.getInt(0)] = r.getLong(1 + j);
      }
    }

    // The global, exact de-duplication: one row per distinct (key, identity).
    Dataset<Row> tuples = ok.select(col("line"), explode(arrays_zip(col("t_key"), col("t_id"), col("t_pos"),
        col("t_score"))).as("t"))
        .select(col("line"), col("t.t_key").as("k"), col("t.t_id").as("id"), col("t.t_pos").as("pos"),
            col("t.t_score").as("s"));
    Dataset<Row> pooled;
    if (RecordScorer.integerScores(keyFiles.get(0).spec().scheme()) && allIntegerScores(keyFiles)) {
      pooled = tuples.groupBy("k", "id").agg(first("s").as("s"))
          .groupBy("k").agg(count(lit(1)).as("n"), sum("s").as("score"));
    } else {
      // The tape's order of summation: first occurrences, by position within a record, by line across records.
      pooled = tuples.groupBy("k", "id").agg(min(struct(col("line"), col("pos"), col("s"))).as("f"))
          .groupBy(col("k"), col("f.line").as("line"))
          .agg(count(lit(1)).as("n"),
              expr("aggregate(array_sort(collect_list(struct(f.pos AS pos, f.s AS s))), 0D, (acc, x) -> acc + x.s)")
                  .as("rs"))
          .groupBy("k").agg(sum("n").as("n"),
              expr("aggregate(array_sort(collect_list(struct(line, rs))), 0D, (acc, x) -> acc + x.rs)").as("score"));
    }
    long[] n = new long[k];
    double[] score = new double[k];
    for (Row r : pooled.collectAsList()) {
      n[r.getInt(0)] = r.getLong(1);
      score[r.getInt(0)] = r.getDouble(2);
    }
    List<DetectionResult> results = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      NullModel nm = NullModel.of(keyFiles.get(i).spec());
      results.add(new DetectionResult(keyFiles.get(i).key().id(), c[0][i], n[i], c[1][i] - n[i], c[2][i], c[3][i],
          score[i], nm.meanPerTuple(), nm.rateScale(), nm.log10P(n[i], score[i])));
    }
    return new ScanResult(scored, ok, keyFiles, options.alpha(), records, tokens, results, verdicts, skipped, firstErrors,
        filter);
  }

  private static boolean allIntegerScores(List<KeyFile> keyFiles) {
    for (KeyFile kf : keyFiles) {
      if (!RecordScorer.integerScores(kf.spec().scheme())) {
        return false;
      }
    }
    return true;
  }

  /** JSON Lines split on LF only (as {@link JsonlReader}), numbered by line across the whole input. */
  private static JavaRDD<Row> jsonl(SparkSession spark, String input, RecordScorer scorer, boolean skipBad) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration conf = new Configuration(sc.hadoopConfiguration());
    conf.set("textinputformat.record.delimiter", "\n");
    String maxSplit = "mapreduce.input.fileinputformat.split.maxsize";
    if (conf.get(maxSplit) == null) {
      // At least two splits per core of the default parallelism (a file below a block is otherwise one task).
      conf.setLong(maxSplit, Math.max(1L << 20, inputBytes(input, conf) / (2L * sc.defaultParallelism()) + 1));
    }
    JavaPairRDD<LongWritable, Text> lines = sc.newAPIHadoopFile(input, TextInputFormat.class, LongWritable.class,
        Text.class, conf);
    JavaPairRDD<byte[], Long> numbered = lines.map(t -> t._2().copyBytes()).zipWithIndex();
    return numbered.mapPartitions(it -> parseAndScore(it, input, scorer, skipBad));
  }

  private static long inputBytes(String input, Configuration conf) {
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(input);
      FileSystem fs = p.getFileSystem(conf);
      FileStatus[] matches = fs.globStatus(p);
      long total = 0;
      if (matches != null) {
        for (FileStatus st : matches) {
          total += fs.getContentSummary(st.getPath()).getLength();
        }
      }
      return total;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read input " + input + ": " + e.getMessage(), e);
    }
  }

  private static Iterator<Row> parseAndScore(Iterator<Tuple2<byte[], Long>> it, String input, RecordScorer scorer,
      boolean skipBad) {
    JsonlReader reader = JsonlReader.strict(input);
    // Lazy: one record in memory at a time; blank lines give null and are dropped.
    return Iterators.filter(Iterators.transform(it, t -> {
      int line = lineNumber(t._2());
      TextRecord r;
      try {
        r = reader.parseLine(t._1(), t._1().length, line);
      } catch (InputFormatException e) {
        return scorer.error(e, true);
      }
      return r == null ? null : scorer.score(r);
    }), Objects::nonNull);
  }

  private static int lineNumber(long index) {
    if (index >= Integer.MAX_VALUE) {
      throw new IllegalArgumentException("an input of more than 2^31 - 1 lines: split it into several inputs");
    }
    return (int) index + 1;
  }

  /** Parquet rows, numbered from 1 in reading order; columns as {@link ScanOptions.Format#PARQUET}. */
  private static JavaRDD<Row> parquet(SparkSession spark, String input, RecordScorer scorer) {
    Dataset<Row> df = spark.read().parquet(input);
    Set<String> names = Set.of(df.columns());
    if (!names.contains("text") && !names.contains("tokens")) {
      throw new InputFormatException(input, 1, "a Parquet input needs a column \"text\" (string) or \"tokens\" (array of int)");
    }
    List<Column> cols = new ArrayList<>();
    for (String name : List.of("id", "text", "tokens", "prompt", "prompt_tokens")) {
      if (names.contains(name)) {
        checkType(input, name, df.schema().apply(name));
        DataType cast = name.equals("id") ? DataTypes.StringType : null;
        cols.add(cast == null ? col(name) : col(name).cast(cast).as(name));
      } else {
        cols.add(lit(null).cast(name.endsWith("tokens") ? DataTypes.createArrayType(DataTypes.IntegerType)
            : DataTypes.StringType).as(name));
      }
    }
    JavaPairRDD<Row, Long> numbered = df.select(cols.toArray(new Column[0])).javaRDD().zipWithIndex();
    return numbered.mapPartitions(it -> Iterators.transform(it, t -> {
      int line = lineNumber(t._2());
      try {
        return scorer.score(record(input, t._1(), line));
      } catch (InputFormatException e) {
        return scorer.error(e, true);
      }
    }));
  }

  private static void checkType(String input, String name, StructField f) {
    DataType t = f.dataType();
    boolean ok = switch (name) {
      case "id" -> t == DataTypes.StringType || t == DataTypes.LongType || t == DataTypes.IntegerType;
      case "text", "prompt" -> t == DataTypes.StringType;
      default -> t instanceof ArrayType a && (a.elementType() == DataTypes.IntegerType
          || a.elementType() == DataTypes.LongType);
    };
    if (!ok) {
      throw new InputFormatException(input, 1, String.format(Locale.ROOT,
          "column \"%s\" has type %s; expected %s", name, t.simpleString(),
          name.equals("id") ? "string or integer" : name.endsWith("tokens") ? "array<int>" : "string"));
    }
  }

  private static TextRecord record(String input, Row row, int line) {
    String id = row.isNullAt(0) ? TextRecord.defaultId(line) : row.getString(0);
    String text = row.isNullAt(1) ? null : row.getString(1);
    int[] tokens = row.isNullAt(2) ? null : ids(input, line, "tokens", row.getList(2));
    String prompt = row.isNullAt(3) ? null : row.getString(3);
    int[] promptTokens = row.isNullAt(4) ? null : ids(input, line, "prompt_tokens", row.getList(4));
    if (text != null && tokens != null) {
      throw new InputFormatException(input, line, "give either \"text\" or \"tokens\", not both");
    }
    if (text == null && tokens == null) {
      throw new InputFormatException(input, line, "\"text\" and \"tokens\" are both null");
    }
    if (prompt != null && promptTokens != null) {
      throw new InputFormatException(input, line, "give either \"prompt\" or \"prompt_tokens\", not both");
    }
    return new TextRecord(line, id, prompt, text == null ? "" : text, tokens, promptTokens);
  }

  private static int[] ids(String input, int line, String field, List<Object> xs) {
    int[] out = new int[xs.size()];
    for (int i = 0; i < out.length; i++) {
      Object x = xs.get(i);
      long v = x == null ? -1 : ((Number) x).longValue();
      if (v < 0 || v > Integer.MAX_VALUE) {
        throw new InputFormatException(input, line, String.format(Locale.ROOT,
            "\"%s\"[%d] is not a token id (an integer in [0, %d]): %s", field, i, Integer.MAX_VALUE, x));
      }
      out[i] = (int) v;
    }
    return out;
  }
}
