/**
 * The schemes (green list, Gumbel, tournament) and the shared sampling step. Everything here is
 * package-private but the {@link dev.radiomark.scheme.Schemes} factory; use
 * {@link dev.radiomark.Watermarker#of} and {@link dev.radiomark.Sampler#plain}.
 */
package dev.radiomark.scheme;
