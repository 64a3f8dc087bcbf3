/**
 * The HTML evidence report: a self-contained page (inline CSS, JavaScript and SVG, no network)
 * written from the result stream ({@link dev.radiomark.verify.result.ResultSink}) with a Mustache
 * template, HTML-escaped. See docs/reports.md.
 */
package dev.radiomark.verify.report;
