package dev.radiomark.verify.cli;

import dev.radiomark.verify.MultiKeyResult;
import dev.radiomark.verify.result.DocumentResult;
import dev.radiomark.verify.result.ResultSink;
import dev.radiomark.verify.result.RunOutcome;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The per-document table on stderr: the first {@code limit} documents (id, line, tokens, the key
 * the document's verdict rests on, its tuples and corrected log10 p, the verdict), then a count
 * of the rest. Printed when the run finishes, before the summary, so a failed run prints no table.
 */
final class DocumentTable implements ResultSink {
  /** Rows printed by default. */
  static final int DEFAULT_ROWS = 20;
  private static final int ID_WIDTH = 24;

  private final PrintWriter err;
  private final int limit;
  private final String more;
  private final List<String> rows = new ArrayList<>();
  private long documents;

  /**
   * @param err where the table goes
   * @param limit rows printed, at least 0
   * @param more where the rest can be read, for the count line (for example "see --csv/--report")
   */
  DocumentTable(PrintWriter err, int limit, String more) {
    this.err = err;
    this.limit = limit;
    this.more = more;
  }

  @Override
  public void document(DocumentResult d) {
    documents++;
    if (rows.size() < limit) {
      rows.add(row(d));
    }
  }

  /** The entry the document's verdict rests on: the smallest corrected p (the first on ties). */
  static MultiKeyResult.Entry decisive(MultiKeyResult m) {
    MultiKeyResult.Entry best = m.entries().get(0);
    for (MultiKeyResult.Entry e : m.entries()) {
      if (e.log10PCorrected() < best.log10PCorrected()) {
        best = e;
      }
    }
    return best;
  }

  private static String row(DocumentResult d) {
    MultiKeyResult.Entry e = decisive(d.result());
    String id = d.id().length() > ID_WIDTH ? d.id().substring(0, ID_WIDTH - 1) + "~" : d.id();
    return String.format(Locale.ROOT, "  %-" + ID_WIDTH + "s %6d %7d  %-12s %7d %10.2f  %s", id, d.line(), d.tokens(),
        e.result().keyId(), e.result().tokensScored(), e.log10PCorrected() + 0.0, d.result().verdict().word());
  }

  @Override
  public void finish(RunOutcome o) {
    if (documents == 0 || limit == 0) {
      return;
    }
    err.println(String.format(Locale.ROOT, "  %-" + ID_WIDTH + "s %6s %7s  %-12s %7s %10s  %s", "id", "line", "tokens",
        "key", "tuples", "log10 p*", "verdict"));
    for (String r : rows) {
      err.println(r);
    }
    if (documents > rows.size()) {
      err.println(String.format(Locale.ROOT, "  ... and %d more; %s", documents - rows.size(), more));
    }
    err.println("  (* corrected over the document's family; key: the one the verdict rests on)");
  }
}
