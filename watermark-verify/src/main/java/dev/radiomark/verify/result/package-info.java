/**
 * The result model of a verification run, produced as a stream and consumed by every writer
 * (JSON, the stderr table, CSV, the HTML report): {@link dev.radiomark.verify.result.RunInfo}
 * (what was tested, with what), one {@link dev.radiomark.verify.result.DocumentResult} per input
 * document, then one {@link dev.radiomark.verify.result.RunOutcome} (the pool or the
 * radioactivity test, and the verdict). Writers implement
 * {@link dev.radiomark.verify.result.ResultSink}; {@link dev.radiomark.verify.result.DetectStream}
 * is the scoring loop of detection that produces the stream.
 */
package dev.radiomark.verify.result;
