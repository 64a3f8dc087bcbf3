package dev.radiomark.verify.report;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import dev.radiomark.Watermarker;
import dev.radiomark.io.AtomicFiles;
import dev.radiomark.verify.DetectorConfig;
import dev.radiomark.verify.MultiKeyResult;
import dev.radiomark.verify.SegmentResult;
import dev.radiomark.verify.result.DocumentResult;
import dev.radiomark.verify.result.KeyInfo;
import dev.radiomark.verify.result.KeyOutcome;
import dev.radiomark.verify.result.ResultSink;
import dev.radiomark.verify.result.RunInfo;
import dev.radiomark.verify.result.RunOutcome;
import dev.radiomark.verify.text.TextTokenizer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The HTML evidence report, a {@link ResultSink}: what was tested (keys by id and fingerprint,
 * scheme, tokenizer, input SHA-256, version, alpha and correction), the verdict and its sentence,
 * the keys' tests, the p-value curve (inline SVG), a per-document table sortable by p (inline
 * JavaScript), and the tokens of some documents coloured green (hit), red (scored, no hit) or
 * grey (unscored: prompt, repeat or special).
 *
 * <p>Bounded whatever the input's size: the table keeps the first {@code tableRows} documents and
 * the {@code tableRows} most significant of the rest; tokens are shown for the first
 * {@code tokenDocs} documents and the {@code tokenDocs} most significant of the rest, at most
 * {@code maxTokens} tokens each; the page says so. Written at {@link #finish} with
 * {@link AtomicFiles#replace}: a run that fails before then writes nothing.
 */
public final class HtmlReport implements ResultSink {
  /** Table rows kept from the start of the input, and again from the most significant documents. */
  public static final int TABLE_ROWS = 500;
  /** Documents shown with tokens from the start of the input, and again from the most significant. */
  public static final int TOKEN_DOCS = 10;
  /** Tokens shown per document. */
  public static final int MAX_TOKENS = 2000;

  private static final Mustache TEMPLATE =
      new DefaultMustacheFactory("dev/radiomark/verify/report").compile("report.html.mustache");
  /** The most significant first: smaller corrected p, then earlier. */
  private static final Comparator<Row> LEAST_SIGNIFICANT_FIRST =
      Comparator.comparingDouble((Row r) -> sortKey(r.log10p)).thenComparingLong(r -> r.index).reversed();

  private final Path target;
  private final TokenPainter painter;
  private final TextTokenizer tokenizer;
  private final int tableRows;
  private final int tokenDocs;
  private final int maxTokens;
  private final List<Row> firstRows = new ArrayList<>();
  private final PriorityQueue<Row> topRows;
  private final List<Kept> firstDocs = new ArrayList<>();
  private final PriorityQueue<Kept> topDocs;
  private RunInfo run;

  private HtmlReport(Path target, TokenPainter painter, TextTokenizer tokenizer, int tableRows, int tokenDocs,
      int maxTokens) {
    this.target = target;
    this.painter = painter;
    this.tokenizer = tokenizer;
    this.tableRows = tableRows;
    this.tokenDocs = tokenDocs;
    this.maxTokens = maxTokens;
    topRows = new PriorityQueue<>(LEAST_SIGNIFICANT_FIRST);
    topDocs = new PriorityQueue<>(Comparator.comparing((Kept k) -> k.row, LEAST_SIGNIFICANT_FIRST));
  }

  /**
   * A report whose documents are texts scored by {@link dev.radiomark.verify.Detector} under
   * these keys and options (detect, and closed-mode verify's answers).
   *
   * @param target the HTML file, replaced atomically at {@link #finish}
   * @param keys the keys, in the order of the results' entries
   * @param config the detector options the documents were scored with
   * @param specialTokens the special token ids of {@code config} (shown as "special")
   * @param tokenizer decodes the tokens for display
   * @return the sink
   */
  public static HtmlReport of(Path target, List<Watermarker> keys, DetectorConfig config, int[] specialTokens,
      TextTokenizer tokenizer) {
    return of(target, keys, config, specialTokens, tokenizer, TABLE_ROWS, TOKEN_DOCS, MAX_TOKENS);
  }

  /**
   * As {@link #of(Path, List, DetectorConfig, int[], TextTokenizer)} with other bounds.
   *
   * @param tableRows table rows kept from the start, and again from the most significant, at least 1
   * @param tokenDocs documents shown with tokens from the start, and again from the most significant, at least 0
   * @param maxTokens tokens shown per document, at least 1
   * @return the sink
   * @throws IllegalArgumentException if a bound is out of range
   */
  public static HtmlReport of(Path target, List<Watermarker> keys, DetectorConfig config, int[] specialTokens,
      TextTokenizer tokenizer, int tableRows, int tokenDocs, int maxTokens) {
    if (tableRows < 1 || tokenDocs < 0 || maxTokens < 1) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "report bounds out of range: tableRows %d (>= 1), tokenDocs %d (>= 0), maxTokens %d (>= 1)",
          tableRows, tokenDocs, maxTokens));
    }
    return new HtmlReport(target, new TokenPainter(keys, config, specialTokens), tokenizer, tableRows, tokenDocs,
        maxTokens);
  }

  @Override
  public void start(RunInfo run) {
    this.run = run;
  }

  @Override
  public void document(DocumentResult d) {
    Row row = Row.of(d);
    if (firstRows.size() < tableRows) {
      firstRows.add(row);
    } else {
      topRows.add(row);
      if (topRows.size() > tableRows) {
        topRows.poll();
      }
    }
    if (firstDocs.size() < tokenDocs) {
      firstDocs.add(new Kept(row, d, maxTokens));
    } else if (tokenDocs > 0) {
      if (topDocs.size() < tokenDocs || LEAST_SIGNIFICANT_FIRST.compare(row, topDocs.peek().row) > 0) {
        topDocs.add(new Kept(row, d, maxTokens));
        if (topDocs.size() > tokenDocs) {
          topDocs.poll();
        }
      }
    }
  }

  @Override
  public void finish(RunOutcome o) throws IOException {
    Map<String, Object> scope = scope(o);
    AtomicFiles.replaceShared(target, out -> {
      Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
      TEMPLATE.execute(w, scope);
      w.flush();
    });
  }

  private Map<String, Object> scope(RunOutcome o) {
    if (run == null) {
      throw new IllegalStateException("finish before start");
    }
    Map<String, Object> s = new HashMap<>();
    s.put("command", run.command());
    s.put("mode", "text".equals(run.mode()) ? null : run.mode());
    s.put("version", run.version());
    s.put("verdict", o.verdict().word());
    s.put("statement", o.statement());
    s.put("alpha", Double.toString(run.alpha()));
    s.put("input", run.input());
    s.put("inputSha256", run.inputSha256() == null ? "not hashed (standard input)" : run.inputSha256());
    s.put("documents", o.documents());
    s.put("tokens", o.tokens());
    s.put("skipped", o.read() == null || o.read().skippedLines() == 0 ? null : o.read().skippedLines());
    s.put("tokenizer", run.tokenizer());
    s.put("correction", run.correction());
    List<Map<String, Object>> params = new ArrayList<>();
    run.parameters().forEach((k, v) -> params.add(Map.of("name", k, "value", v)));
    s.put("parameters", params);
    List<Map<String, Object>> keys = new ArrayList<>();
    for (int i = 0; i < o.keys().size(); i++) {
      KeyOutcome k = o.keys().get(i);
      KeyInfo info = run.keys().get(i);
      Map<String, Object> m = new HashMap<>();
      m.put("id", info.id());
      m.put("fingerprint", info.fingerprint());
      m.put("spec", info.spec());
      m.put("tuples", k.tuples());
      m.put("rate", fmt("%.4f", k.rate()));
      m.put("nullRate", fmt("%.4f", k.nullRate()));
      m.put("log10p", fmt("%.2f", k.log10P()));
      m.put("log10pCorrected", fmt("%.2f", k.log10PCorrected()));
      m.put("verdict", k.verdict().word());
      keys.add(m);
    }
    s.put("keys", keys);
    s.put("curveSvg", CurveSvg.render(o.keys(), run.alpha()));
    s.put("curveNote", "Cumulative log10 p of each key's pooled test against the tuples scored, in input order; "
        + "the dashed line is log10 alpha. For plotting only, not a stopping rule: the verdict is the test above.");
    s.put("documentFamily", o.documentFamily() == 1 ? "1 test" : o.documentFamily() + " tests, Holm");
    List<Row> rows = new ArrayList<>(firstRows);
    rows.addAll(topRows);
    rows.sort(Comparator.comparingLong(r -> r.index));
    List<Kept> docs = new ArrayList<>(firstDocs);
    docs.addAll(topDocs);
    docs.sort(Comparator.comparingLong(k -> k.row.index));
    java.util.Set<Long> shownIndex = new java.util.HashSet<>();
    docs.forEach(k -> shownIndex.add(k.row.index));
    List<Map<String, Object>> rowScopes = new ArrayList<>(rows.size());
    for (Row r : rows) {
      Map<String, Object> m = r.scope();
      m.put("shown", shownIndex.contains(r.index));
      rowScopes.add(m);
    }
    s.put("rows", rowScopes);
    s.put("hasDocuments", o.documents() > 0);
    s.put("noDocumentsNote", "This run has no per-document results (reading mode scores the suspect's predictions "
        + "on the probe texts as one pooled test).");
    s.put("tableNote", rows.size() == o.documents()
        ? "All " + o.documents() + " documents."
        : String.format(Locale.ROOT, "%d of %d documents: the first %d and the %d most significant of the rest "
            + "(all of them are in --csv and the JSON).", rows.size(), o.documents(), firstRows.size(), topRows.size()));
    s.put("tokenNote", docs.size() == o.documents()
        ? "Tokens of all " + docs.size() + " documents."
        : String.format(Locale.ROOT, "Tokens of %d of %d documents: the first %d and the %d most significant of the "
            + "rest; at most %d tokens each.", docs.size(), o.documents(), firstDocs.size(), topDocs.size(), maxTokens));
    List<Map<String, Object>> docScopes = new ArrayList<>();
    for (Kept k : docs) {
      docScopes.add(docScope(k));
    }
    s.put("docs", docScopes);
    return s;
  }

  private Map<String, Object> docScope(Kept k) {
    Map<String, Object> m = k.row.scope();
    int keyIndex = k.row.keyIndex;
    byte[] cls = painter.paint(keyIndex, k.prompt, k.text);
    boolean[] seg = new boolean[k.text.length];
    if (k.segment != null) {
      Arrays.fill(seg, Math.min(k.segment.start(), seg.length), Math.min(k.segment.end(), seg.length), true);
    }
    List<Map<String, String>> toks = new ArrayList<>(k.text.length);
    int[] counts = new int[TokenPainter.KINDS];
    String[] pieces = pieces(tokenizer, k.text);
    for (int i = 0; i < k.text.length; i++) {
      counts[cls[i]]++;
      Map<String, String> t = new HashMap<>(4);
      t.put("c", TokenPainter.CSS[cls[i]] + (seg[i] ? " seg" : ""));
      t.put("s", pieces[i]);
      String title = TokenPainter.TITLE[cls[i]];
      if (title != null) {
        t.put("t", title);
      }
      toks.add(t);
    }
    m.put("toks", toks);
    m.put("green", counts[TokenPainter.GREEN]);
    m.put("red", counts[TokenPainter.RED]);
    m.put("unscored", k.text.length - counts[TokenPainter.GREEN] - counts[TokenPainter.RED]);
    m.put("truncated", k.text.length < k.row.tokens);
    m.put("shownTokens", k.text.length);
    m.put("prompt", k.prompt.length == 0 ? null : tokenizer.decode(k.prompt, 0, k.prompt.length));
    return m;
  }

  /** Most tokens one character can span (UTF-8 has at most 4 bytes per character). */
  private static final int MAX_SPLIT = 4;

  /**
   * Each token's text. A character whose UTF-8 bytes are split across tokens decodes to U+FFFD
   * token by token; such a run of up to {@value #MAX_SPLIT} tokens is decoded together and shown
   * on its first token, the others empty.
   */
  static String[] pieces(TextTokenizer tokenizer, int[] text) {
    String[] out = new String[text.length];
    int i = 0;
    while (i < text.length) {
      String one = tokenizer.decode(text, i, 1);
      int len = 1;
      if (one.indexOf('\uFFFD') >= 0) {
        for (int n = 2; n <= MAX_SPLIT && i + n <= text.length; n++) {
          String joined = tokenizer.decode(text, i, n);
          if (joined.indexOf('\uFFFD') < 0) {
            one = joined;
            len = n;
            break;
          }
        }
      }
      out[i] = one;
      for (int j = 1; j < len; j++) {
        out[i + j] = "";
      }
      i += len;
    }
    return out;
  }

  private static String fmt(String f, double x) {
    return Double.isFinite(x) ? String.format(Locale.ROOT, f, x + 0.0) : "n/a";
  }

  /** Undefined p sorts last. */
  static double sortKey(double log10p) {
    return Double.isNaN(log10p) ? Double.POSITIVE_INFINITY : log10p;
  }

  /** One table row: what the report keeps of a document that is not shown with tokens. */
  private static final class Row {
    final long index;
    final String id;
    final int line;
    final int tokens;
    final int keyIndex;
    final String key;
    final long tuples;
    final double log10p;
    final String verdict;
    final String segment;

    private Row(DocumentResult d, int keyIndex, MultiKeyResult.Entry e) {
      index = d.index();
      id = d.id();
      line = d.line();
      tokens = d.tokens();
      this.keyIndex = keyIndex;
      key = e.result().keyId();
      tuples = e.result().tokensScored();
      log10p = e.log10PCorrected();
      verdict = d.result().verdict().word();
      SegmentResult sg = e.segment();
      segment = sg == null ? "" : String.format(Locale.ROOT, "tokens %d-%d, log10 p* %s (%s)", sg.start(), sg.end(),
          fmt("%.2f", e.segmentLog10PCorrected()), e.segmentVerdict().word());
    }

    static Row of(DocumentResult d) {
      List<MultiKeyResult.Entry> es = d.result().entries();
      int best = 0;
      for (int i = 1; i < es.size(); i++) {
        if (es.get(i).log10PCorrected() < es.get(best).log10PCorrected()) {
          best = i;
        }
      }
      return new Row(d, best, es.get(best));
    }

    Map<String, Object> scope() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("index", index);
      m.put("id", id);
      m.put("line", line);
      m.put("tokens", tokens);
      m.put("key", key);
      m.put("tuples", tuples);
      m.put("log10p", fmt("%.2f", log10p));
      m.put("sortP", Double.isNaN(log10p) ? "Infinity" : Double.toString(log10p));
      m.put("verdict", verdict);
      m.put("segment", segment);
      return m;
    }
  }

  /** A document kept for its tokens: its row and the first maxTokens text tokens (scoring is causal). */
  private static final class Kept {
    final Row row;
    final int[] prompt;
    final int[] text;
    final SegmentResult segment;

    Kept(Row row, DocumentResult d, int maxTokens) {
      this.row = row;
      this.prompt = d.prompt().clone();
      this.text = Arrays.copyOf(d.text(), Math.min(maxTokens, d.text().length));
      this.segment = d.result().entries().get(row.keyIndex).segment();
    }
  }
}
