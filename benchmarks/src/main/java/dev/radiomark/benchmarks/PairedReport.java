package dev.radiomark.benchmarks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link PairedStepBenchmark} (V = 128,256, batch 1) and prints, per (mode, scheme), the
 * paired CPU ratio to the reference with the target and its verdict.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar dev.radiomark.benchmarks.PairedReport [options]
 *     --forks=N         JVM forks per point (default 3)
 *     --iterations=N    measurement iterations of 1 s per fork (default 5; 3 x 1 s warmup)
 *     --mode=LIST       full,topk50 (default both)
 *     --scheme=LIST     schemes (default plain and the four watermarks); with --mode=topk50
 *                       also green-h1-keyed, selfhash-h4-keyed: the keyed work alone, a floor
 *     --out=FILE        also write the Markdown to FILE
 *     --ci              forks 0, 1 x 100 ms: checks that it runs, judges nothing
 * </pre>
 *
 * A ratio is per measurement iteration: the scheme's CPU time over the reference's, both summed
 * over the same second of interleaved steps. A watermark's ratio is judged against the fastest
 * plain sampler: divided by plain's median ratio where the library's plain sampler beats the
 * reference. The verdict is "met" only when that ratio, for the median over all iterations of
 * all forks and for the median of every single fork, is at most the target.
 */
public final class PairedReport {
  /** The targets of the performance issue: (mode, scheme) to the largest allowed ratio. */
  static final Map<String, Double> TARGETS = Map.ofEntries(
      Map.entry("full/plain", 1.10), Map.entry("full/green-h1", 1.10),
      Map.entry("full/selfhash-h4", 1.25), Map.entry("full/gumbel-h4", 1.05),
      Map.entry("full/tournament-h4", 1.15), Map.entry("topk50/green-h1", 1.10),
      Map.entry("topk50/selfhash-h4", 1.25), Map.entry("topk50/gumbel-h4", 1.20),
      Map.entry("topk50/tournament-h4", 1.50));

  /**
   * One (mode, scheme): per-iteration CPU ratios of every fork, reference and added CPU us, and
   * the baseline: the faster plain sampler as a fraction of the reference ({@code min(1, median
   * ratio of plain)} in the same mode; 1 when plain was not run). Where the library's plain
   * sampler beats the reference, the watermark's cost is judged against the library's plain one.
   */
  record Row(String mode, String scheme, double[][] forkRatios, double referenceUs, double addedUs,
      double baseline) {
    double median() {
      return PairedReport.median(Arrays.stream(forkRatios).flatMapToDouble(Arrays::stream).toArray());
    }

    double[] forkMedians() {
      return Arrays.stream(forkRatios).mapToDouble(PairedReport::median).toArray();
    }

    /** The ratio against the fastest plain sampler: {@link #median} over the baseline. */
    double ratioToFastest() {
      return median() / baseline;
    }

    /** The target, or NaN where the issue sets none (plain on candidates). */
    double target() {
      return TARGETS.getOrDefault(mode + "/" + scheme, Double.NaN);
    }

    String verdict() {
      double t = target();
      if (Double.isNaN(t)) {
        return "-";
      }
      boolean met = ratioToFastest() <= t
          && Arrays.stream(forkMedians()).allMatch(m -> m / baseline <= t);
      return met ? "met" : "missed";
    }
  }

  private PairedReport() {}

  /**
   * Entry point.
   *
   * @param args see the class comment
   * @throws Exception when JMH fails or the output cannot be written
   */
  public static void main(String[] args) throws Exception {
    int forks = 3;
    int iterations = 5;
    boolean ci = false;
    String out = null;
    List<String> modes = List.of("full", "topk50");
    List<String> schemes = List.of("plain", "green-h1", "selfhash-h4", "gumbel-h4", "tournament-h4");
    for (String a : args) {
      if (a.startsWith("--forks=")) {
        forks = Integer.parseInt(a.substring(8));
      } else if (a.startsWith("--iterations=")) {
        iterations = Integer.parseInt(a.substring(13));
      } else if (a.startsWith("--mode=")) {
        modes = List.of(a.substring(7).split(","));
      } else if (a.startsWith("--scheme=")) {
        schemes = List.of(a.substring(9).split(","));
      } else if (a.startsWith("--out=")) {
        out = a.substring(6);
      } else if (a.equals("--ci")) {
        ci = true;
      } else {
        throw new IllegalArgumentException("unknown option: " + a);
      }
    }
    List<Row> rows = run(modes, schemes, forks, iterations, ci);
    String md = markdown(rows, forks, iterations);
    System.out.println();
    System.out.println(md);
    if (out != null) {
      Files.writeString(Path.of(out), md, StandardCharsets.UTF_8);
    }
  }

  static List<Row> run(List<String> modes, List<String> schemes, int forks, int iterations,
      boolean ci) throws RunnerException {
    System.setProperty("jmh.ignoreLock", "true");
    ChainedOptionsBuilder b = new OptionsBuilder()
        .include("^" + PairedStepBenchmark.class.getName().replace(".", "\\.") + "\\.")
        .param("mode", modes.toArray(String[]::new))
        .param("scheme", schemes.toArray(String[]::new))
        .addProfiler(PairedRatioProfiler.class)
        .shouldFailOnError(true);
    if (ci) {
      b.forks(0).warmupIterations(1).warmupTime(TimeValue.milliseconds(100))
          .measurementIterations(1).measurementTime(TimeValue.milliseconds(100));
    } else {
      b.forks(forks).warmupIterations(3).warmupTime(TimeValue.seconds(1))
          .measurementIterations(iterations).measurementTime(TimeValue.seconds(1))
          .jvmArgsAppend("-Xmx2g");
    }
    List<Row> rows = new ArrayList<>();
    for (RunResult r : new Runner(b.build()).run()) {
      List<double[]> forkRatios = new ArrayList<>();
      List<Double> reference = new ArrayList<>();
      List<Double> added = new ArrayList<>();
      for (BenchmarkResult fork : r.getBenchmarkResults()) {
        List<Double> ratios = new ArrayList<>();
        for (IterationResult it : fork.getIterationResults()) {
          Map<String, Result> sec = it.getSecondaryResults();
          ratios.add(sec.get("paired.cpu.ratio").getScore());
          reference.add(sec.get("paired.reference.cpu.us").getScore());
          added.add(sec.get("paired.added.cpu.us").getScore());
        }
        forkRatios.add(ratios.stream().mapToDouble(Double::doubleValue).toArray());
      }
      rows.add(new Row(r.getParams().getParam("mode"), r.getParams().getParam("scheme"),
          forkRatios.toArray(double[][]::new),
          median(reference.stream().mapToDouble(Double::doubleValue).toArray()),
          median(added.stream().mapToDouble(Double::doubleValue).toArray()), 1.0));
    }
    List<Row> out = new ArrayList<>();
    for (Row r : rows) {
      double baseline = rows.stream()
          .filter(o -> o.scheme().equals("plain") && o.mode().equals(r.mode()))
          .mapToDouble(o -> Math.min(1.0, o.median())).findFirst().orElse(1.0);
      out.add(new Row(r.mode(), r.scheme(), r.forkRatios(), r.referenceUs(), r.addedUs(),
          r.scheme().equals("plain") ? 1.0 : baseline));
    }
    return out;
  }

  static String markdown(List<Row> rows, int forks, int iterations) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "PairedStepBenchmark, V = 128,256, batch 1: %d forks x %d x 1 s (3 x 1 s warmup); java %s; %d cores%n%n",
        forks, iterations, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors()));
    sb.append("| mode | scheme | CPU ratio to reference, median | fork medians | reference CPU us/step | added CPU us/step | ratio to the fastest plain | target | verdict |\n");
    sb.append("| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | --- |\n");
    for (Row r : rows) {
      StringBuilder forkText = new StringBuilder();
      for (double m : r.forkMedians()) {
        forkText.append(forkText.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", m));
      }
      sb.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %s | %s | %s | %.3f | %s | %s |%n",
          r.mode(), r.scheme(), r.median(), forkText, us(r.referenceUs()), us(r.addedUs()),
          r.ratioToFastest(),
          Double.isNaN(r.target()) ? "-" : String.format(Locale.ROOT, "%.2f", r.target()), r.verdict()));
    }
    return sb.toString();
  }

  private static String us(double x) {
    return Math.abs(x) >= 100 ? String.format(Locale.ROOT, "%.0f", x) : String.format(Locale.ROOT, "%.3f", x);
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int n = s.length;
    return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
  }
}
