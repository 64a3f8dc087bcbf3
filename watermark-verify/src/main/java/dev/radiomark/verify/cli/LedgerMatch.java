package dev.radiomark.verify.cli;

import dev.radiomark.Watermarker;
import dev.radiomark.ledger.ServedWindowLedger;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --ledger FILE ...} of {@code wm verify} and {@code wm scan}: loads the ledger files,
 * merges the files of one key (one per serving replica) and gives each key its ledger, matched by
 * key fingerprint and checked against the key's spec. Every key needs a ledger and every ledger a
 * key; a mismatch is a key error (exit 4) naming the key and its file.
 */
final class LedgerMatch {
  private LedgerMatch() {}

  /**
   * The ledger of each key, in key order.
   *
   * @param ledgers the ledger files, at least one
   * @param wms the keys
   * @param names what names each key in a message (its file, or the master file and tenant)
   * @param err where over-capacity warnings go
   * @return one merged ledger per key
   */
  static List<ServedWindowLedger> match(List<Path> ledgers, List<Watermarker> wms, List<String> names,
      PrintWriter err) {
    Map<String, ServedWindowLedger> byFingerprint = Cli.loadLedgers(ledgers, err);
    List<ServedWindowLedger> out = new ArrayList<>(wms.size());
    for (int i = 0; i < wms.size(); i++) {
      Watermarker w = wms.get(i);
      ServedWindowLedger l = byFingerprint.remove(w.keyFingerprint());
      if (l == null) {
        throw WmException.key(String.format(Locale.ROOT, "--ledger: no ledger of key %s (fingerprint %s, %s)",
            w.keyId(), w.keyFingerprint(), names.get(i)), null);
      }
      if (!l.specDescription().equals(w.spec().describe())) {
        throw WmException.key(String.format(Locale.ROOT, "--ledger: the ledger of key %s has spec %s but %s has spec %s",
            w.keyId(), l.specDescription(), names.get(i), w.spec().describe()), null);
      }
      out.add(l);
    }
    if (!byFingerprint.isEmpty()) {
      ServedWindowLedger stray = byFingerprint.values().iterator().next();
      throw WmException.key("--ledger: a ledger belongs to none of the --key files: key " + stray.keyId()
          + ", fingerprint " + stray.keyFingerprint(), null);
    }
    return out;
  }
}
