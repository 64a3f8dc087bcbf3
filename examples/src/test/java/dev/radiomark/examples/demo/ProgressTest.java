package dev.radiomark.examples.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The demo's progress stream never goes quiet for longer than its limit. */
class ProgressTest {
  private static final Pattern STAMP = Pattern.compile("^\\[\\s*([0-9.]+)s\\] (.*)$", Pattern.MULTILINE);

  /** The stamps of the lines, in seconds. */
  static List<Double> stamps(String log) {
    List<Double> out = new ArrayList<>();
    Matcher m = STAMP.matcher(log);
    while (m.find()) {
      out.add(Double.parseDouble(m.group(1)));
    }
    return out;
  }

  /** The longest gap between consecutive lines, from the start (0 s) and up to {@code end} seconds. */
  static double longestGap(List<Double> stamps, double end) {
    double prev = 0;
    double gap = 0;
    for (double s : stamps) {
      gap = Math.max(gap, s - prev);
      prev = s;
    }
    return Math.max(gap, end - prev);
  }

  @Test
  void aLongSilentTaskGetsHeartbeatLinesSayingWhatItDoes() {
    // A manual clock: deterministic whatever the machine's load.
    AtomicLong now = new AtomicLong();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream log = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    long second = 1_000_000_000L;
    try (Progress p = new Progress(log, 8 * second, 3_600 * second, now::get)) {
      p.line("start");
      p.status("neural rho=0.05", "training on 625 sequences");
      // 95 s of silent training, the heartbeat checking once a second.
      for (int t = 1; t <= 95; t++) {
        now.set(t * second);
        p.tick();
      }
      p.status("neural rho=0.05", null);
      p.line("trained");
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    List<Double> stamps = stamps(out);
    assertTrue(longestGap(stamps, 95) <= 8.0 + 1e-9, out);
    assertTrue(out.contains("still working: neural rho=0.05: training on 625 sequences (8 s)"), out);
    assertTrue(out.contains("(88 s)"), out);
  }

  @Test
  void noHeartbeatWhileLinesKeepComing() {
    AtomicLong now = new AtomicLong();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    long second = 1_000_000_000L;
    try (Progress p = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), 8 * second,
        3_600 * second, now::get)) {
      for (int t = 0; t < 40; t += 5) {
        now.set(t * second);
        p.line("step %d", t);
        p.tick();
      }
    }
    assertTrue(!bytes.toString(StandardCharsets.UTF_8).contains("still working"));
  }
}
