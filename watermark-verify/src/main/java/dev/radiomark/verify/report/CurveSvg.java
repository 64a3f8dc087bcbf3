package dev.radiomark.verify.report;

import com.google.common.html.HtmlEscapers;
import dev.radiomark.verify.radioactivity.CurvePoint;
import dev.radiomark.verify.result.KeyOutcome;
import java.util.List;
import java.util.Locale;

/**
 * The p-value curve as inline SVG: each key's cumulative log10 p against tuples scored, and
 * log10 alpha dashed. Every line is drawn whole: the y axis reaches the smallest point of any key.
 */
final class CurveSvg {
  static final int WIDTH = 760;
  static final int HEIGHT = 280;
  private static final int LEFT = 60;
  private static final int RIGHT = 150;
  private static final int TOP = 12;
  private static final int BOTTOM = 36;
  private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

  private CurveSvg() {}

  static String render(List<KeyOutcome> keys, double alpha) {
    double la = Math.log10(alpha);
    long maxX = 1;
    double minY = la;
    for (KeyOutcome k : keys) {
      for (CurvePoint p : k.curve()) {
        maxX = Math.max(maxX, p.tuples());
        if (Double.isFinite(p.log10P())) {
          minY = Math.min(minY, p.log10P());
        }
      }
    }
    minY = niceFloor(minY);
    int pw = WIDTH - LEFT - RIGHT;
    int ph = HEIGHT - TOP - BOTTOM;
    StringBuilder b = new StringBuilder(4096);
    b.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"curve\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
            + "role=\"img\" aria-label=\"p-value curve\">", WIDTH, HEIGHT, WIDTH, HEIGHT));
    b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fafafa\" "
        + "stroke=\"#999\"/>", LEFT, TOP, pw, ph));
    for (int i = 0; i <= 4; i++) {
      double y = minY * i / 4.0;
      double py = TOP + ph * (y / minY);
      b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e3e3e3\"/>"
          + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", LEFT, LEFT + pw, py, py, LEFT - 4, py + 4,
          trim(y)));
      long x = Math.round(maxX * i / 4.0);
      double px = LEFT + pw * (double) x / maxX;
      b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>", px,
          TOP + ph + 14, x));
    }
    b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">tuples scored</text>",
        LEFT + pw / 2, HEIGHT - 4));
    b.append(String.format(Locale.ROOT, "<text transform=\"translate(14 %d) rotate(-90)\" text-anchor=\"middle\">"
        + "log10 p</text>", TOP + ph / 2));
    double ay = TOP + ph * (la / minY);
    b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#555\" "
        + "stroke-dasharray=\"5 4\"/><text x=\"%d\" y=\"%.1f\" fill=\"#555\">log10 alpha (alpha = %s)</text>", LEFT, LEFT + pw,
        ay, ay, LEFT + 6, ay + 13, alpha));
    for (int k = 0; k < keys.size(); k++) {
      String colour = COLOURS[k % COLOURS.length];
      b.append("<polyline class=\"key-curve\" fill=\"none\" stroke-width=\"2\" stroke=\"").append(colour)
          .append("\" points=\"");
      b.append(String.format(Locale.ROOT, "%d,%d", LEFT, TOP));
      for (CurvePoint p : keys.get(k).curve()) {
        if (!Double.isFinite(p.log10P())) {
          continue;
        }
        b.append(String.format(Locale.ROOT, " %.1f,%.1f", LEFT + pw * (double) p.tuples() / maxX,
            TOP + ph * (p.log10P() / minY)));
      }
      b.append("\"/>");
      int ly = TOP + 14 + 16 * k;
      b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" "
          + "stroke-width=\"2\"/><text x=\"%d\" y=\"%d\">key %s</text>", LEFT + pw + 6, LEFT + pw + 24, ly, ly,
          colour, LEFT + pw + 28, ly + 4, HtmlEscapers.htmlEscaper().escape(keys.get(k).keyId())));
    }
    b.append("</svg>");
    return b.toString();
  }

  /** A round lower bound below zero: 1, 2 or 5 times a power of ten. */
  static double niceFloor(double y) {
    double m = Math.max(1, -y);
    double p = Math.pow(10, Math.floor(Math.log10(m)));
    for (double f : new double[] {1, 2, 5, 10}) {
      if (f * p >= m) {
        return -f * p;
      }
    }
    return -10 * p;
  }

  private static String trim(double y) {
    return y == Math.rint(y) ? Long.toString((long) y) : String.format(Locale.ROOT, "%.1f", y);
  }
}
