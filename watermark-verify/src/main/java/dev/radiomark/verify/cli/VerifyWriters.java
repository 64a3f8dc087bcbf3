package dev.radiomark.verify.cli;

import dev.radiomark.Watermarker;
import dev.radiomark.io.AtomicFiles;
import dev.radiomark.verify.DetectorConfig;
import dev.radiomark.verify.radioactivity.AttributionResult;
import dev.radiomark.verify.radioactivity.Mode;
import dev.radiomark.verify.report.HtmlReport;
import dev.radiomark.verify.result.DetectStream;
import dev.radiomark.verify.result.DocumentResult;
import dev.radiomark.verify.result.ResultSink;
import dev.radiomark.verify.result.RunOutcome;
import dev.radiomark.verify.result.RunInfo;
import dev.radiomark.verify.radioactivity.Answer;
import dev.radiomark.verify.text.TextTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hands a finished radioactivity run to the writers of {@code wm verify}: the optional CSV and
 * HTML report first (so that a failure to write them prints no JSON), then the JSON and summary
 * ({@link VerifyOutput}). With {@code --csv} or {@code --report} in closed mode, each answer is
 * also scored alone under every key (Holm over the keys, as {@code wm detect} does) for the
 * per-answer rows; the verdict, the keys' tests and the curve are the radioactivity test's.
 */
final class VerifyWriters {
  private VerifyWriters() {}

  /** A sink that acts only at the end. */
  private abstract static class DocumentsOnly implements ResultSink {
    @Override
    public void document(DocumentResult d) {}
  }

  /** Where a closed-mode answer came from: its id and line, in input order beside its tokens. */
  record Row(String id, int lineNumber) {}

  static void write(Mode m, AttributionResult ar, List<Watermarker> keys, TextTokenizer tok, List<Row> rows,
      List<Answer> answers, List<String> inputs, Path csv, Path html, Map<String, String> parameters, ResultSink output) {
    DetectorConfig config = DetectorConfig.defaults();
    RunInfo run = Reports.runInfo("verify", m.label(), ar.alpha(),
        keys.size() > 1 ? "Holm over " + keys.size() + " keys" : "none (one key)", tok.name(), keys, inputs, parameters);
    Path spool = null;
    try {
      spool = csv == null ? null : Files.createTempFile("wm-verify-", ".csv");
      try (Writer cw = spool == null ? Writer.nullWriter() : Files.newBufferedWriter(spool, StandardCharsets.UTF_8)) {
        List<ResultSink> sinks = new ArrayList<>();
        if (spool != null) {
          sinks.add(new DetectCsv(cw, false));
        }
        if (spool != null) {
          Path from = spool;
          sinks.add(new DocumentsOnly() {
            @Override
            public void finish(RunOutcome o) throws IOException {
              AtomicFiles.replaceShared(csv, out -> Files.copy(from, out));
            }
          });
        }
        if (html != null) {
          sinks.add(HtmlReport.of(html, keys, config, new int[0], tok));
        }
        boolean perAnswer = !sinks.isEmpty();
        sinks.add(output);
        DetectStream stream = DetectStream.of(keys, config, null, ar.alpha(), sinks);
        stream.start(run);
        if (m == Mode.CLOSED && perAnswer) {
          for (int i = 0; i < answers.size(); i++) {
            Answer a = answers.get(i);
            stream.document(rows.get(i).id(), rows.get(i).lineNumber(), a.prompt(), a.text());
          }
        }
        stream.finish(m.claim(), ar, null);
      }
    } catch (IOException | UncheckedIOException e) {
      throw WmException.io(spool == null ? "cannot write " + e.getMessage() : Reports.writeError(e, spool, csv, html), e);
    } finally {
      if (spool != null) {
        try {
          Files.deleteIfExists(spool);
        } catch (IOException e) {
          // Best effort: the result (or the error) matters more than a leftover temporary file.
        }
      }
    }
  }
}
