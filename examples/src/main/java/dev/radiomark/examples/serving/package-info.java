/** The serving-loop example that the README links to; run as a test. */
package dev.radiomark.examples.serving;
