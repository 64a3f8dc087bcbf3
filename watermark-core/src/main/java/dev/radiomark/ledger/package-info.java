/**
 * The served-window ledger: serving code records the windows of every watermarked response so
 * that the supervised radioactivity test can restrict scoring to windows a suspect may have
 * trained on. Windows only, never (window, token) pairs. A ledger is bound to its key's
 * fingerprint, keeps its false-positive rate as it grows (a chain of Bloom filters), merges with
 * the ledgers of other replicas, and is saved atomically and durably with a checksum.
 */
package dev.radiomark.ledger;
