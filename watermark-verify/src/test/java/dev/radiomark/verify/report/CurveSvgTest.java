package dev.radiomark.verify.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.verify.Verdict;
import dev.radiomark.verify.radioactivity.CurvePoint;
import dev.radiomark.verify.result.KeyOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The p-value curve: every vertex of every key inside the plot, none clipped. */
class CurveSvgTest {
  private static KeyOutcome key(String id, double slope, int n) {
    List<CurvePoint> c = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      c.add(new CurvePoint(100L * i, slope * i));
    }
    return new KeyOutcome(id, 100L * n, 0.3, 0.25, slope * n, slope * n, Verdict.FLAGGED, c);
  }

  @Test
  void everyVertexIsInsideThePlot() {
    String svg = CurveSvg.render(List.of(key("steep", -137.0, 50), key("flat", -0.01, 50), key("<b>", -3, 7)), 1e-6);
    Matcher m = Pattern.compile("points=\"([^\"]*)\"").matcher(svg);
    int lines = 0;
    while (m.find()) {
      lines++;
      for (String p : m.group(1).trim().split(" ")) {
        String[] xy = p.split(",");
        double x = Double.parseDouble(xy[0]);
        double y = Double.parseDouble(xy[1]);
        assertTrue(x >= 60 && x <= CurveSvg.WIDTH - 150 + 0.05, "x inside: " + p);
        assertTrue(y >= 12 && y <= CurveSvg.HEIGHT - 36 + 0.05, "y inside: " + p);
      }
    }
    assertEquals(3, lines);
    assertTrue(svg.contains("key &lt;b&gt;"), "key ids are escaped");
  }

  @Test
  void axisFloorIsRoundAndBelowEveryPoint() {
    assertEquals(-10000, CurveSvg.niceFloor(-6850), 0);
    assertEquals(-50, CurveSvg.niceFloor(-21), 0);
    assertEquals(-1, CurveSvg.niceFloor(-0.2), 0);
    assertEquals(-200, CurveSvg.niceFloor(-200), 0);
  }
}
