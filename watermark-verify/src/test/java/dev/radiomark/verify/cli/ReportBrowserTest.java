package dev.radiomark.verify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report in a real browser: Debian's headless Chromium takes a screenshot of the page
 * and dumps its DOM after the page's script ran. Skips only when Chromium is absent
 * ({@code .ci/run} installs it); set {@code RADIOMARK_CHROMIUM} to use another binary.
 */
class ReportBrowserTest {
  private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("RADIOMARK_CHROMIUM", "/usr/bin/chromium"));
  /** The report's token colours (.g and .r in the template). */
  private static final int[] GREEN = {0x5f, 0xd3, 0x5f};
  private static final int[] RED = {0xf0, 0x70, 0x70};

  @TempDir
  Path dir;

  @BeforeAll
  static void generate() {
    ReportCommandTest.generate();
  }

  private static void requireChromium() {
    assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM
        + ": skipping the browser test of the HTML report (apt-get install chromium; .ci/run does)");
  }

  private String run(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + Files.createTempDirectory(dir, "profile-")));
    cmd.addAll(List.of(args));
    Path out = dir.resolve("chromium.out");
    Path err = dir.resolve("chromium.err");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish in 180 s: " + Files.readString(err));
    }
    assertEquals(0, p.exitValue(), Files.readString(err));
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  private Path report(String name, String input) {
    Path in = dir.resolve(name + ".jsonl");
    Path html = dir.resolve(name + ".html");
    try {
      Files.writeString(in, input);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    Path k = ReportCommandTest.key(dir, name + "-acme.json", WmCommandTest.acme);
    WmCommandTest.Run r = WmCommandTest.wm("detect", "--key", k.toString(), "--input", in.toString(), "--report",
        html.toString());
    assertEquals(0, r.code(), r.err());
    return html;
  }

  /** Counts pixels of the green and red token colours (within a small tolerance) and non-white pixels. */
  private static long[] pixels(Path png) throws IOException {
    BufferedImage img = ImageIO.read(png.toFile());
    long green = 0;
    long red = 0;
    long ink = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y);
        int r = rgb >> 16 & 0xff;
        int g = rgb >> 8 & 0xff;
        int b = rgb & 0xff;
        if (near(r, g, b, GREEN)) {
          green++;
        } else if (near(r, g, b, RED)) {
          red++;
        }
        if (r + g + b < 3 * 245) {
          ink++;
        }
      }
    }
    return new long[] {green, red, ink, (long) img.getWidth() * img.getHeight()};
  }

  private static boolean near(int r, int g, int b, int[] c) {
    return Math.abs(r - c[0]) <= 6 && Math.abs(g - c[1]) <= 6 && Math.abs(b - c[2]) <= 6;
  }

  /** Green tokens over scored tokens, from the page's own counts. */
  private static double tokenGreenShare(String html) {
    Matcher m = Pattern.compile("green (\\d+), red (\\d+)").matcher(html);
    long g = 0;
    long r = 0;
    while (m.find()) {
      g += Long.parseLong(m.group(1));
      r += Long.parseLong(m.group(2));
    }
    return (double) g / (g + r);
  }

  private double[] screenshotShares(Path html) throws Exception {
    Path png = dir.resolve(html.getFileName() + ".png");
    run("--window-size=1200,2400", "--hide-scrollbars", "--screenshot=" + png, html.toUri().toString());
    long[] px = pixels(png);
    assertTrue(px[2] > px[3] / 50, "the page is not blank: " + px[2] + " of " + px[3] + " pixels inked");
    assertTrue(px[0] + px[1] > 5000, "token colours are drawn: green " + px[0] + ", red " + px[1]);
    return new double[] {(double) px[0] / (px[0] + px[1]), tokenGreenShare(Files.readString(html))};
  }

  /**
   * Watermarked text is mostly green on screen and ordinary text mostly red, in about the
   * proportions the page's counts give (pixels follow token widths, hence the tolerance).
   */
  @Test
  void screenshotShowsGreenAndRedTokensInTheirProportions() throws Exception {
    requireChromium();
    double[] wm = screenshotShares(report("wm", ReportCommandTest.line("wm", WmCommandTest.watermarked)));
    double[] human = screenshotShares(report("human", ReportCommandTest.line("human", WmCommandTest.HUMAN)
        + ReportCommandTest.line("human2", WmCommandTest.HUMAN.toUpperCase(java.util.Locale.ROOT))));
    System.out.printf(java.util.Locale.ROOT, "green share of pixels / of tokens: watermarked %.3f / %.3f, ordinary %.3f / %.3f%n",
        wm[0], wm[1], human[0], human[1]);
    assertTrue(wm[1] > 0.75 && human[1] < 0.45, "token shares: watermarked " + wm[1] + ", ordinary " + human[1]);
    assertEquals(wm[1], wm[0], 0.15, "watermarked: green share of pixels vs of tokens");
    assertEquals(human[1], human[0], 0.15, "ordinary: green share of pixels vs of tokens");
  }

  /** The page's script sorts the table by corrected p, most significant first, when it loads. */
  @Test
  void tableIsSortedByPAfterTheScriptRan() throws Exception {
    requireChromium();
    Path html = report("mixed", ReportCommandTest.line("first", WmCommandTest.HUMAN)
        + ReportCommandTest.line("second", WmCommandTest.watermarked.substring(0, 300))
        + ReportCommandTest.line("third", WmCommandTest.watermarked));
    List<Long> before = order(Files.readString(html));
    assertEquals(List.of(0L, 1L, 2L), before, "the file lists documents in input order");
    String dom = run("--dump-dom", html.toUri().toString());
    assertTrue(dom.contains("data-sorted="), "the script ran");
    List<Long> after = order(dom);
    assertEquals(List.of(2L, 1L, 0L), after, "most significant first: the whole watermarked text, its start, "
        + "then the ordinary text");
    String sample = System.getenv("RADIOMARK_REPORT_SAMPLE");
    if (sample != null) {
      writeSample(Path.of(sample));
    }
  }

  /** The page and screenshot of docs/reports.md: two keys, segments, a passage pasted into ordinary text. */
  private void writeSample(Path out) throws Exception {
    String half = WmCommandTest.watermarked.substring(0, WmCommandTest.watermarked.length() / 2);
    Path in = Files.writeString(dir.resolve("sample.jsonl"), ReportCommandTest.line("minutes", WmCommandTest.HUMAN)
        + ReportCommandTest.line("pasted", WmCommandTest.HUMAN.substring(0, 200) + half + " "
            + WmCommandTest.HUMAN.substring(200, 400))
        + ReportCommandTest.line("answer", WmCommandTest.watermarked));
    Path k1 = ReportCommandTest.key(dir, "s-acme.json", WmCommandTest.acme);
    Path k2 = ReportCommandTest.key(dir, "s-other.json", WmCommandTest.other);
    Path html = out.resolve("report-sample.html");
    WmCommandTest.Run r = WmCommandTest.wm("detect", "--key", k1.toString(), "--key", k2.toString(), "--input",
        in.toString(), "--segments", "--report", html.toString());
    assertEquals(0, r.code(), r.err());
    Path full = dir.resolve("sample-full.png");
    run("--window-size=1000,2300", "--hide-scrollbars", "--screenshot=" + full, html.toUri().toString());
    BufferedImage img = ImageIO.read(full.toFile());
    int w = img.getWidth() * 7 / 10;
    int h = img.getHeight() * 7 / 10;
    BufferedImage small = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = small.createGraphics();
    g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(img, 0, 0, w, h, null);
    g.dispose();
    ImageIO.write(small, "png", out.resolve("report-sample.png").toFile());
  }

  private static List<Long> order(String html) {
    int body = html.indexOf("<tbody>", html.indexOf("id=\"documents\""));
    String rows = html.substring(body, html.indexOf("</tbody>", body));
    Matcher m = Pattern.compile("<tr data-index=\"(\\d+)\"").matcher(rows);
    List<Long> out = new ArrayList<>();
    while (m.find()) {
      out.add(Long.parseLong(m.group(1)));
    }
    return out;
  }
}
