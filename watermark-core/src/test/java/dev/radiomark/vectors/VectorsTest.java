package dev.radiomark.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.hash.Hashing;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Recomputes every row of the frozen vector files and compares exactly. */
class VectorsTest {
  static List<String[]> rows(String name) throws IOException {
    List<String[]> out = new ArrayList<>();
    try (InputStream in = VectorsTest.class.getResourceAsStream("/vectors/" + name)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      boolean header = true;
      for (String line : text.split("\n")) {
        if (line.startsWith("#") || line.isEmpty()) {
          continue;
        }
        if (header) {
          header = false;
          continue;
        }
        String[] f = line.split("\t", -1);
        assertEquals(5, f.length, line);
        out.add(f);
      }
    }
    return out;
  }

  @Test
  void prfRowsRecompute() throws IOException {
    List<String[]> rows = rows("prf-v1.tsv");
    assertTrue(rows.size() > 80, "rows: " + rows.size());
    for (String[] r : rows) {
      assertEquals(r[4], VectorRows.prf(r[0], r[1], r[2], r[3]), String.join(" | ", r));
    }
  }

  @Test
  void schemeRowsRecompute() throws IOException {
    List<String[]> rows = rows("scheme-v1.tsv");
    assertTrue(rows.size() > 100, "rows: " + rows.size());
    for (String[] r : rows) {
      assertEquals(r[4], VectorRows.scheme(r[0], r[1], r[2], r[3]), String.join(" | ", r));
    }
  }

  /** The ordered seeds of the file, recomputed with Guava's independent SipHash-2-4. */
  @Test
  void orderedSeedsMatchGuavaSipHash() throws IOException {
    Map<String, long[]> keys = new java.util.HashMap<>();
    List<String[]> rows = rows("prf-v1.tsv");
    for (String[] r : rows) {
      if (r[0].equals("subkeys")) {
        Map<String, String> f = VectorRows.fields(r[4]);
        keys.put(r[1] + " " + r[2], new long[] {
            Long.parseUnsignedLong(f.get("k0"), 16), Long.parseUnsignedLong(f.get("k1"), 16)});
      }
    }
    int checked = 0;
    for (String[] r : rows) {
      if (r[0].equals("ordered")) {
        long[] k = keys.get(r[1] + " " + r[2]);
        int[] t = VectorRows.ints(VectorRows.fields(r[3]).get("tokens"));
        ByteBuffer b = ByteBuffer.allocate(4 * t.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : t) {
          b.putInt(x);
        }
        long guava = Hashing.sipHash24(k[0], k[1]).hashBytes(b.array()).asLong();
        assertEquals(r[4], "seed=" + VectorRows.hex(guava), String.join(" | ", r));
        checked++;
      }
    }
    assertEquals(20, checked);
  }
}
