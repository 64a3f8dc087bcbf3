package dev.radiomark.examples.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.radiomark.verify.Verdict;
import dev.radiomark.verify.radioactivity.CurvePoint;
import dev.radiomark.verify.radioactivity.Mode;
import dev.radiomark.verify.radioactivity.RadioactivityResult;
import java.awt.BasicStroke;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Writes the demo's table, {@code results.json}, {@code report.md} and the PNG charts. */
public final class DemoReport {
  /** Charts plot -log10 p on a log axis from this value up: nothing is clipped, controls included. */
  static final double CHART_FLOOR = 0.01;

  /** What the table's terms mean, printed under it and written in report.md. */
  static final List<String> LEGEND = List.of(
      "rho: the share of a student's training tokens that are watermarked teacher answers; "
          + "0 (control): trained on as many unwatermarked teacher answers instead.",
      "closed: the verifier sees only the student's answers to held-out prompts and counts green tokens.",
      "reading: the verifier feeds our watermarked texts to the student and scores its top-1 predictions "
          + "(this needs the student's weights).",
      "supervised: closed mode scores only the windows the ledger recorded as served by the teacher; reading "
          + "mode probes with the answers served to the accounts under suspicion (the control never trained on "
          + "them). Each row is its own test at alpha.",
      "tuples: distinct (window, token) pairs scored; green: their green rate against gamma; "
          + "log10 p: the exact p-value, as a power of ten (-6 is 1e-6).");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private DemoReport() {}

  /**
   * The table printed at the end of the demo.
   *
   * @param r the results
   * @return one line per row, with a header
   */
  public static String table(DemoResult r) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-8s %-16s %-8s %-10s %10s %10s %12s  %s%n", "student", "rho", "mode",
        "supervised", "tuples", "green", "log10 p", "verdict at " + r.config().alpha()));
    for (DemoRow row : r.rows()) {
      RadioactivityResult x = row.result();
      sb.append(String.format(Locale.ROOT, "%-8s %-16s %-8s %-10s %10d %10.4f %12.2f  %s%n", row.student(),
          rho(row), row.mode(), row.supervised() ? "yes" : "no", x.tuplesScored(), x.rate(), x.log10P(),
          row.verdict().word()));
    }
    sb.append('\n');
    for (String l : LEGEND) {
      sb.append(l).append('\n');
    }
    sb.append(conclusion(r)).append('\n');
    return sb.toString();
  }

  /**
   * One line that says what the table shows: whether any control was flagged, and for each
   * student the smallest rho at which some mode flagged it.
   *
   * @param r the results
   * @return a sentence starting with "Conclusion:" and ending with a period
   */
  static String conclusion(DemoResult r) {
    List<String> students = new ArrayList<>();
    for (DemoRow row : r.rows()) {
      if (!students.contains(row.student())) {
        students.add(row.student());
      }
    }
    long controlsFlagged = r.rows().stream().filter(w -> w.control() && w.verdict() == Verdict.FLAGGED).count();
    boolean anyControl = r.rows().stream().anyMatch(DemoRow::control);
    List<String> parts = new ArrayList<>();
    for (String s : students) {
      double smallest = r.rows().stream().filter(w -> w.student().equals(s) && !w.control()
          && w.verdict() == Verdict.FLAGGED).mapToDouble(DemoRow::rho).min().orElse(Double.NaN);
      if (Double.isNaN(smallest)) {
        parts.add("not in the " + s + " student at any rho");
      } else {
        List<String> modes = new ArrayList<>();
        for (DemoRow w : r.rows()) {
          if (w.student().equals(s) && !w.control() && w.rho() == smallest && w.verdict() == Verdict.FLAGGED) {
            modes.add(w.mode() + (w.supervised() ? " supervised" : ""));
          }
        }
        parts.add(String.format(Locale.ROOT, "in the %s student from rho = %s%% (%s)", s, trim(smallest * 100),
            String.join(", ", modes)));
      }
    }
    String controls = !anyControl ? "there is no control"
        : controlsFlagged == 0 ? "no control is flagged (no false accusation)"
        : "WARNING: " + controlsFlagged + " control row" + (controlsFlagged == 1 ? " is" : "s are") + " flagged";
    return String.format(Locale.ROOT, "Conclusion at alpha %s: %s; the watermark is detected %s.", r.config().alpha(),
        controls, String.join(" and ", parts));
  }

  private static String rho(DemoRow row) {
    return row.control() ? "0 (control)" : String.format(Locale.ROOT, "%s%%", trim(row.rho() * 100));
  }

  private static String trim(double x) {
    return x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x);
  }

  /**
   * Writes {@code results.json}, {@code report.md}, {@code reading.png}, {@code reading-supervised.png}
   * and {@code closed.png}
   * into a directory, each file atomically (a temporary file moved into place).
   *
   * @param r the results
   * @param dir output directory, created if missing
   * @return the files written
   */
  public static List<Path> write(DemoResult r, Path dir) {
    try {
      Files.createDirectories(dir);
      List<Path> out = new ArrayList<>();
      out.add(atomically(dir.resolve("results.json"), JSON.writeValueAsBytes(json(r))));
      out.add(atomically(dir.resolve("report.md"), markdown(r).getBytes(StandardCharsets.UTF_8)));
      out.add(atomically(dir.resolve("reading.png"), BitmapEncoder.getBitmapBytes(chart(r, "reading", false,
          READING_TITLE), BitmapEncoder.BitmapFormat.PNG)));
      out.add(atomically(dir.resolve("reading-supervised.png"), BitmapEncoder.getBitmapBytes(chart(r, "reading",
          true, READING_SUPERVISED_TITLE), BitmapEncoder.BitmapFormat.PNG)));
      out.add(atomically(dir.resolve("closed.png"), BitmapEncoder.getBitmapBytes(chart(r, "closed", true,
          CLOSED_TITLE), BitmapEncoder.BitmapFormat.PNG)));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": cannot write the demo report: " + e.getMessage(), e);
    }
  }

  static final String READING_TITLE = "Reading mode: the student's top-1 predictions on our watermarked texts";
  static final String READING_SUPERVISED_TITLE =
      "Reading mode, supervised: top-1 predictions on the answers served to the student's accounts";
  static final String CLOSED_TITLE = "Closed mode, supervised: the student's own answers, windows in the ledger";

  private static Path atomically(Path target, byte[] bytes) throws IOException {
    Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), ".demo", ".tmp");
    try {
      Files.write(tmp, bytes);
      // Temporary files are created owner-only; reports and charts are for reading (keys and
      // ledgers keep their owner-only mode).
      if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return target;
  }

  static ObjectNode json(DemoResult r) {
    ObjectNode root = JSON.createObjectNode();
    root.put("key_id", r.keyId());
    root.put("watermark", r.spec().describe());
    root.put("alpha", r.config().alpha());
    root.put("student_tokens", r.config().studentTokens());
    root.put("served_tokens", r.servedTokens());
    root.put("probe_tokens", r.probeTokens());
    root.put("seconds", r.seconds());
    root.put("curve_note", RadioactivityResult.CURVE_NOTE);
    ArrayNode rows = root.putArray("rows");
    for (DemoRow row : r.rows()) {
      RadioactivityResult x = row.result();
      ObjectNode o = rows.addObject();
      o.put("student", row.student());
      o.put("rho", row.rho());
      o.put("control", row.control());
      o.put("mode", row.mode());
      o.put("supervised", row.supervised());
      o.put("tuples_scored", x.tuplesScored());
      o.put("green_rate", x.rate());
      o.put("gamma", x.nullRate());
      o.put("log10_p", x.log10P());
      o.put("budget", x.budget());
      o.put("budget_reached", x.budgetReached());
      o.put("verdict", row.verdict().word());
      o.put("statement", row.statement(r.config().alpha()));
      ArrayNode curve = o.putArray("curve");
      for (CurvePoint p : x.curve()) {
        curve.addArray().add(p.tuples()).add(p.log10P());
      }
    }
    return root;
  }

  static String markdown(DemoResult r) {
    DemoConfig c = r.config();
    StringBuilder sb = new StringBuilder();
    sb.append("# Distillation demo\n\n");
    sb.append(String.format(Locale.ROOT,
        "Teacher: Kneser-Ney (order 3) on the KJV teacher part, watermark `%s` under a fresh key `%s`, "
            + "sampling temperature %s, top-p %s, %d candidates per step, %d-token answers to %d-token prompts. "
            + "It served %,d watermarked answer tokens, every window recorded in the ledger.%n%n",
        r.spec().describe(), r.keyId(), c.temperature(), c.topP(), c.candidates(), c.answerTokens(),
        c.promptTokens(), r.servedTokens()));
    sb.append(String.format(Locale.ROOT,
        "Students: n-gram (Kneser-Ney order %d) and neural (ND4J feed-forward, %d-token context, %d epochs over "
            + "%,d tokens), each trained on %,d tokens: human verses plus a share rho of teacher answers harvested "
            + "at random from what was served. The control (rho = 0) is trained on the largest share of "
            + "*unwatermarked* teacher answers.%n%n", c.ngramOrder(), c.neural().contextSize(), c.neural().epochs(),
        Math.min(c.neuralTrainTokens(), c.studentTokens()), c.studentTokens()));
    sb.append(String.format(Locale.ROOT,
        "Verification: closed mode scores %d answers per student (pre-registered budget %,d tuples), "
            + "unsupervised and supervised by the ledger; reading mode feeds %,d probe tokens of our watermarked "
            + "answers (budget %,d tuples) and, supervised, the answers served to the student's accounts (at most "
            + "as many). Verdict at alpha = %s. Wall time %.0f s.%n%n",
        c.closedAnswers(), c.closedBudget(), r.probeTokens(), c.readingBudget(), c.alpha(), r.seconds()));
    sb.append("| student | rho | mode | supervised | tuples scored | green rate | log10 p | verdict |\n");
    sb.append("| --- | --- | --- | --- | ---: | ---: | ---: | --- |\n");
    for (DemoRow row : r.rows()) {
      RadioactivityResult x = row.result();
      sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %,d | %.4f | %.2f | %s |%n", row.student(), rho(row),
          row.mode(), row.supervised() ? "yes" : "no", x.tuplesScored(), x.rate(), x.log10P(),
          row.verdict() == Verdict.FLAGGED ? "**flagged**" : row.verdict().word()));
    }
    sb.append(String.format(Locale.ROOT, "%nWhat each verdict states (key `%s`):%n%n", r.keyId()));
    for (Mode m : Mode.values()) {
      for (Verdict v : Verdict.values()) {
        sb.append(String.format(Locale.ROOT, "- %s, %s: %s.%n", m.label(), v.word(),
            m.claim().sentence(v, List.of(r.keyId()), c.alpha())));
      }
    }
    sb.append("\nTerms:\n\n");
    for (String l : LEGEND) {
      sb.append("- ").append(l).append('\n');
    }
    sb.append('\n').append(conclusion(r)).append("\n\n");
    sb.append("The charts `reading.png`, `reading-supervised.png` and `closed.png` show the evidence, -log10 p on a logarithmic axis, "
        + "against tuples scored: higher is stronger, the grey line is the verdict's threshold -log10 alpha, "
        + "and every student is drawn in full (values below " + CHART_FLOOR + " are drawn at " + CHART_FLOOR
        + "). The curves are for plotting only, not a stopping rule: the verdict is the p-value at the "
        + "pre-registered budget. A cumulative p-value is not monotone: every scored tuple that is not green "
        + "raises it. When a student's green rate is close to gamma (a weak signal, as for the neural student "
        + "in reading mode), these ups and downs dominate until enough tuples accumulate, so a curve can fall "
        + "back (p rising) after an early peak; under no watermark it wanders around p = 1/2. Only the value at "
        + "the budget is tested: stopping where a curve peaks would make its p-value invalid.\n");
    return sb.toString();
  }

  /**
   * One chart: -log10 p (the evidence) against tuples scored, on a logarithmic y axis so that
   * controls near p = 1 and fully distilled students near p = 1e-1000 are all drawn in full.
   */
  static XYChart chart(DemoResult r, String mode, boolean supervised, String title) {
    XYChart chart = new XYChartBuilder().width(900).height(560).title(title)
        .xAxisTitle("tuples scored").yAxisTitle("-log10 p (log scale; higher is stronger evidence)").build();
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
    chart.getStyler().setMarkerSize(0);
    chart.getStyler().setYAxisLogarithmic(true);
    double highest = -Math.log10(r.config().alpha());
    for (DemoRow row : r.rows()) {
      if (!row.mode().equals(mode) || row.supervised() != supervised || row.result().curve().isEmpty()) {
        continue;
      }
      List<CurvePoint> curve = row.result().curve();
      double[] x = new double[curve.size()];
      double[] y = new double[curve.size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = curve.get(i).tuples();
        y[i] = evidence(curve.get(i).log10P());
        highest = Math.max(highest, y[i]);
      }
      XYSeries s = chart.addSeries(row.student() + " rho=" + rho(row), x, y);
      s.setMarker(SeriesMarkers.NONE);
      if (row.control()) {
        s.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
      }
    }
    chart.getStyler().setYAxisMin(CHART_FLOOR);
    chart.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(highest * 1.5))));
    double threshold = -Math.log10(r.config().alpha());
    double maxX = r.rows().stream().filter(w -> w.mode().equals(mode))
        .mapToDouble(w -> w.result().tuplesScored()).max().orElse(1);
    XYSeries t = chart.addSeries("alpha = " + r.config().alpha(), new double[] {0, Math.max(1, maxX)},
        new double[] {threshold, threshold});
    t.setMarker(SeriesMarkers.NONE);
    t.setLineColor(java.awt.Color.GRAY);
    return chart;
  }

  /** -log10 p, drawn at {@link #CHART_FLOOR} when smaller (a log axis has no zero). */
  static double evidence(double log10P) {
    return Math.max(CHART_FLOOR, -log10P);
  }
}
