package dev.radiomark.verify.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.radiomark.verify.Claim;
import dev.radiomark.verify.DetectionResult;
import dev.radiomark.verify.MultiKeyResult;
import dev.radiomark.verify.SegmentResult;
import dev.radiomark.verify.text.ReadSummary;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Writes the JSON document of {@code wm detect} one record at a time with Jackson's streaming
 * generator, so that memory does not grow with the number of records. Field layout: see
 * {@link DetectCommand}.
 */
final class DetectJson {
  private final JsonGenerator g;
  private final double alpha;

  /** Starts the document and its "records" array. */
  DetectJson(Writer out, double alpha, String tokenizer, List<String> keyIds, boolean segments) throws IOException {
    this.alpha = alpha;
    g = Cli.JSON.getFactory().createGenerator(out).useDefaultPrettyPrinter();
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    g.writeStartObject();
    g.writeNumberField("alpha", alpha);
    g.writeStringField("tokenizer", tokenizer);
    g.writeArrayFieldStart("key_ids");
    for (String id : keyIds) {
      g.writeString(id);
    }
    g.writeEndArray();
    g.writeBooleanField("segments", segments);
    g.writeArrayFieldStart("records");
  }

  /** Writes one record. */
  void record(DetectScorer.RecordResult r) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", r.id());
    g.writeNumberField("line", r.line());
    g.writeNumberField("tokens", r.tokens());
    g.writeNumberField("prompt_tokens", r.promptTokens());
    family(r.result(), Claim.DETECT);
    g.writeEndObject();
  }

  /** Closes the records, writes the pool and the read summary, and ends the document. */
  void finish(DetectScorer.PoolResult p, ReadSummary summary) throws IOException {
    g.writeEndArray();
    g.writeObjectFieldStart("pooled");
    g.writeNumberField("records", p.records());
    g.writeNumberField("tokens", p.tokens());
    family(p.result(), Claim.DETECT_POOLED);
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
