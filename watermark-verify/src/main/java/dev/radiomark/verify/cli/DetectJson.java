package dev.radiomark.verify.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.radiomark.verify.Claim;
import dev.radiomark.verify.DetectionResult;
import dev.radiomark.verify.MultiKeyResult;
import dev.radiomark.verify.SegmentResult;
import dev.radiomark.verify.result.DocumentResult;
import dev.radiomark.verify.result.KeyInfo;
import dev.radiomark.verify.result.ResultSink;
import dev.radiomark.verify.result.RunInfo;
import dev.radiomark.verify.result.RunOutcome;
import dev.radiomark.verify.text.ReadSummary;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Writes the JSON document of {@code wm detect} one record at a time with Jackson's streaming
 * generator, so that memory does not grow with the number of records. Field layout: see
 * {@link DetectCommand}.
 */
final class DetectJson implements ResultSink {
  private final JsonGenerator g;
  private final boolean segments;
  private double alpha;
  private List<ObjectNode> ledgers;

  DetectJson(Writer out, boolean segments) throws IOException {
    this.segments = segments;
    g = Cli.JSON.getFactory().createGenerator(out).useDefaultPrettyPrinter();
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
  }

  /**
   * Marks the document as the supervised variant ({@code wm scan --ledger}): {@link #start} then
   * also writes {@code "supervised": true} and {@code "ledgers"}, one ledger object per key in key
   * order (the {@code "ledger"} object of {@code wm verify}).
   */
  void supervised(List<ObjectNode> perKey) {
    this.ledgers = List.copyOf(perKey);
  }

  /** Starts the document and its "records" array. */
  @Override
  public void start(RunInfo run) throws IOException {
    alpha = run.alpha();
    g.writeStartObject();
    g.writeNumberField("alpha", alpha);
    g.writeStringField("tokenizer", run.tokenizer());
    g.writeArrayFieldStart("key_ids");
    for (KeyInfo k : run.keys()) {
      g.writeString(k.id());
    }
    g.writeEndArray();
    g.writeBooleanField("segments", segments);
    if (ledgers != null) {
      g.writeBooleanField("supervised", true);
      g.writeArrayFieldStart("ledgers");
      for (ObjectNode o : ledgers) {
        Cli.JSON.writeTree(g, o);
      }
      g.writeEndArray();
    }
    g.writeArrayFieldStart("records");
  }

  /** Writes one record. */
  @Override
  public void document(DocumentResult r) throws IOException {
    document(r.id(), r.line(), r.tokens(), r.promptTokens(), r.result());
  }

  /** Writes one record from its counts, for scorers that do not keep its tokens ({@code wm scan}). */
  void document(String id, int line, int tokens, int promptTokens, MultiKeyResult result) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", id);
    g.writeNumberField("line", line);
    g.writeNumberField("tokens", tokens);
    g.writeNumberField("prompt_tokens", promptTokens);
    family(result, Claim.DETECT);
    g.writeEndObject();
  }

  /** Closes the records, writes the pool and the read summary, and ends the document. */
  @Override
  public void finish(RunOutcome p) throws IOException {
    ReadSummary summary = p.read();
    g.writeEndArray();
    g.writeObjectFieldStart("pooled");
    g.writeNumberField("records", p.documents());
    g.writeNumberField("tokens", p.tokens());
    family(p.pooled(), Claim.DETECT_POOLED);
    g.writeEndObject();
    g.writeNumberField("skipped_lines", summary.skippedLines());
    g.writeArrayFieldStart("skip_errors");
    for (String e : summary.firstErrors()) {
      g.writeString(e);
    }
    g.writeEndArray();
    g.writeEndObject();
    g.writeRaw('\n');
    g.flush();
  }

  private void family(MultiKeyResult m, Claim claim) throws IOException {
    g.writeStringField("verdict", m.verdict().word());
    num("log10_p_corrected", m.log10PCorrected());
    g.writeStringField("correction", m.correction());
    g.writeNumberField("family", m.family());
    g.writeStringField("statement", claim.sentence(m.verdict(), m.claimKeys(), alpha));
    g.writeArrayFieldStart("keys");
    for (MultiKeyResult.Entry e : m.entries()) {
      DetectionResult r = e.result();
      g.writeStartObject();
      g.writeStringField("key_id", r.keyId());
      g.writeStringField("verdict", e.verdict().word());
      g.writeNumberField("tokens_scored", r.tokensScored());
      num("score", r.score());
      num("rate", r.rate());
      num("null_rate", r.nullRate());
      num("log10_p", r.log10P());
      num("log10_p_corrected", e.log10PCorrected());
      SegmentResult s = e.segment();
      if (s != null) {
        num("log10_p_whole_corrected", e.wholeLog10PCorrected());
        g.writeObjectFieldStart("segment");
        g.writeStringField("verdict", e.segmentVerdict().word());
        g.writeNumberField("start", s.start());
        g.writeNumberField("end", s.end());
        g.writeNumberField("tuples_scored", s.tuplesScored());
        num("log10_p_raw", s.log10PRaw());
        num("log10_p", s.log10P());
        g.writeNumberField("segments_tried", s.segmentsTried());
        num("log10_p_corrected", e.segmentLog10PCorrected());
        g.writeEndObject();
      }
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** A number, or null when it is NaN or infinite (JSON has no such numbers). */
  private void num(String field, double x) throws IOException {
    if (Double.isFinite(x)) {
      g.writeNumberField(field, x);
    } else {
      g.writeNullField(field);
    }
  }
}
