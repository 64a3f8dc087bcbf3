package dev.radiomark.verify.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.radiomark.verify.text.Canonicalizer.Variant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What each canonical variant undoes, and which variants a text gets. */
class CanonicalizerTest {
  private final Canonicalizer c = Canonicalizer.defaults();

  @Test
  void canonicalFormUndoesWhitespaceCompatibilityAndInvisibleCharacters() {
    assertEquals(" the lord said", Canonicalizer.apply(Variant.CANONICAL, " the\t\tlord \n\n said"));
    assertEquals(" the lord said ", Canonicalizer.apply(Variant.CANONICAL, "\u00a0the\u2003lord said  "));
    assertEquals("the lord", Canonicalizer.apply(Variant.CANONICAL, "\uff54\uff48\uff45 lo\u200brd\u00ad\ufeff"));
    assertEquals("file", Canonicalizer.apply(Variant.CANONICAL, "\ufb01le"));
    assertEquals(" the * lord", Canonicalizer.apply(Variant.CANONICAL, " the * lord"));
  }

  @Test
  void symbolsAndCase() {
    assertEquals(" the lord, said ", Canonicalizer.apply(Variant.NO_SYMBOLS, " the @ lord, * said\u2605"));
    assertEquals("And I said. Then the lord? Yes",
        Canonicalizer.apply(Variant.RECASED, "AND I SAID. THEN THE LORD? YES"));
    assertEquals("The lord said", Canonicalizer.apply(Variant.RECASED, "THE # LORD  SAID"));
    assertEquals("x", Canonicalizer.apply(Variant.AS_GIVEN, "x"));
  }

  @Test
  void variantsAreDecidedFromTheTextAlone() {
    assertEquals(List.of(Variant.AS_GIVEN, Variant.CANONICAL), c.variants("In the beginning God created"));
    assertEquals(List.of(Variant.AS_GIVEN, Variant.CANONICAL, Variant.NO_SYMBOLS), c.variants("In the @ beginning"));
    assertEquals(List.of(Variant.AS_GIVEN, Variant.CANONICAL, Variant.RECASED), c.variants("IN THE BEGINNING GOD"));
    assertEquals(List.of(Variant.AS_GIVEN, Variant.CANONICAL, Variant.NO_SYMBOLS, Variant.RECASED),
        c.variants("IN THE * BEGINNING GOD"));
    // Too few letters to call it upper-cased text.
    assertEquals(List.of(Variant.AS_GIVEN, Variant.CANONICAL), c.variants("NASA IS"));
    assertEquals(List.of(Variant.AS_GIVEN), Canonicalizer.none().variants("IN THE * BEGINNING GOD"));
    assertThrows(NullPointerException.class, () -> c.variants(null));
  }
}
