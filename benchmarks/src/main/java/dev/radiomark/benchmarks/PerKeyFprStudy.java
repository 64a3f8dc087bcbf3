package dev.radiomark.benchmarks;

import dev.radiomark.Scheme;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.WindowRule;
import dev.radiomark.key.WatermarkKey;
import dev.radiomark.verify.Calibration;
import dev.radiomark.verify.Detector;
import dev.radiomark.verify.DetectorConfig;
import dev.radiomark.verify.KeyCalibrationReport;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Measures, on human text, how much the per-document false-positive rate of one deployed key
 * varies between keys, for each watermark configuration: K seeded keys score the same documents
 * ({@link Calibration#acrossKeys}), and the keys' counts of documents at p &lt;= 1e-2 and 1e-3
 * give the over-dispersion statistic D (chi-square on K - 1 degrees of freedom without a key
 * effect), the worst key's rate, and the number of keys that fail the per-key criterion of
 * {@code wm calibrate --key} ({@link KeyCalibrationReport#pass()}). The results are the tables
 * of docs/verification.md.
 *
 * <p>Documents: consecutive verses of a one-verse-per-line file (gzip or plain; by default the
 * KJV bundled in the examples module), each verse tokenized with o200k_base after a leading
 * space, joined until a document has at least {@code --min-tokens} tokens.
 *
 * <pre>
 * mvn -B -q -o -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.radiomark.benchmarks.PerKeyFprStudy \
 *     [--corpus FILE] [--keys 100] [--min-tokens 128] [--seed 20261202] [--only LABEL]
 *     [--frequent-windows]
 * </pre>
 *
 * <p>With {@code --frequent-windows} it measures the other candidate remedy instead
 * ({@link #frequentWindowStudy}).
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
    boolean frequent = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--corpus" -> corpus = Path.of(args[++i]);
        case "--keys" -> keys = Integer.parseInt(args[++i]);
        case "--min-tokens" -> minTokens = Integer.parseInt(args[++i]);
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--only" -> only = args[++i];
        case "--frequent-windows" -> frequent = true;
        default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    TextTokenizer tok = TextTokenizer.o200k();
    if (frequent) {
      frequentWindowStudy(verses(corpus), tok, keys, minTokens, seed);
      return;
    }
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

  /**
   * The other candidate remedy: leave out the windows most frequent in a reference corpus, a
   * decision made without the key. Reference: the TEACHER part of the examples' frozen split
   * (verse i goes to TEACHER when SplitMix64(i + "RADIOMK1") mod 100 &lt; 45); documents: the
   * HUMAN part (45 &lt;= b &lt; 80), so no verse is in both. For each ordered width h in 1..3 and
   * N in {0, 100, 1000, 10000} the N most frequent windows of the reference are not scored.
   */
  static void frequentWindowStudy(List<String> verses, TextTokenizer tok, int keys, int minTokens, long seed) {
    List<String> reference = new ArrayList<>();
    List<String> human = new ArrayList<>();
    for (int i = 0; i < verses.size(); i++) {
      long b = Long.remainderUnsigned(splitMix(i + 0x5241_4449_4f4d_4b31L), 100);
      if (b < 45) {
        reference.add(verses.get(i));
      } else if (b < 80) {
        human.add(verses.get(i));
      }
    }
    List<int[]> refTokens = new ArrayList<>();
    for (String v : reference) {
      refTokens.add(tok.encode(" " + v));
    }
    List<int[]> docs = documents(human, tok, minTokens);
    System.err.printf(Locale.ROOT, "reference: %d verses; documents: %d from %d verses%n", reference.size(),
        docs.size(), human.size());
    System.out.println("| configuration | windows left out | keys | documents | tuples scored per document |"
        + " mean FPR 1e-2 | worst key 1e-2 | D 1e-2 | log10 p | mean FPR 1e-3 | worst key 1e-3 | D 1e-3 | log10 p |"
        + " keys failing |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    WatermarkSpec green = WatermarkSpec.greenList(tok.name(), tok.vocabSize());
    for (int h = 1; h <= 3; h++) {
      List<int[]> ranked = rankedWindows(refTokens, h);
      for (int top : new int[] {0, 100, 1000, 10000}) {
        WatermarkSpec spec = green.withContextWidth(h);
        List<int[]> excluded = ranked.subList(0, Math.min(top, ranked.size()));
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
        List<KeyCalibrationReport> perKey = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
          byte[] secret = new byte[WatermarkKey.DEFAULT_SECRET_BYTES];
          rng.nextBytes(secret);
          Watermarker wm = Watermarker.of(WatermarkKey.of("study-" + k, secret), spec);
          Set<Long> seeds = new HashSet<>();
          for (int[] w : excluded) {
            seeds.add(wm.windowSeed(w, w.length));
          }
          perKey.add(Calibration.ofKey(Detector.of(wm), docs, s -> !seeds.contains(s)));
        }
        KeySpreadReport r = new KeySpreadReport(spec, perKey);
        TestResult d2 = r.dispersion(0);
        TestResult d3 = r.dispersion(1);
        System.out.printf(Locale.ROOT, "| green-list ordered h=%d | %d | %d | %d | %.1f | %.4f | %.4f | %.0f | %.1f |"
            + " %.5f | %.4f | %.0f | %.1f | %d |%n", h, excluded.size(), keys, docs.size(),
            perKey.get(0).meanTuplesScored(), r.meanRate(0), r.worstRate(0), d2.statistic(), d2.log10P(),
            r.meanRate(1), r.worstRate(1), d3.statistic(), d3.log10P(),
            perKey.stream().filter(x -> !x.pass()).count());
        System.out.flush();
      }
    }
  }

  /** The distinct windows of width h inside the verses, most frequent first. */
  static List<int[]> rankedWindows(List<int[]> verses, int h) {
    Map<List<Integer>, Integer> counts = new HashMap<>();
    for (int[] v : verses) {
      for (int t = h; t <= v.length; t++) {
        List<Integer> w = new ArrayList<>(h);
        for (int j = t - h; j < t; j++) {
          w.add(v[j]);
        }
        counts.merge(w, 1, Integer::sum);
      }
    }
    return counts.entrySet().stream()
        .sorted(Map.Entry.<List<Integer>, Integer>comparingByValue().reversed())
        .map(e -> e.getKey().stream().mapToInt(Integer::intValue).toArray())
        .toList();
  }

  /** The SplitMix64 finaliser of the examples' frozen corpus split. */
  static long splitMix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
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
