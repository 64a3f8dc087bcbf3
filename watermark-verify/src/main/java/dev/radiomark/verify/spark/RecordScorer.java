package dev.radiomark.verify.spark;

import dev.radiomark.Scheme;
import dev.radiomark.Watermarker;
import dev.radiomark.key.KeyFile;
import dev.radiomark.ledger.ServedWindowLedger;
import dev.radiomark.verify.DetectionResult;
import dev.radiomark.verify.Detector;
import dev.radiomark.verify.DetectorConfig;
import dev.radiomark.verify.MultiKey;
import dev.radiomark.verify.MultiKeyResult;
import dev.radiomark.verify.NullModel;
import dev.radiomark.verify.text.InputFormatException;
import dev.radiomark.verify.text.Normalization;
import dev.radiomark.verify.text.TextRecord;
import dev.radiomark.verify.text.TextTokenizer;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongPredicate;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Scores one record under every key on an executor, with the library's {@link Detector}: each
 * key's record result (a fresh tape, exactly {@code Detector.detect}), the record's family
 * corrected by {@link MultiKey}, and the record's scored tuples (key, identity, position, score)
 * that survive the record's own exclusions and de-duplication, for the global de-duplication.
 * With ledgers, each key's tape admits only positions whose window seed its ledger holds (the
 * window filter of {@code ClosedModelTest}); the ledgers arrive as one broadcast variable, read
 * once per executor JVM.
 */
final class RecordScorer implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Schema of a scored record (one row per input line or Parquet row). */
  static final StructType SCHEMA = new StructType()
      .add("line", DataTypes.IntegerType, false)
      .add("id", DataTypes.StringType, true)
      .add("tokens", DataTypes.IntegerType, false)
      .add("prompt_tokens", DataTypes.IntegerType, false)
      // An input error: "detail" of the InputFormatException; skippable: a parse error that
      // --skip-bad skips (tokenization errors stop wm detect whatever --skip-bad says).
      .add("error", DataTypes.StringType, true)
      .add("skippable", DataTypes.BooleanType, false)
      .add("verdict", DataTypes.StringType, true)
      .add("log10_p_corrected", DataTypes.DoubleType, false)
      // per key, in key order: the record's DetectionResult counts and its corrected verdict
      .add("k_read", DataTypes.createArrayType(DataTypes.LongType, false), false)
      .add("k_scored", DataTypes.createArrayType(DataTypes.LongType, false), false)
      .add("k_repeats", DataTypes.createArrayType(DataTypes.LongType, false), false)
      .add("k_prompt", DataTypes.createArrayType(DataTypes.LongType, false), false)
      .add("k_other", DataTypes.createArrayType(DataTypes.LongType, false), false)
      .add("k_score", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
      .add("k_log10_p", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
      .add("k_log10_p_corrected", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
      .add("k_verdict", DataTypes.createArrayType(DataTypes.StringType, false), false)
      // scored tuples: key index, identity, position in the text, score
      .add("t_key", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
      .add("t_id", DataTypes.createArrayType(DataTypes.LongType, false), false)
      .add("t_pos", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
      .add("t_score", DataTypes.createArrayType(DataTypes.DoubleType, false), false);

  private static final Map<String, TextTokenizer> TOKENIZERS = new ConcurrentHashMap<>();

  private final ScanKeys keys;
  private final ScanOptions options;
  private final String source;
  /** One ledger per key, in key order (the supervised filter), or null. */
  private final Broadcast<List<ServedWindowLedger>> ledgers;
  private transient State state;

  RecordScorer(ScanKeys keys, ScanOptions options, String source, Broadcast<List<ServedWindowLedger>> ledgers) {
    this.keys = keys;
    this.options = options;
    this.source = source;
    this.ledgers = ledgers;
  }

  /** Per-JVM state built from the keys: detectors, the record family's correction, the tokenizer. */
  private static final class State {
    final Watermarker[] wms;
    final Detector[] detectors;
    final MultiKey family;
    final TextTokenizer tokenizer;
    /** Per key, the window filter of the supervised test, or null. */
    final LongPredicate[] filters;
    double[] scores = new double[256];

    State(List<KeyFile> keyFiles, ScanOptions options, List<ServedWindowLedger> ledgers) {
      int k = keyFiles.size();
      filters = new LongPredicate[k];
      for (int i = 0; ledgers != null && i < k; i++) {
        filters[i] = ledgers.get(i)::mightContain;
      }
      wms = new Watermarker[k];
      detectors = new Detector[k];
      List<NullModel> nulls = new ArrayList<>(k);
      DetectorConfig config = DetectorConfig.defaults().withSpecialTokens(options.specialTokens());
      for (int i = 0; i < k; i++) {
        wms[i] = keyFiles.get(i).watermarker();
        detectors[i] = Detector.of(wms[i], config);
        nulls.add(detectors[i].nullModel());
      }
      family = MultiKey.of(nulls, options.alpha(), false);
      tokenizer = tokenizer(keyFiles.get(0), options.nfc());
    }
  }

  /** The keys' tokenizer, loaded once per JVM (the BPE tables are large). */
  static TextTokenizer tokenizer(KeyFile key, boolean nfc) {
    TextTokenizer tok = TOKENIZERS.computeIfAbsent(key.spec().tokenizer(), TextTokenizer::named);
    TextTokenizer.requireVocabulary(key.spec().tokenizer(), key.spec().vocabSize(), tok);
    return tok.withNormalization(nfc ? Normalization.NFC : Normalization.NONE);
  }

  private State state() {
    if (state == null) {
      state = new State(keys.load(), options, ledgers == null ? null : ledgers.value());
    }
    return state;
  }

  /** The row of an input error. */
  Row error(InputFormatException e, boolean skippable) {
    return row(e.lineNumber(), null, 0, 0, e.detail(), skippable, null, Double.NaN, new long[0][], new double[0][],
        new String[0], new int[0], new long[0], new int[0], new double[0]);
  }

  /** Scores one record (or returns its error row). */
  Row score(TextRecord r) {
    State st = state();
    int[] prompt;
    int[] text;
    try {
      prompt = r.promptIds(st.tokenizer, source);
      text = r.textIds(st.tokenizer, source);
    } catch (InputFormatException e) {
      return error(e, false);
    }
    int k = st.detectors.length;
    int p = prompt.length;
    int[] stream = p == 0 ? text : concat(prompt, text);
    if (st.scores.length < text.length) {
      st.scores = new double[Math.max(text.length, 2 * st.scores.length)];
    }
    double[] scores = st.scores;
    List<DetectionResult> results = new ArrayList<>(k);
    long[][] counts = new long[5][k];
    double[][] reals = new double[3][k];
    int cap = 16;
    int n = 0;
    int[] tKey = new int[cap];
    long[] tId = new long[cap];
    int[] tPos = new int[cap];
    double[] tScore = new double[cap];
    for (int i = 0; i < k; i++) {
      Detector d = st.detectors[i];
      DetectionResult res = d.newTape().add(prompt, text, st.filters[i], scores);
      results.add(res);
      counts[0][i] = res.tokensRead();
      counts[1][i] = res.tokensScored();
      counts[2][i] = res.skippedRepeats();
      counts[3][i] = res.skippedPrompt();
      counts[4][i] = res.skippedOther();
      reals[0][i] = res.score();
      reals[1][i] = res.log10P();
      if (n + res.tokensScored() > cap) {
        cap = (int) Math.max(2L * cap, n + res.tokensScored());
        tKey = Arrays.copyOf(tKey, cap);
        tId = Arrays.copyOf(tId, cap);
        tPos = Arrays.copyOf(tPos, cap);
        tScore = Arrays.copyOf(tScore, cap);
      }
      Watermarker wm = st.wms[i];
      for (int j = 0; j < text.length; j++) {
        double x = scores[j];
        if (!Double.isNaN(x)) {
          tKey[n] = i;
          tId[n] = d.identity(wm.windowSeed(stream, p + j), text[j]);
          tPos[n] = j;
          tScore[n] = x;
          n++;
        }
      }
    }
    MultiKeyResult m = st.family.correct(results);
    String[] verdicts = new String[k];
    for (int i = 0; i < k; i++) {
      MultiKeyResult.Entry e = m.entries().get(i);
      reals[2][i] = e.log10PCorrected();
      verdicts[i] = e.verdict().word();
    }
    return row(r.lineNumber(), r.id(), text.length, p, null, false, m.verdict().word(), m.log10PCorrected(), counts,
        reals, verdicts, Arrays.copyOf(tKey, n), Arrays.copyOf(tId, n), Arrays.copyOf(tPos, n),
        Arrays.copyOf(tScore, n));
  }

  private static Row row(int line, String id, int tokens, int promptTokens, String error, boolean skippable,
      String verdict, double corrected, long[][] counts, double[][] reals, String[] verdicts, int[] tKey,
      long[] tId, int[] tPos, double[] tScore) {
    long[] none = new long[0];
    double[] noneD = new double[0];
    return RowFactory.create(line, id, tokens, promptTokens, error, skippable, verdict, corrected,
        counts.length > 0 ? counts[0] : none, counts.length > 0 ? counts[1] : none,
        counts.length > 0 ? counts[2] : none, counts.length > 0 ? counts[3] : none,
        counts.length > 0 ? counts[4] : none, reals.length > 0 ? reals[0] : noneD,
        reals.length > 0 ? reals[1] : noneD, reals.length > 0 ? reals[2] : noneD, verdicts, tKey, tId, tPos, tScore);
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** Whether the scheme's scores are integers, so that their sum is exact in any order. */
  static boolean integerScores(Scheme s) {
    return s != Scheme.GUMBEL;
  }
}
