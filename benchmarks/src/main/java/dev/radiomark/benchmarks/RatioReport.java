package dev.radiomark.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link SamplingBenchmark} (and {@link ProcessorBenchmark}) through the JMH API and prints
 * Markdown tables of medians, of the ratio to the efficient reference sampler
 * ({@link ReferenceSampler}) and of the microseconds added to it, for each (vocab, batch, mode).
 * Every run also records process CPU time per operation ({@link CpuTimeProfiler}): on a loaded
 * machine its ratio is the steadier one.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar dev.radiomark.benchmarks.RatioReport [options]
 *     --ci              1 in-process run (forks 0), 1 x 100 ms warmup, 1 x 100 ms measurement,
 *                       vocab 32000, batch 1, processor and detection benchmarks with 20,000
 *                       tokens per operation (a smoke test, not a measurement)
 *     --vocab=LIST      comma-separated vocabulary sizes (quick profile default: 128256)
 *     --batch=LIST      batch sizes (default 1,32)
 *     --mode=LIST       full,topk50 (default both)
 *     --scheme=LIST     schemes (default all; reference and plain are always added)
 *     --gc              add the GC profiler: gc.alloc.rate.norm in bytes per invocation
 *     --processor       also run ProcessorBenchmark at the first vocabulary size
 *     --detection       also run DetectionBenchmark (own JMH run): tokens per second of one
 *                       thread per scheme (detect, reading-mode scoring) and the cost of the
 *                       p-value functions at n = 10^6
 *     --detection-only  only DetectionBenchmark
 *     --tokens=N        tokens per detection operation (default 1000000; --ci: 20000)
 *     --iterations=N    measurement iterations of 1 s (default 5)
 *     --out=FILE        also write the Markdown to FILE
 * </pre>
 *
 * The quick profile (no --ci) is 1 fork, 3 x 1 s warmup and 5 x 1 s measurement per point.
 * Ratios divide medians (over measurement iterations) taken in the same run.
 */
public final class RatioReport {
  static final List<String> SCHEMES =
      List.of("reference", "plain", "green-h1", "selfhash-h4", "gumbel-h4", "tournament-h4");

  /**
   * One benchmark point; ratios and added microseconds are against the baseline of the same
   * (vocab, batch, mode): {@code reference} for sampling, {@code touch} for the processor.
   */
  public record Row(String benchmark, String scheme, int vocab, int batch, String mode,
      double medianUs, double meanUs, double errorUs, double ratio, double allocBytesPerOp,
      double cpuUs, double cpuRatio, double addedUs, double addedCpuUs) {}

  /**
   * One detection point: {@code benchmark} is {@code detect}, {@code readingScore} or a p-value
   * function; tokens per second are {@code tokens / median} (NaN for the p-value functions).
   */
  public record DetectionRow(String benchmark, String scheme, int tokens, double medianUs,
      double cpuUs, double allocBytesPerOp, double tokensPerSecond, double cpuTokensPerSecond) {}

  private RatioReport() {}

  /**
   * Entry point.
   *
   * @param args see the class comment
   * @throws Exception when JMH fails or the output cannot be written
   */
  public static void main(String[] args) throws Exception {
    Settings s = Settings.parse(args);
    String md = "";
    if (s.sampling) {
      md = markdown(run(s), s);
    }
    if (s.detection) {
      md += markdownDetection(runDetection(s), s);
    }
    System.out.println();
    System.out.println(md);
    if (s.out != null) {
      Files.writeString(Path.of(s.out), md, StandardCharsets.UTF_8);
    }
  }

  /** Command-line settings. */
  static final class Settings {
    boolean ci;
    boolean gc;
    boolean processor;
    boolean sampling = true;
    boolean detection;
    int tokens = 1_000_000;
    int iterations = 5;
    String out;
    List<String> vocab = List.of("128256");
    List<String> batch = List.of("1", "32");
    List<String> mode = List.of("full", "topk50");
    List<String> scheme = SCHEMES;

    static Settings parse(String... args) {
      Settings s = new Settings();
      for (String a : args) {
        if (a.equals("--ci")) {
          s.ci = true;
          s.vocab = List.of("32000");
          s.batch = List.of("1");
          s.processor = true;
          s.detection = true;
          s.tokens = 20_000;
        } else if (a.equals("--detection")) {
          s.detection = true;
        } else if (a.equals("--detection-only")) {
          s.detection = true;
          s.sampling = false;
        } else if (a.startsWith("--tokens=")) {
          s.tokens = Integer.parseInt(a.substring(9));
        } else if (a.equals("--gc")) {
          s.gc = true;
        } else if (a.equals("--processor")) {
          s.processor = true;
        } else if (a.startsWith("--iterations=")) {
          s.iterations = Integer.parseInt(a.substring(13));
        } else if (a.startsWith("--out=")) {
          s.out = a.substring(6);
        } else if (a.startsWith("--vocab=")) {
          s.vocab = split(a.substring(8));
        } else if (a.startsWith("--batch=")) {
          s.batch = split(a.substring(8));
        } else if (a.startsWith("--mode=")) {
          s.mode = split(a.substring(7));
        } else if (a.startsWith("--scheme=")) {
          List<String> l = new ArrayList<>(split(a.substring(9)));
          l.removeAll(List.of("reference", "plain"));
          l.addAll(0, List.of("reference", "plain"));
          s.scheme = l;
        } else {
          throw new IllegalArgumentException("unknown option: " + a);
        }
      }
      return s;
    }

    private static List<String> split(String v) {
      return Arrays.asList(v.split(","));
    }
  }

  /**
   * Runs the benchmarks and computes the ratios.
   *
   * @param s settings
   * @return one row per benchmark point
   * @throws RunnerException when JMH fails
   */
  static List<Row> run(Settings s) throws RunnerException {
    // Other JMH runs on the machine must not make this one fail on the shared lock file.
    System.setProperty("jmh.ignoreLock", "true");
    ChainedOptionsBuilder b = new OptionsBuilder()
        .include("^" + SamplingBenchmark.class.getName().replace(".", "\\.") + "\\.")
        .param("scheme", s.scheme.toArray(String[]::new))
        .param("vocab", s.vocab.toArray(String[]::new))
        .param("batch", s.batch.toArray(String[]::new))
        .param("mode", s.mode.toArray(String[]::new))
        .shouldFailOnError(true);
    if (s.processor) {
      b.include("^" + ProcessorBenchmark.class.getName().replace(".", "\\.") + "\\.");
    }
    profile(b, s);
    Collection<RunResult> results = new Runner(b.build()).run();
    return rows(results);
  }

  /**
   * Runs {@link DetectionBenchmark} (its own JMH run: its parameters share names with
   * {@link SamplingBenchmark}'s).
   *
   * @param s settings
   * @return one row per benchmark point
   * @throws RunnerException when JMH fails
   */
  static List<DetectionRow> runDetection(Settings s) throws RunnerException {
    System.setProperty("jmh.ignoreLock", "true");
    ChainedOptionsBuilder b = new OptionsBuilder()
        .include("^" + DetectionBenchmark.class.getName().replace(".", "\\.") + "\\.")
        .param("tokens", Integer.toString(s.tokens))
        .shouldFailOnError(true);
    profile(b, s);
    List<DetectionRow> out = new ArrayList<>();
    for (RunResult r : new Runner(b.build()).run()) {
      var p = r.getParams();
      String bench = p.getBenchmark().substring(p.getBenchmark().lastIndexOf('.') + 1);
      String scheme = p.getParam("scheme");
      boolean stream = scheme != null;
      int tokens = stream ? Integer.parseInt(p.getParam("tokens")) : 0;
      double median = r.getPrimaryResult().getStatistics().getPercentile(50.0);
      Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
      Result<?> cpu = r.getSecondaryResults().get("cpu.time.norm");
      double cpuUs = cpu == null ? Double.NaN : cpu.getStatistics().getPercentile(50.0);
      out.add(new DetectionRow(bench, stream ? scheme : "-", tokens, median, cpuUs,
          alloc == null ? Double.NaN : alloc.getScore(),
          stream ? tokens / (median * 1e-6) : Double.NaN,
          stream ? tokens / (cpuUs * 1e-6) : Double.NaN));
    }
    out.sort(Comparator.comparing((DetectionRow d) -> d.scheme.equals("-"))
        .thenComparing(DetectionRow::benchmark)
        .thenComparingInt(d -> SCHEMES.indexOf(d.scheme)));
    return out;
  }

  /**
   * The Markdown tables of a detection run.
   *
   * @param rows results
   * @param s settings
   * @return Markdown text
   */
  static String markdownDetection(List<DetectionRow> rows, Settings s) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "%n### DetectionBenchmark (one thread, %,d tokens per operation, texts of %d tokens,"
            + " exact tuple de-duplication)%n%n", s.tokens, DetectionBenchmark.TEXT));
    sb.append("| benchmark | scheme | median ms/op | tokens/s | CPU ms/op | tokens/s of CPU | alloc B/op |\n");
    sb.append("| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
    for (DetectionRow r : rows) {
      if (!r.scheme.equals("-")) {
        sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", r.benchmark,
            r.scheme, num(r.medianUs / 1e3), millions(r.tokensPerSecond), num(r.cpuUs / 1e3),
            millions(r.cpuTokensPerSecond), bytes(r.allocBytesPerOp)));
      }
    }
    sb.append(String.format(Locale.ROOT, "%n| p-value function (n = 10^6) | median us/call | CPU us/call | alloc B/call |%n"));
    sb.append("| --- | ---: | ---: | ---: |\n");
    for (DetectionRow r : rows) {
      if (r.scheme.equals("-")) {
        sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", r.benchmark,
            num(r.medianUs), num(r.cpuUs), bytes(r.allocBytesPerOp)));
      }
    }
    return sb.toString();
  }

  private static String millions(double perSecond) {
    return Double.isNaN(perSecond) ? "NaN"
        : String.format(Locale.ROOT, "%.2f M", perSecond / 1e6);
  }

  private static String bytes(double b) {
    return Double.isNaN(b) ? "-" : String.format(Locale.ROOT, "%.1f", b);
  }

  private static void profile(ChainedOptionsBuilder b, Settings s) {
    if (s.ci) {
      b.forks(0).warmupIterations(1).warmupTime(TimeValue.milliseconds(100))
          .measurementIterations(1).measurementTime(TimeValue.milliseconds(100));
    } else {
      b.forks(1).warmupIterations(3).warmupTime(TimeValue.seconds(1))
          .measurementIterations(s.iterations).measurementTime(TimeValue.seconds(1))
          .jvmArgsAppend("-Xmx2g");
    }
    b.addProfiler(CpuTimeProfiler.class);
    if (s.gc) {
      b.addProfiler(GCProfiler.class);
    }
  }

  static List<Row> rows(Collection<RunResult> results) {
    List<Row> raw = new ArrayList<>();
    for (RunResult r : results) {
      var p = r.getParams();
      String bench = p.getBenchmark().substring(p.getBenchmark().lastIndexOf('.', p.getBenchmark().lastIndexOf('.') - 1) + 1);
      boolean sampling = bench.startsWith("SamplingBenchmark");
      String scheme = sampling ? p.getParam("scheme") : p.getParam("processor");
      int vocab = Integer.parseInt(p.getParam("vocab"));
      int batch = sampling ? Integer.parseInt(p.getParam("batch")) : 1;
      String mode = sampling ? p.getParam("mode") : "bias";
      Result<?> primary = r.getPrimaryResult();
      double median = primary.getStatistics().getPercentile(50.0);
      Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
      Result<?> cpu = r.getSecondaryResults().get("cpu.time.norm");
      raw.add(new Row(bench, scheme, vocab, batch, mode, median, primary.getScore(),
          primary.getScoreError(), Double.NaN, alloc == null ? Double.NaN : alloc.getScore(),
          cpu == null ? Double.NaN : cpu.getStatistics().getPercentile(50.0), Double.NaN,
          Double.NaN, Double.NaN));
    }
    List<Row> out = new ArrayList<>();
    for (Row r : raw) {
      String base = r.benchmark.startsWith("SamplingBenchmark") ? "reference" : "touch";
      Row baseRow = raw.stream()
          .filter(o -> o.benchmark.equals(r.benchmark) && o.scheme.equals(base) && o.vocab == r.vocab
              && o.batch == r.batch && o.mode.equals(r.mode))
          .findFirst().orElse(null);
      double baseMedian = baseRow == null ? Double.NaN : baseRow.medianUs;
      double baseCpu = baseRow == null ? Double.NaN : baseRow.cpuUs;
      out.add(new Row(r.benchmark, r.scheme, r.vocab, r.batch, r.mode, r.medianUs, r.meanUs,
          r.errorUs, r.medianUs / baseMedian, r.allocBytesPerOp, r.cpuUs, r.cpuUs / baseCpu,
          r.medianUs - baseMedian, r.cpuUs - baseCpu));
    }
    out.sort(Comparator.comparing(Row::benchmark).reversed()
        .thenComparingInt(Row::vocab).thenComparingInt(Row::batch).thenComparing(Row::mode)
        .thenComparingInt(r -> order(r.scheme)));
    return out;
  }

  private static int order(String scheme) {
    int i = SCHEMES.indexOf(scheme);
    return i >= 0 ? i : List.of("touch", "green-h1", "selfhash-h4").indexOf(scheme);
  }

  /**
   * The Markdown tables: one row per (benchmark, vocab, batch, mode, scheme).
   *
   * @param rows results
   * @param s settings (for the header)
   * @return Markdown text
   */
  static String markdown(List<Row> rows, Settings s) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "Profile: %s; java %s; %d cores%n%n",
        s.ci ? "ci (forks 0, 1 x 100 ms, smoke test only)"
            : "quick (1 fork, 3 x 1 s warmup, " + s.iterations + " x 1 s measurement)",
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors()));
    String current = null;
    for (Row r : rows) {
      if (!r.benchmark.equals(current)) {
        current = r.benchmark;
        boolean sampling = current.startsWith("SamplingBenchmark");
        sb.append(String.format(Locale.ROOT, "%n### %s (ratio = median / median of %s)%n%n", current,
            sampling ? "reference" : "touch"));
        sb.append("| vocab | batch | mode | scheme | median us/op | mean +- error us/op | ratio | added us | CPU us/op | CPU ratio | added CPU us | alloc B/op |\n");
        sb.append("| ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
      }
      sb.append(String.format(Locale.ROOT, "| %d | %d | %s | %s | %s | %s +- %s | %.3f | %s | %s | %.3f | %s | %s |%n",
          r.vocab, r.batch, r.mode, r.scheme, num(r.medianUs), num(r.meanUs), num(r.errorUs), r.ratio,
          num(r.addedUs), num(r.cpuUs), r.cpuRatio, num(r.addedCpuUs),
          Double.isNaN(r.allocBytesPerOp) ? "-" : String.format(Locale.ROOT, "%.1f", r.allocBytesPerOp)));
    }
    return sb.toString();
  }

  private static String num(double x) {
    if (Double.isNaN(x)) {
      return "NaN";
    }
    if (x < 0) {
      return "-" + num(-x);
    }
    return x >= 100 ? String.format(Locale.ROOT, "%.0f", x)
        : x >= 10 ? String.format(Locale.ROOT, "%.1f", x) : String.format(Locale.ROOT, "%.3f", x);
  }
}
