package dev.radiomark.verify.spark;

import static org.apache.spark.sql.functions.col;

import dev.radiomark.key.KeyFile;
import dev.radiomark.verify.DetectionResult;
import dev.radiomark.verify.MultiKey;
import dev.radiomark.verify.MultiKeyResult;
import dev.radiomark.verify.NullModel;
import dev.radiomark.verify.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The results of a {@link SparkScan}: the pooled tests of every key (exact de-duplication across
 * the input, Holm over the keys), counts, and the per-record results, which stay cached on the
 * cluster until {@link #close()} and are read in input order ({@link #forEachRecord}) or written as
 * Parquet ({@link #writeParquet}).
 */
public final class ScanResult implements AutoCloseable {
  private final Dataset<Row> cached;
  private final Dataset<Row> records;
  private final List<KeyFile> keys;
  private final double alpha;
  private final long recordCount;
  private final long tokens;
  private final List<DetectionResult> pooledResults;
  private final MultiKey family;
  private final long[] verdicts;
  private final long skipped;
  private final List<String> firstErrors;
  private final Broadcast<?> ledgers;

  ScanResult(Dataset<Row> cached, Dataset<Row> records, List<KeyFile> keys, double alpha, long recordCount,
      long tokens, List<DetectionResult> pooledResults, long[] verdicts, long skipped, List<String> firstErrors,
      Broadcast<?> ledgers) {
    this.ledgers = ledgers;
    this.cached = cached;
    this.records = records;
    this.keys = keys;
    this.alpha = alpha;
    this.recordCount = recordCount;
    this.tokens = tokens;
    this.pooledResults = List.copyOf(pooledResults);
    List<NullModel> nulls = new ArrayList<>();
    for (KeyFile k : keys) {
      nulls.add(NullModel.of(k.spec()));
    }
    this.family = MultiKey.of(nulls, alpha, false);
    this.verdicts = verdicts.clone();
    this.skipped = skipped;
    this.firstErrors = List.copyOf(firstErrors);
  }

  static Verdict verdictOf(String word) {
    for (Verdict v : Verdict.values()) {
      if (v.word().equals(word)) {
        return v;
      }
    }
    throw new IllegalStateException("unknown verdict: " + word);
  }

  /** @return the key ids, in key order */
  public List<String> keyIds() {
    return keys.stream().map(k -> k.key().id()).toList();
  }

  /** @return the keys' tokenizer name */
  public String tokenizer() {
    return keys.get(0).spec().tokenizer();
  }

  /** @return the family-wise level */
  public double alpha() {
    return alpha;
  }

  /** @return records scored (bad records skipped not included) */
  public long records() {
    return recordCount;
  }

  /** @return text tokens of the records scored */
  public long tokens() {
    return tokens;
  }

  /**
   * The pooled tests: per key, every record's tuples de-duplicated across the input, exact
   * log10 p; Holm-corrected over the keys.
   *
   * @return the corrected family
   */
  public MultiKeyResult pooled() {
    return family.correct(pooledResults);
  }

  /** @return how many records got each verdict, indexed by {@link Verdict#ordinal()} */
  public long[] recordVerdicts() {
    return verdicts.clone();
  }

  /** @return the number of tests in each record's family (the number of keys) */
  public int recordFamily() {
    return keys.size();
  }

  /** @return bad records skipped ({@code skipBad}) */
  public long skippedRecords() {
    return skipped;
  }

  /** @return the first {@code JsonlReader.MAX_ERROR_MESSAGES} errors of skipped records, by line */
  public List<String> firstErrors() {
    return firstErrors;
  }

  /**
   * Hands every record's result to {@code action} in input order, streaming them to the driver
   * one partition at a time.
   *
   * @param action receives each record
   */
  public void forEachRecord(Consumer<? super ScanRecord> action) {
    int k = keys.size();
    // The records keep the input's partition order (numbered, then mapped and filtered), so no sort.
    Iterator<Row> it = records.select("line", "id", "tokens", "prompt_tokens", "k_read", "k_scored",
        "k_repeats", "k_prompt", "k_other", "k_score", "k_log10_p").toLocalIterator();
    List<NullModel> nulls = new ArrayList<>(k);
    for (KeyFile kf : keys) {
      nulls.add(NullModel.of(kf.spec()));
    }
    List<String> ids = keyIds();
    while (it.hasNext()) {
      Row r = it.next();
      List<DetectionResult> results = new ArrayList<>(k);
      List<Long> read = r.getList(4);
      List<Long> scored = r.getList(5);
      List<Long> rep = r.getList(6);
      List<Long> prompt = r.getList(7);
      List<Long> other = r.getList(8);
      List<Double> score = r.getList(9);
      List<Double> log10P = r.getList(10);
      for (int i = 0; i < k; i++) {
        NullModel nm = nulls.get(i);
        results.add(new DetectionResult(ids.get(i), read.get(i), scored.get(i), rep.get(i), prompt.get(i),
            other.get(i), score.get(i), nm.meanPerTuple(), nm.rateScale(), log10P.get(i)));
      }
      action.accept(new ScanRecord(r.getString(1), r.getInt(0), r.getInt(2), r.getInt(3), family.correct(results)));
    }
  }

  /**
   * Writes {@code dir/records} (one row per record: line, id, tokens, prompt_tokens, verdict,
   * log10_p_corrected, and per key in key order the arrays tuples_scored, score, log10_p,
   * log10_p_corrected_by_key, verdict_by_key) and {@code dir/keys} (one row per key: key_index, key_id,
   * tuples_scored, score, rate, null_rate, log10_p, log10_p_corrected, verdict) as Parquet. Both are
   * written under a temporary sibling directory that is renamed to {@code dir} only when complete.
   *
   * @param dir the output directory, which must not exist
   * @throws IllegalArgumentException if {@code dir} exists
   * @throws UncheckedIOException if writing or renaming fails
   */
  public void writeParquet(String dir) {
    SparkSession spark = cached.sparkSession();
    Path out = new Path(dir);
    Path tmp = new Path(out.getParent() == null ? new Path(".") : out.getParent(),
        "." + out.getName() + ".partial-" + UUID.randomUUID());
    try {
      FileSystem fs = out.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(out)) {
        throw new IllegalArgumentException("output directory exists: " + dir);
      }
      try {
        records.select(col("line"), col("id"), col("tokens"), col("prompt_tokens"), col("verdict"),
                col("log10_p_corrected"), col("k_scored").as("tuples_scored"), col("k_score").as("score"),
                col("k_log10_p").as("log10_p"), col("k_log10_p_corrected").as("log10_p_corrected_by_key"),
                col("k_verdict").as("verdict_by_key"))
            .write().mode(SaveMode.ErrorIfExists).parquet(new Path(tmp, "records").toString());
        spark.createDataFrame(keyRows(), KEY_SCHEMA).coalesce(1).write().mode(SaveMode.ErrorIfExists)
            .parquet(new Path(tmp, "keys").toString());
        if (!fs.rename(tmp, out)) {
          throw new IOException("cannot rename " + tmp + " to " + out);
        }
      } finally {
        if (fs.exists(tmp)) {
          fs.delete(tmp, true);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir + ": " + e.getMessage(), e);
    }
  }

  private static final StructType KEY_SCHEMA = new StructType()
      .add("key_index", DataTypes.IntegerType, false)
      .add("key_id", DataTypes.StringType, false)
      .add("tuples_scored", DataTypes.LongType, false)
      .add("score", DataTypes.DoubleType, false)
      .add("rate", DataTypes.DoubleType, false)
      .add("null_rate", DataTypes.DoubleType, false)
      .add("log10_p", DataTypes.DoubleType, false)
      .add("log10_p_corrected", DataTypes.DoubleType, false)
      .add("verdict", DataTypes.StringType, false);

  private List<Row> keyRows() {
    MultiKeyResult m = pooled();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < m.entries().size(); i++) {
      MultiKeyResult.Entry e = m.entries().get(i);
      DetectionResult r = e.result();
      rows.add(RowFactory.create(i, r.keyId(), r.tokensScored(), r.score(), r.rate(), r.nullRate(), r.log10P(),
          e.log10PCorrected(), e.verdict().word()));
    }
    return rows;
  }

  /** @return whether ledgers filtered the windows (the supervised variant) */
  public boolean supervised() {
    return ledgers != null;
  }

  /** Releases the cached records and the broadcast ledgers. */
  @Override
  public void close() {
    cached.unpersist();
    if (ledgers != null) {
      ledgers.destroy();
    }
  }
}
