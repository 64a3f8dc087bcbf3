package dev.radiomark.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.WatermarkSpec;
import dev.radiomark.WindowRule;
import dev.radiomark.key.KeyFiles;
import dev.radiomark.verify.cli.WmCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * One recommended setting: the demo watermarks with the scheme setting {@code wm keygen} writes
 * by default (the one chosen by the per-key validity study, docs/verification.md), and its
 * students can represent that setting's green lists.
 */
class DemoDefaultsTest {
  @TempDir Path dir;

  private static WatermarkSpec keygenDefault(Path dir) {
    Path key = dir.resolve("k.json");
    CommandLine cl = WmCommand.commandLine(new DemoCommand());
    cl.setOut(new PrintWriter(new StringWriter(), true));
    cl.setErr(new PrintWriter(new StringWriter(), true));
    assertEquals(0, cl.execute("keygen", "--out", key.toString()));
    return KeyFiles.read(key).spec();
  }

  @Test
  void demoUsesTheKeygenDefault() {
    WatermarkSpec k = keygenDefault(dir);
    for (DemoConfig d : new DemoConfig[] {DemoConfig.defaults(), DemoConfig.quick()}) {
      assertEquals(k.contextWidth(), d.contextWidth(), "h");
      assertEquals(k.gamma(), d.gamma(), 0.0, "gamma");
      assertEquals(k.delta(), d.delta(), 0.0, "delta");
      assertEquals(WindowRule.ORDERED, k.windowRule(), "the demo's windows are ordered");
      assertEquals("o200k_base", k.tokenizer());
    }
  }

  @Test
  void studentsSeeTheWholeWindow() {
    for (DemoConfig d : new DemoConfig[] {DemoConfig.defaults(), DemoConfig.quick()}) {
      // An order-n model conditions on n - 1 tokens; the green list depends on h tokens.
      assertTrue(d.ngramOrder() >= d.contextWidth() + 1, "n-gram order " + d.ngramOrder());
      assertTrue(d.neural().contextSize() >= d.contextWidth(), "neural context " + d.neural().contextSize());
    }
  }

  @Test
  void studentSettingsOutOfRangeAreRefused() {
    DemoConfig d = DemoConfig.defaults();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> d.withStudents(1, d.neural(), d.neuralTrainTokens(), 0));
    assertTrue(e.getMessage().contains("ngramOrder"), e.getMessage());
    // top-1 is the demo's own row; a weighted row needs k >= 2.
    e = assertThrows(IllegalArgumentException.class, () -> d.withStudents(5, d.neural(), d.neuralTrainTokens(), 1));
    assertTrue(e.getMessage().contains("readingTopK"), e.getMessage());
  }
}
