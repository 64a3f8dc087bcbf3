package dev.radiomark.verify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.key.KeyFile;
import dev.radiomark.key.KeyFiles;
import dev.radiomark.key.WatermarkKey;
import dev.radiomark.verify.text.TextTokenizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many files and folders as input for every command; complete, wrapped help; counted nouns; key display. */
class InputsAndHelpCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] TEXTS = {
    "The committee met on Tuesday to review the budget for the coming year and the repairs.",
    "Several members raised concerns about the cost of repairs to the old library by the river.",
    "After a long discussion they agreed to ask the city for an independent estimate first.",
    "The chair thanked the volunteers who had organised the book sale in March of this year.",
    "Residents who wish to comment on the plan may write to the council office this month.",
  };

  @TempDir
  Path dir;

  private Path write(String rel, String content) throws Exception {
    Path p = dir.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  private Path key() {
    TextTokenizer tok = TextTokenizer.o200k();
    byte[] secret = new byte[32];
    Arrays.fill(secret, (byte) 5);
    Path p = dir.resolve("k.json");
    KeyFiles.write(p, new KeyFile(WatermarkKey.of("acme", secret), WatermarkSpec.greenList(tok.name(), tok.vocabSize())));
    return p;
  }

  private static String rec(String id, String text) {
    return (id == null ? "{" : "{\"id\":\"" + id + "\",") + "\"text\":\"" + text + "\"}\n";
  }

  private static List<String> ids(JsonNode doc) {
    List<String> out = new ArrayList<>();
    doc.get("records").forEach(r -> out.add(r.get("id").asText()));
    return out;
  }

  @Test
  void detectReadsFilesAndFoldersInOrderNamingRecordsByFile() throws Exception {
    Path k = key();
    Path single = write("single.jsonl", rec("s", TEXTS[0]));
    Path b = write("in/b.jsonl", rec(null, TEXTS[1]) + rec("b2", TEXTS[2]));
    Path a = write("in/a/x.jsonl", rec(null, TEXTS[3]));
    write("in/notes.txt", "not read: only *.jsonl in a folder");
    write("in/.tmp.jsonl", "{not read: hidden");
    Path folder = dir.resolve("in");
    WmCommandTest.Run r = WmCommandTest.wm("detect", "--key", k.toString(), "--input", single.toString(),
        "--input", folder.toString());
    assertEquals(0, r.code(), r.err());
    // Explicit ids kept; records without one are FILE:LINE, distinct across files; a/x before b.
    assertEquals(List.of("s", a + ":1", b + ":1", "b2"), ids(r.json()));
    assertEquals(4, r.json().get("pooled").get("records").asInt());
    // Several values after one --input (a shell glob) mean the same.
    WmCommandTest.Run glob = WmCommandTest.wm("detect", "--key", k.toString(), "--input", single.toString(),
        folder.toString());
    assertEquals(r.out(), glob.out());
  }

  @Test
  void anErrorInALaterFileNamesThatFileAndLineAndPrintsNothing() throws Exception {
    Path k = key();
    Path good = write("d/1.jsonl", rec("g", TEXTS[0]));
    Path bad = write("d/2.jsonl", rec("ok", TEXTS[1]) + "{\"text\": oops}\n");
    WmCommandTest.Run r = WmCommandTest.wm("detect", "--key", k.toString(), "--input", dir.resolve("d").toString());
    assertEquals(WmCommand.EXIT_INPUT, r.code());
    assertEquals("", r.out());
    assertTrue(r.err().contains(bad + ":2: "), r.err());
    assertFalse(r.err().contains(good.toString()), r.err());
    // With --skip-bad the bad line is counted over all files.
    WmCommandTest.Run skip = WmCommandTest.wm("detect", "--key", k.toString(), "--input", dir.resolve("d").toString(),
        "--skip-bad");
    assertEquals(0, skip.code(), skip.err());
    assertEquals(1, skip.json().get("skipped_lines").asInt());
    assertTrue(skip.err().contains("2 records (1 bad line skipped)"), skip.err());
  }

  @Test
  void plainTextFoldersAreReadPerLineForTxtFiles() throws Exception {
    Path k = key();
    Path one = write("t/one.txt", TEXTS[0] + "\n\n" + TEXTS[1] + "\n");
    Path two = write("t/sub/two.txt", TEXTS[2]);
    write("t/skip.jsonl", rec("x", "not read with a text format"));
    WmCommandTest.Run r = WmCommandTest.wm("detect", "--key", k.toString(), "--format", "lines",
        "--input", dir.resolve("t").toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(List.of(one + ":1", one + ":3", two + ":1"), ids(r.json()));
  }

  @Test
  void calibrateAndVerifyTakeSeveralInputs() throws Exception {
    Path k = key();
    Path x = write("c/x.jsonl", rec("1", TEXTS[0]) + rec("2", TEXTS[1]));
    Path y = write("c/y.jsonl", rec("3", TEXTS[2]));
    Path z = write("z.txt", TEXTS[3] + "\n" + TEXTS[4] + "\n");
    WmCommandTest.Run c = WmCommandTest.wm("calibrate", "--key", k.toString(), "--input", dir.resolve("c").toString());
    assertEquals(0, c.code(), c.err());
    assertEquals(3, c.json().get("documents").asInt());
    WmCommandTest.Run lines = WmCommandTest.wm("calibrate", "--key", k.toString(), "--format", "lines",
        "--input", z.toString());
    assertEquals(2, lines.json().get("documents").asInt(), lines.err());
    WmCommandTest.Run v = WmCommandTest.wm("verify", "--key", k.toString(), "--mode", "closed",
        "--input", x.toString(), y.toString());
    assertEquals(0, v.code(), v.err());
    assertEquals(3, v.json().get("input_records").asInt());
  }

  @Test
  void helpListsEveryCommandAndWrapsParagraphsAt80Columns() throws Exception {
    WmCommandTest.Run top = WmCommandTest.wm("--help");
    for (String c : List.of("keygen", "detect", "calibrate", "ledger", "verify")) {
      assertTrue(top.out().contains("\n  " + c + " "), c + " missing from\n" + top.out());
    }
    for (String c : List.of("wm", "keygen", "detect", "calibrate", "verify", "ledger")) {
      WmCommandTest.Run h = c.equals("wm") ? top : WmCommandTest.wm(c, "--help");
      assertEquals(0, h.code());
      String[] lines = h.out().split("\n", -1);
      for (String l : lines) {
        assertTrue(l.length() <= 80, c + ": line over 80 columns: " + l);
      }
      // A description paragraph is wrapped by picocli: a line followed by more text of the same
      // paragraph fills most of the width (no hand-made breaks leaving a stub of a line).
      for (int i = 0; i + 1 < lines.length && !lines[i + 1].startsWith(" ") && !lines[i].startsWith(" "); i++) {
        if (!lines[i].isEmpty() && !lines[i + 1].isEmpty() && !lines[i].startsWith("Usage")) {
          assertTrue(lines[i].length() >= 60, c + ": short wrapped line: \"" + lines[i] + "\" before \""
              + lines[i + 1] + "\"");
        }
      }
    }
  }

  @Test
  void helpWidthFollowsTheTerminalWithinLimits() {
    assertEquals(80, WmCommand.usageWidth(null));
    assertEquals(80, WmCommand.usageWidth("not a number"));
    assertEquals(80, WmCommand.usageWidth("40"));
    assertEquals(100, WmCommand.usageWidth(" 100 "));
    assertEquals(120, WmCommand.usageWidth("250"));
  }

  @Test
  void keygenShowsOnlyTheParametersItsSchemeUses() throws Exception {
    WmCommandTest.Run g = WmCommandTest.wm("keygen", "--out", dir.resolve("g.key").toString());
    assertEquals(0, g.code(), g.err());
    JsonNode spec = g.json().get("spec");
    assertTrue(spec.has("gamma") && spec.has("delta"), spec.toString());
    assertFalse(spec.has("layers"), spec.toString());
    WmCommandTest.Run t = WmCommandTest.wm("keygen", "--scheme", "tournament", "--out", dir.resolve("t.key").toString());
    assertEquals(0, t.code(), t.err());
    JsonNode ts = t.json().get("spec");
    assertTrue(ts.has("layers") && !ts.has("gamma") && !ts.has("delta"), ts.toString());
  }

  @Test
  void countsAgreeWithTheirNouns() throws Exception {
    Path k = key();
    Path one = write("one.jsonl", rec("only", TEXTS[0]));
    WmCommandTest.Run r = WmCommandTest.wm("detect", "--key", k.toString(), "--input", one.toString());
    assertEquals(0, r.code(), r.err());
    // The per-record table comes first; the summary line after it.
    assertTrue(r.err().lines().anyMatch(l -> l.startsWith("1 record (0 bad lines skipped): ")), r.err());
    assertEquals("1 record", Plural.of(1, "record"));
    assertEquals("0 records", Plural.of(0, "record"));
    assertEquals("12,345 tuples", Plural.of(12_345, "tuple"));
  }

  @Test
  void freshKeyCalibrationSaysPassOrFail() throws Exception {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < TEXTS.length; i++) {
      b.append(rec("h" + i, TEXTS[i]));
    }
    Path in = write("human.jsonl", b.toString());
    WmCommandTest.Run r = WmCommandTest.wm("calibrate", "--input", in.toString(), "--keys", "300", "--seed", "11");
    assertEquals(0, r.code(), r.err());
    // Fixed seed: deterministic. A valid detector fails this criterion with probability <= 1%.
    assertEquals("pass", r.json().get("result").asText(), r.err());
    assertTrue(r.err().contains("PASS: ") && r.json().get("criterion").asText().contains("KS"), r.err());
  }
}
