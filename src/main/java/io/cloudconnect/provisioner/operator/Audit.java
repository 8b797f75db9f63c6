package io.cloudconnect.provisioner.operator;

import org.jboss.logging.Logger;

/**
 * One line per operator action on the {@code cloudconnect.audit} log category: who, what, on which
 * request, why, and how it ended. The reason is the operator's own text, kept to one line and 200
 * characters; who and the target are kept to one word each; no secret is ever passed here. Who and
 * why stay here, in the operator's log: a cancelled request's event says only that an operator
 * cancelled it.
 */
final class Audit {
  private static final Logger LOG = Logger.getLogger("cloudconnect.audit");

  private Audit() {}

  static void record(String who, String action, String target, String reason, String result) {
    LOG.infof(
        "AUDIT by=%s action=%s target=%s result=%s reason=\"%s\"",
        word(who), action, word(target), result, oneLine(reason));
  }

  /**
   * A field that comes from a token or a request's path: one word, so that neither a line break nor
   * a space, {@code =} or quote in it can forge a field or a line of its own.
   */
  static String word(String text) {
    String flat = oneLine(text).replaceAll("[\\s=\"']", "_");
    return flat.isEmpty() ? "-" : flat;
  }

  static String oneLine(String text) {
    if (text == null) {
      return "";
    }
    String flat = text.replaceAll("\\p{Cntrl}", " ").replace('"', '\'').strip();
    return flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
  }
}
