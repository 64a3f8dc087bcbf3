package dev.radiomark.examples.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.examples.lm.Corpus.Part;
import org.junit.jupiter.api.Test;

class CorpusTest {

  @Test
  void loadsAllVersesFromTheClasspath() {
    Corpus c = Corpus.kjv();
    assertEquals(31_102, c.size());
    assertEquals("In the beginning God created the heaven and the earth.", c.verse(0));
    for (int i = 0; i < c.size(); i++) {
      assertTrue(c.tokens(i).length > 0, "verse " + i + " has tokens");
    }
    // Round trip through the tokenizer: ids are o200k_base ids.
    assertEquals(c.verse(1), Corpus.encoding().decode(
        com.knuddels.jtokkit.api.IntArrayList.class.cast(toList(c.tokens(1)))));
  }

  private static com.knuddels.jtokkit.api.IntArrayList toList(int[] a) {
    var l = new com.knuddels.jtokkit.api.IntArrayList(a.length);
    for (int x : a) {
      l.add(x);
    }
    return l;
  }

  @Test
  void splitIsDisjointCompleteAndNearTheDocumentedProportions() {
    Corpus c = Corpus.kjv();
    double[] expected = {0.45, 0.35, 0.10, 0.10};
    boolean[] seen = new boolean[c.size()];
    int total = 0;
    for (Part p : Part.values()) {
      int[] idx = c.indices(p);
      total += idx.length;
      for (int i : idx) {
        assertTrue(!seen[i], "verse " + i + " in two parts");
        seen[i] = true;
        assertEquals(p, Corpus.partOf(i));
      }
      double share = idx.length / (double) c.size();
      assertEquals(expected[p.ordinal()], share, 0.02, p + " share");
      assertEquals(idx.length, c.tokens(p).length);
    }
    assertEquals(c.size(), total);
  }

  @Test
  void splitRuleIsFrozen() {
    // Pinned outputs of the documented rule: changing it silently would move verses between parts.
    Part[] first = new Part[12];
    for (int i = 0; i < first.length; i++) {
      first[i] = Corpus.partOf(i);
    }
    StringBuilder sb = new StringBuilder();
    for (Part p : first) {
      sb.append(p.ordinal());
    }
    assertEquals(PINNED, sb.toString());
  }

  // Part ordinals of verses 0..11, computed independently from the javadoc rule with Python 3
  // integers (SplitMix64 finaliser, unsigned remainder 100).
  static final String PINNED = "101011210100";

  @Test
  void streamKeepsVerseBoundaries() {
    Corpus c = Corpus.kjv();
    Corpus.TokenStream s = c.stream(Part.PROMPTS);
    int[][] verses = c.tokens(Part.PROMPTS);
    assertEquals(verses.length, s.count());
    assertEquals(c.tokenCount(Part.PROMPTS), s.tokens().length);
    for (int i = 0; i < verses.length; i++) {
      assertEquals(verses[i].length, s.starts()[i + 1] - s.starts()[i]);
      assertEquals(verses[i][0], s.tokens()[s.starts()[i]]);
    }
  }

  @Test
  void rejectsBadIndices() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Corpus.kjv().verse(31_102));
    assertEquals("index is not in [0, 31102): 31102", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Corpus.partOf(-1));
    assertEquals("index is negative: -1", e.getMessage());
  }
}
