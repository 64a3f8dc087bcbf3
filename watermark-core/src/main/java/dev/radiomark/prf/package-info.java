/**
 * The keyed pseudorandom function behind every scheme: a SipHash-2-4 seed per context window and
 * a SplitMix64 mix per candidate token. Frozen as version 1; byte-level definition and test
 * vectors in {@code docs/SPEC.md} and {@code watermark-core/src/test/resources/vectors/}.
 */
package dev.radiomark.prf;
