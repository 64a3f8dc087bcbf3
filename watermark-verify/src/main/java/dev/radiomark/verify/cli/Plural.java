package dev.radiomark.verify.cli;

import java.util.Locale;

/** Counted nouns for messages: "1 record", "2 records", "1,000 records". */
public final class Plural {
  private Plural() {}

  /**
   * The count and the noun, plural unless the count is 1; the plural adds "s".
   *
   * @param n the count
   * @param singular the noun in the singular, for example {@code "record"}
   * @return for example {@code "1 record"}, {@code "0 records"}, {@code "12,345 records"}
   */
  public static String of(long n, String singular) {
    return of(n, singular, singular + "s");
  }

  /**
   * The count and the noun in the singular or the given plural.
   *
   * @param n the count
   * @param singular the noun for a count of 1
   * @param plural the noun for any other count
   * @return for example {@code "1 bad line skipped"}
   */
  public static String of(long n, String singular, String plural) {
    return String.format(Locale.ROOT, "%,d %s", n, n == 1 ? singular : plural);
  }
}
