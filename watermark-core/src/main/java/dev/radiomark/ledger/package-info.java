/**
 * The served-window ledger: serving code records the windows of every watermarked response so
 * that the supervised radioactivity test can restrict scoring to windows a suspect may have
 * trained on. Windows only, never (window, token) pairs.
 */
package dev.radiomark.ledger;
