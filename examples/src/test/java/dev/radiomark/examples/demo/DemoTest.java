package dev.radiomark.examples.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.radiomark.examples.TestKeys;
import dev.radiomark.key.WatermarkKey;
import dev.radiomark.verify.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the whole demo pipeline on a small configuration and checks what it reports. */
class DemoTest {
  @TempDir static Path dir;
  static DemoResult result;
  static String progress;

  /** The key of the demo tests: fixed, so that every run of them reads the same verdicts ({@code wm demo} draws a fresh one). */
  static final WatermarkKey KEY = TestKeys.key("demo-teacher", 3);

  /** Small enough for CI (about 20 s), large enough that rho = 100% is unmistakable. */
  static DemoConfig small() {
    return new DemoConfig(3L, 0.25, 3.0, 2, 8, 32, 50, 0.8, 0.95, 16_000, List.of(0.0, 1.0), 150, 4_000,
        8_000, 1_000_000, 6_000, 1e-6);
  }

  @BeforeAll
  static void run() {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    result = DistillationDemo.run(small(), KEY, new PrintStream(log, true, StandardCharsets.UTF_8));
    progress = log.toString(StandardCharsets.UTF_8);
  }

  @Test
  void controlsAreNotFlaggedAndFullyDistilledStudentsAre() {
    assertEquals(16, result.rows().size(),
        "2 students x 2 rho x (closed, closed supervised, reading, reading supervised)");
    for (DemoRow row : result.rows()) {
      if (row.control()) {
        // Valid tests at alpha 1e-6: over keys a control is flagged with probability <= 1e-6 per row.
        assertEquals(Verdict.NOT_FLAGGED, row.verdict(), "control: " + row);
        assertTrue(row.result().log10P() > -6);
      } else if (row.student().equals("ngram")) {
        // An n-gram student trained only on watermarked answers reproduces the bias exactly.
        assertTrue(row.result().log10P() < -20, "ngram rho=1 not flagged: " + row);
        assertTrue(row.result().rate() > 0.4, "green rate " + row.result().rate());
        assertEquals(Verdict.FLAGGED, row.verdict(), "ngram rho=1: " + row);
        assertTrue(row.statement(1e-6).contains(row.mode().equals("closed")
            ? "consistent with training on, or copying of, text we served" : "consistent with training on text we served"),
            row.statement(1e-6));
      }
    }
  }

  @Test
  void writesResultsReportAndCharts() throws Exception {
    List<Path> files = DemoReport.write(result, dir.resolve("out"));
    assertEquals(5, files.size());
    for (Path f : files) { // reports are readable by others (keys and ledgers are not)
      assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
    }
    JsonNode root = new ObjectMapper().readTree(dir.resolve("out/results.json").toFile());
    JsonNode rows = root.get("rows");
    assertEquals(result.rows().size(), rows.size());
    for (int i = 0; i < rows.size(); i++) {
      JsonNode r = rows.get(i);
      DemoRow expected = result.rows().get(i);
      for (String f : new String[] {"student", "rho", "mode", "supervised", "tuples_scored", "green_rate", "log10_p",
          "verdict", "statement"}) {
        assertTrue(r.has(f), "results.json row lacks " + f);
      }
      assertEquals(expected.student(), r.get("student").asText());
      assertEquals(expected.rho(), r.get("rho").asDouble());
      assertEquals(expected.result().tuplesScored(), r.get("tuples_scored").asLong());
      assertEquals(expected.verdict().word(), r.get("verdict").asText());
      assertFalse(r.has("flagged"), "no boolean beside the verdict");
      assertTrue(r.get("rho").asDouble() >= 0 && r.get("rho").asDouble() <= 1, "rho is a fraction");
    }
    String md = Files.readString(dir.resolve("out/report.md"));
    assertTrue(md.contains("| student | rho | mode |"));
    assertTrue(md.contains("| log10 p | verdict |"), md);
    assertFalse(md.contains("learned"), md);
    for (String png : new String[] {"reading.png", "reading-supervised.png", "closed.png"}) {
      byte[] head = Arrays.copyOf(Files.readAllBytes(dir.resolve("out").resolve(png)), 8);
      assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, head, png);
    }
    assertTrue(progress.contains("teacher:") && progress.contains("done"), "progress lines missing");
  }

  @Test
  void tableHasOneLinePerRowThenTheLegendAndAOneLineConclusion() {
    String table = DemoReport.table(result);
    String[] lines = table.split("\n");
    assertEquals(result.rows().size() + 1 + 1 + DemoReport.LEGEND.size() + 1, lines.length, table);
    for (int i = 0; i < result.rows().size(); i++) {
      assertTrue(lines[i + 1].endsWith("  " + result.rows().get(i).verdict().word()), lines[i + 1]);
    }
    for (String term : List.of("rho: ", "closed: ", "reading: ", "supervised: ")) {
      assertTrue(Arrays.stream(lines).anyMatch(l -> l.startsWith(term)), "legend lacks " + term);
    }
    String last = lines[lines.length - 1];
    assertTrue(last.startsWith("Conclusion at alpha 1.0E-6: no control is flagged"), last);
    // rho = 100% n-gram students are flagged in every mode (see the first test).
    assertTrue(last.contains("in the ngram student from rho = 100% (closed, closed supervised, reading, reading supervised)"), last);
    assertTrue(last.endsWith("."), last);
  }

  @Test
  void conclusionReportsAFlaggedControl() {
    List<DemoRow> rows = new java.util.ArrayList<>();
    for (DemoRow r : result.rows()) {
      rows.add(r.control() ? new DemoRow(r.student(), r.rho(), true, r.mode(), r.supervised(), r.result(),
          Verdict.FLAGGED) : r);
    }
    DemoResult bad = new DemoResult(result.config(), result.spec(), result.keyId(), result.servedTokens(),
        result.probeTokens(), rows, result.seconds());
    assertTrue(DemoReport.conclusion(bad).contains("WARNING: 8 control rows are flagged"), DemoReport.conclusion(bad));
  }

  @Test
  void progressNeverGoesQuietForLong() {
    List<Double> stamps = ProgressTest.stamps(progress);
    assertTrue(stamps.size() >= 10, progress);
    // The heartbeat fires after 8 s of silence, checked every second; 12 s leaves room for a
    // loaded machine's scheduling.
    assertTrue(ProgressTest.longestGap(stamps, stamps.get(stamps.size() - 1)) <= 12.0, progress);
  }

  @Test
  void reportSentencesAreWholeAndNoPlaceholderRemains() {
    String md = DemoReport.markdown(result);
    for (String bad : List.of("%s", "%d", "%n", "{}", "${", "null", "NaN", "TODO", "..", " ,", " .")) {
      assertFalse(md.contains(bad), "report.md contains \"" + bad + "\"");
    }
    for (String para : md.split("\n\n")) {
      String p = para.strip();
      if (p.isEmpty() || p.startsWith("#") || p.startsWith("|")) {
        continue;
      }
      for (String item : p.startsWith("- ") ? p.split("\n") : new String[] {p}) {
        String text = item.startsWith("- ") ? item.substring(2) : item;
        assertTrue(Character.isUpperCase(text.charAt(0)) || text.matches("^[a-z]+(, [a-z_]+)?: .*"),
            "a sentence or list item starts badly: " + text);
        assertTrue(text.endsWith(".") || text.endsWith(":"), "does not end a sentence: " + text);
      }
    }
    assertTrue(md.contains("Conclusion at alpha"), md);
  }

  @Test
  void chartsDrawEveryStudentInFull() {
    for (boolean reading : new boolean[] {true, false}) {
      String mode = reading ? "reading" : "closed";
      var chart = DemoReport.chart(result, mode, !reading, "t");
      double min = chart.getStyler().getYAxisMin();
      double max = chart.getStyler().getYAxisMax();
      for (DemoRow row : result.rows()) {
        if (!row.mode().equals(mode) || row.supervised() == reading) {
          continue;
        }
        var s = chart.getSeriesMap().values().stream()
            .filter(x -> x.getName().startsWith(row.student() + " rho=")
                && x.getName().endsWith(row.control() ? "(control)" : "%"))
            .filter(x -> x.getName().contains(row.control() ? "0 (control)" : "100%")).findFirst().orElseThrow();
        for (double y : s.getYData()) {
          assertTrue(y >= min && y <= max, s.getName() + ": " + y + " outside [" + min + ", " + max + "]");
        }
        // The last point is the row's own p-value (as -log10 p, floored only near p = 1).
        double last = s.getYData()[s.getYData().length - 1];
        assertEquals(DemoReport.evidence(row.result().curve().get(row.result().curve().size() - 1).log10P()), last);
      }
    }
    assertFalse(DemoReport.CLOSED_TITLE.contains("model"), "the closed chart is about closed mode");
  }
}
