package dev.radiomark.examples.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.radiomark.io.AtomicFiles;
import dev.radiomark.key.WatermarkKey;
import dev.radiomark.verify.cli.WmException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wm evaluate}: attacks on watermarked answers of the demo teacher and what detection
 * keeps ({@link Evaluation}). The Markdown table goes to stdout, progress to stderr, and
 * {@code evaluate.json}, {@code evaluate.md} and {@code evaluate.png} to {@code --out}, each
 * written atomically and only after the whole run succeeded.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Attack watermarked answers of the demo teacher and report what detection keeps (TPR at 1e-6 and 1e-3, median log10 p, quality).")
public final class EvaluateCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec
  CommandSpec spec;

  private final Supplier<WatermarkKey> keys;

  /** The command as {@code wm} runs it: every run under a fresh key. */
  public EvaluateCommand() {
    this(() -> WatermarkKey.generate("evaluate"));
  }

  /** A command whose runs take their key from {@code keys} (tests fix it, so that a run is reproducible). */
  EvaluateCommand(Supplier<WatermarkKey> keys) {
    this.keys = keys;
  }

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "wm-out/evaluate",
      description = "output directory for evaluate.json, evaluate.md and evaluate.png (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--answers", paramLabel = "N", defaultValue = "200",
      description = "watermarked (and as many unwatermarked) answers, in [10, 100000]; default ${DEFAULT-VALUE}")
  int answers;

  @Option(names = "--lengths", paramLabel = "L", split = ",", defaultValue = "50,100,200",
      description = "answer lengths in tokens, each in [10, 4096]; default ${DEFAULT-VALUE}")
  int[] lengths;

  @Option(names = "--delta", paramLabel = "D", defaultValue = "2", description = "green-list bias in (0, 50]; default ${DEFAULT-VALUE}")
  double delta;

  @Option(names = "--gamma", paramLabel = "G", defaultValue = "0.25", description = "green fraction in (0, 1); default ${DEFAULT-VALUE}")
  double gamma;

  @Option(names = "--context-width", paramLabel = "H", defaultValue = "1", description = "window width h in [1, 8]; default ${DEFAULT-VALUE}")
  int h;

  @Option(names = "--stealing-answers", paramLabel = "N", defaultValue = "2000",
      description = "watermarked answers the thief observes, in [0, 1000000]; default ${DEFAULT-VALUE}")
  int stealing;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
      description = "seed of the non-keyed randomness (the key is always fresh); default ${DEFAULT-VALUE}")
  long seed;

  @Override
  public Integer call() throws IOException {
    check("--answers", answers, 10, 100_000);
    check("--stealing-answers", stealing, 0, 1_000_000);
    check("--context-width", h, 1, 8);
    int[] ls = lengths.clone();
    Arrays.sort(ls);
    for (int l : ls) {
      check("--lengths", l, 10, 4096);
    }
    if (!(delta > 0 && delta <= 50)) {
      throw WmException.usage(String.format(Locale.ROOT, "--delta is not in (0, 50]: %s", delta));
    }
    if (!(gamma > 0 && gamma < 1)) {
      throw WmException.usage(String.format(Locale.ROOT, "--gamma is not in (0, 1): %s", gamma));
    }
    Evaluation.Config d = Evaluation.Config.defaults();
    Evaluation.Config cfg = new Evaluation.Config(d.spec().withContextWidth(h).withGamma(gamma).withDelta(delta),
        answers, ls, stealing, d.rate(), seed);
    Evaluation.Result r = Evaluation.run(cfg, keys.get(), System.err);
    String md = markdown(r);
    byte[] json = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json(r));
    byte[] png = BitmapEncoder.getBitmapBytes(chart(r), BitmapEncoder.BitmapFormat.PNG);
    try {
      Files.createDirectories(out);
      AtomicFiles.replace(out.resolve("evaluate.json"), o -> o.write(json));
      AtomicFiles.replace(out.resolve("evaluate.md"), o -> o.write(md.getBytes(StandardCharsets.UTF_8)));
      AtomicFiles.replace(out.resolve("evaluate.png"), o -> o.write(png));
      // Reports are for reading (temporary files are created owner-only; keys and ledgers keep that).
      for (String f : new String[] {"evaluate.json", "evaluate.md", "evaluate.png"}) {
        Path p = out.resolve(f);
        if (Files.getFileStore(p).supportsFileAttributeView("posix")) {
          Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
      }
    } catch (IOException e) {
      throw WmException.io(out + ": cannot write the evaluation: " + e.getMessage(), e);
    }
    PrintWriter pw = spec.commandLine().getOut();
    pw.print(md);
    pw.println("wrote " + out.resolve("evaluate.json") + ", evaluate.md, evaluate.png");
    pw.flush();
    return 0;
  }

  private static void check(String option, int v, int lo, int hi) {
    if (v < lo || v > hi) {
      throw WmException.usage(String.format(Locale.ROOT, "%s is not in [%d, %d]: %d", option, lo, hi, v));
    }
  }

  private static String f(double x, String fmt) {
    return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, fmt, x);
  }

  /** The report as Markdown: parameters, quality cost, and one row per attack and length. */
  static String markdown(Evaluation.Result r) {
    Evaluation.Config c = r.config();
    Evaluation.Quality q = r.quality();
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "Watermark %s; %d watermarked and %d unwatermarked answers of the demo teacher;"
        + " thief observed %d answers; %.0f s.%n%n", c.spec().describe(), c.answers(), c.answers(), c.stealingAnswers(),
        r.seconds()));
    b.append(String.format(Locale.ROOT, "Quality (reference model, answers of %d tokens): perplexity %.1f unwatermarked,"
        + " %.1f watermarked; distinct-1 %.3f / %.3f; distinct-2 %.3f / %.3f.%n%n", c.lengths()[c.lengths().length - 1],
        q.perplexityPlain(), q.perplexityMarked(), q.distinct1Plain(), q.distinct1Marked(), q.distinct2Plain(),
        q.distinct2Marked()));
    b.append("TPR at alpha 1e-6 (1e-3), median log10 p, for the text as given / with canonical variants (`wm detect`) /"
        + " with variants and segments (`wm detect --segments`); FPR at 1e-3 on unwatermarked answers under the same"
        + " attack, for the three; perplexity and distinct-2 of the attacked answers.\n\n");
    b.append("| attack | tokens | as given | canonical | canonical + segments | FPR 1e-3 | perplexity | distinct-2 |\n");
    b.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (Evaluation.Row row : r.rows()) {
      b.append("| ").append(row.attack()).append(" | ").append(row.length());
      for (int j = 0; j < Evaluation.DETECTORS.size(); j++) {
        b.append(String.format(Locale.ROOT, " | %.2f (%.2f), %.1f", row.tpr1e6()[j], row.tpr1e3()[j], row.medianLog10P()[j]));
      }
      b.append(String.format(Locale.ROOT, " | %.3f / %.3f / %.3f | %s | %s |%n", row.fpr1e3()[0], row.fpr1e3()[1],
          row.fpr1e3()[2], f(row.perplexity(), "%.1f"), f(row.distinct2(), "%.3f")));
    }
    return b.toString();
  }

  static ObjectNode json(Evaluation.Result r) {
    ObjectNode o = JSON.createObjectNode();
    Evaluation.Config c = r.config();
    o.put("watermark", c.spec().describe());
    o.put("answers", c.answers());
    ArrayNode ls = o.putArray("lengths");
    for (int l : c.lengths()) {
      ls.add(l);
    }
    o.put("stealing_answers", c.stealingAnswers());
    o.put("edit_rate", c.rate());
    o.put("seed", c.seed());
    o.put("seconds", r.seconds());
    ObjectNode q = o.putObject("quality");
    q.put("perplexity_unwatermarked", r.quality().perplexityPlain());
    q.put("perplexity_watermarked", r.quality().perplexityMarked());
    q.put("distinct1_unwatermarked", r.quality().distinct1Plain());
    q.put("distinct1_watermarked", r.quality().distinct1Marked());
    q.put("distinct2_unwatermarked", r.quality().distinct2Plain());
    q.put("distinct2_watermarked", r.quality().distinct2Marked());
    ArrayNode rows = o.putArray("rows");
    for (Evaluation.Row row : r.rows()) {
      ObjectNode x = rows.addObject();
      x.put("attack", row.attack());
      x.put("tokens", row.length());
      for (int j = 0; j < Evaluation.DETECTORS.size(); j++) {
        ObjectNode d = x.putObject(Evaluation.DETECTORS.get(j));
        d.put("tpr_1e-6", row.tpr1e6()[j]);
        d.put("tpr_1e-3", row.tpr1e3()[j]);
        d.put("fpr_1e-3", row.fpr1e3()[j]);
        d.put("median_log10_p", row.medianLog10P()[j]);
      }
      if (!Double.isNaN(row.perplexity())) {
        x.put("perplexity", row.perplexity());
        x.put("distinct2", row.distinct2());
      }
    }
    return o;
  }

  /** TPR at 1e-6 per attack at the largest length, one bar per detector. */
  static CategoryChart chart(Evaluation.Result r) {
    int len = r.config().lengths()[r.config().lengths().length - 1];
    CategoryChart chart = new CategoryChartBuilder().width(1100).height(600)
        .title(String.format(Locale.ROOT, "Detection after each attack, %d-token answers: TPR at alpha 1e-6", len))
        .xAxisTitle("attack").yAxisTitle("TPR at 1e-6").build();
    chart.getStyler().setXAxisLabelRotation(30);
    chart.getStyler().setYAxisMax(1.0);
    chart.getStyler().setYAxisMin(0.0);
    List<String> names = new ArrayList<>();
    List<List<Double>> ys = new ArrayList<>();
    for (int j = 0; j < Evaluation.DETECTORS.size(); j++) {
      ys.add(new ArrayList<>());
    }
    for (Evaluation.Row row : r.rows()) {
      if (row.length() == len) {
        names.add(row.attack());
        for (int j = 0; j < Evaluation.DETECTORS.size(); j++) {
          ys.get(j).add(row.tpr1e6()[j]);
        }
      }
    }
    String[] labels = {"text as given", "canonical variants", "variants + segment scan"};
    for (int j = 0; j < labels.length; j++) {
      chart.addSeries(labels[j], names, ys.get(j));
    }
    return chart;
  }
}
