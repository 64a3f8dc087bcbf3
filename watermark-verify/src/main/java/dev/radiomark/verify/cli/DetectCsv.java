package dev.radiomark.verify.cli;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.radiomark.verify.DetectionResult;
import dev.radiomark.verify.MultiKeyResult;
import dev.radiomark.verify.result.DocumentResult;
import dev.radiomark.verify.result.ResultSink;
import dev.radiomark.verify.result.RunOutcome;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * The CSV writer of {@code wm detect --csv} and {@code wm verify --csv}: one row per record and key, RFC 4180 quoting
 * (Jackson's CSV module), with the record's verdict on every row of the record. Non-finite
 * numbers (the rate of an empty text) are empty cells.
 */
final class DetectCsv implements ResultSink {
  private static final String[] COLUMNS = {"id", "line", "tokens", "prompt_tokens", "key_id", "tuples_scored",
      "score", "rate", "null_rate", "log10_p", "log10_p_corrected", "key_verdict", "record_verdict"};
  private static final String[] SEGMENT_COLUMNS = {"segment_start", "segment_end", "segment_log10_p_corrected"};

  private final SequenceWriter out;
  private final boolean segments;

  DetectCsv(Writer w, boolean segments) throws IOException {
    CsvSchema.Builder b = CsvSchema.builder();
    for (String c : COLUMNS) {
      b.addColumn(c);
    }
    if (segments) {
      for (String c : SEGMENT_COLUMNS) {
        b.addColumn(c);
      }
    }
    this.out = new CsvMapper().writer(b.setUseHeader(true).build()).writeValues(w);
    this.segments = segments;
  }

  @Override
  public void document(DocumentResult r) throws IOException {
    MultiKeyResult mk = r.result();
    for (MultiKeyResult.Entry e : mk.entries()) {
      DetectionResult d = e.result();
      List<Object> row = new ArrayList<>(List.of(r.id(), r.line(), r.tokens(), r.promptTokens(), d.keyId(),
          d.tokensScored(), num(d.score()), num(d.rate()), num(d.nullRate()), num(d.log10P()),
          num(e.log10PCorrected()), e.verdict().word(), mk.verdict().word()));
      if (segments) {
        boolean has = e.segment() != null;
        row.add(has ? e.segment().start() : "");
        row.add(has ? e.segment().end() : "");
        row.add(has ? num(e.segmentLog10PCorrected()) : "");
      }
      out.write(row);
    }
  }

  @Override
  public void finish(RunOutcome o) throws IOException {
    out.flush();
  }

  private static Object num(double x) {
    return Double.isFinite(x) ? x : "";
  }
}
