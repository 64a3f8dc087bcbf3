package dev.radiomark.benchmarks;

import dev.radiomark.Scheme;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.WindowRule;
import dev.radiomark.key.WatermarkKey;
import dev.radiomark.verify.Calibration;
import dev.radiomark.verify.DetectorConfig;
import dev.radiomark.verify.KeySpreadReport;
import dev.radiomark.verify.stats.TestResult;
import dev.radiomark.verify.text.TextTokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Measures, on human text, how much the per-document false-positive rate of one deployed key
 * varies between keys, for each watermark configuration: K seeded keys score the same documents
 * ({@link Calibration#acrossKeys}), and the keys' counts of documents at p &lt;= 1e-2 and 1e-3
 * give the over-dispersion statistic D (chi-square on K - 1 degrees of freedom without a key
 * effect), the worst key's rate, and the number of keys that fail the per-key criterion of
 * {@code wm calibrate --key} ({@link dev.radiomark.verify.KeyCalibrationReport#pass()}). The results are the table of docs/verification.md.
 *
 * <p>Documents: consecutive verses of a one-verse-per-line file (gzip or plain; by default the
 * KJV bundled in the examples module), each verse tokenized with o200k_base after a leading
 * space, joined until a document has at least {@code --min-tokens} tokens.
 *
 * <pre>
 * mvn -B -q -o -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.radiomark.benchmarks.PerKeyFprStudy \
 *     [--corpus FILE] [--keys 100] [--min-tokens 128] [--seed 20261202] [--only LABEL]
 * </pre>
 */
public final class PerKeyFprStudy {
  private static final String DEFAULT_CORPUS =
      "examples/src/main/resources/dev/radiomark/examples/corpus/kjv-verses.txt.gz";

  private PerKeyFprStudy() {}

  /**
   * Runs the study and prints a Markdown table on stdout, progress on stderr.
   *
   * @param args see the class comment
   * @throws IOException if the corpus cannot be read
   */
  public static void main(String[] args) throws IOException {
    Path corpus = Path.of(DEFAULT_CORPUS);
    int keys = 100;
    int minTokens = 128;
    long seed = 20261202L;
    String only = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--corpus" -> corpus = Path.of(args[++i]);
        case "--keys" -> keys = Integer.parseInt(args[++i]);
        case "--min-tokens" -> minTokens = Integer.parseInt(args[++i]);
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--only" -> only = args[++i];
        default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    TextTokenizer tok = TextTokenizer.o200k();
    List<int[]> docs = documents(verses(corpus), tok, minTokens);
    long tokens = docs.stream().mapToLong(d -> d.length).sum();
    System.err.printf(Locale.ROOT, "%s: %d documents, %d tokens (mean %.1f)%n", corpus, docs.size(), tokens,
        (double) tokens / docs.size());
    System.out.printf(Locale.ROOT, "| configuration | keys | documents | mean FPR 1e-2 | worst key 1e-2 | D 1e-2 | log10 p |"
        + " mean FPR 1e-3 | worst key 1e-3 | D 1e-3 | log10 p | keys failing |%n");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (Map.Entry<String, WatermarkSpec> c : configurations(tok).entrySet()) {
      if (only != null && !c.getKey().equals(only)) {
        continue;
      }
      long t0 = System.nanoTime();
      UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
      KeySpreadReport r = Calibration.acrossKeys(docs, c.getValue(), keys, DetectorConfig.defaults(), i -> {
        byte[] secret = new byte[WatermarkKey.DEFAULT_SECRET_BYTES];
        rng.nextBytes(secret);
        return WatermarkKey.of("study-" + i, secret);
      });
      TestResult d2 = r.dispersion(0);
      TestResult d3 = r.dispersion(1);
      long failing = r.perKey().stream().filter(k -> !k.pass()).count();
      System.out.printf(Locale.ROOT, "| %s | %d | %d | %.4f | %.4f | %.0f | %.1f | %.5f | %.4f | %.0f | %.1f | %d |%n",
          c.getKey(), r.keys(), r.documents(), r.meanRate(0), r.worstRate(0), d2.statistic(), d2.log10P(),
          r.meanRate(1), r.worstRate(1), d3.statistic(), d3.log10P(), failing);
      System.out.flush();
      System.err.printf(Locale.ROOT, "%s: %.1f s%n", c.getKey(), (System.nanoTime() - t0) / 1e9);
    }
  }

  /** The configurations measured, by label. */
  static Map<String, WatermarkSpec> configurations(TextTokenizer tok) {
    String name = tok.name();
    int v = tok.vocabSize();
    WatermarkSpec green = WatermarkSpec.greenList(name, v).withGamma(0.25);
    Map<String, WatermarkSpec> m = new LinkedHashMap<>();
    m.put("green-list ordered h=0", green.withContextWidth(0));
    m.put("green-list ordered h=1", green.withContextWidth(1));
    m.put("green-list ordered h=2", green.withContextWidth(2));
    m.put("green-list ordered h=3", green.withContextWidth(3));
    m.put("green-list ordered h=4", green.withContextWidth(4));
    m.put("green-list min-hash h=4", green.withContextWidth(4).withWindowRule(WindowRule.MIN_HASH));
    m.put("green-list self-seeding h=4", green.withContextWidth(4).withWindowRule(WindowRule.SELF_SEEDING));
    m.put("gumbel ordered h=4", WatermarkSpec.defaults(Scheme.GUMBEL, name, v));
    m.put("tournament ordered h=4", WatermarkSpec.defaults(Scheme.TOURNAMENT, name, v));
    return m;
  }

  /** The non-blank lines of a file, gunzipped when its name ends in .gz. */
  static List<String> verses(Path file) throws IOException {
    List<String> out = new ArrayList<>();
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank()) {
          out.add(line);
        }
      }
    }
    return out;
  }

  /**
   * Consecutive verses, each tokenized after a leading space, concatenated into documents of at
   * least minTokens tokens (a short tail is dropped).
   */
  static List<int[]> documents(List<String> verses, TextTokenizer tok, int minTokens) {
    List<int[]> docs = new ArrayList<>();
    int[] buf = new int[0];
    for (String v : verses) {
      int[] t = tok.encode(" " + v);
      int[] joined = Arrays.copyOf(buf, buf.length + t.length);
      System.arraycopy(t, 0, joined, buf.length, t.length);
      buf = joined;
      if (buf.length >= minTokens) {
        docs.add(buf);
        buf = new int[0];
      }
    }
    return docs;
  }
}
