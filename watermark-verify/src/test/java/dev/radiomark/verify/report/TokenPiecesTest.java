package dev.radiomark.verify.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.verify.text.TextTokenizer;
import org.junit.jupiter.api.Test;

/** Token texts in the report: characters split across byte-level tokens are shown whole. */
class TokenPiecesTest {
  @Test
  void splitCharactersAreShownWholeAndTheTextIsKept() {
    TextTokenizer tok = TextTokenizer.o200k();
    String text = "Grüße aus Köln: 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🦜🦜 and 日本語のテキスト, plain words too.";
    int[] ids = tok.encode(text);
    boolean split = false;
    for (int i = 0; i < ids.length; i++) {
      split |= tok.decode(ids, i, 1).indexOf('\uFFFD') >= 0;
    }
    assertTrue(split, "the sample has characters split across tokens");
    String[] pieces = HtmlReport.pieces(tok, ids);
    assertEquals(ids.length, pieces.length);
    assertEquals(text, String.join("", pieces));
    for (String p : pieces) {
      assertFalse(p.indexOf('\uFFFD') >= 0, "no replacement character: " + p);
    }
  }
}
