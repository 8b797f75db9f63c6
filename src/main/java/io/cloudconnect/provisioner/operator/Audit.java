package io.cloudconnect.provisioner.operator;

import org.jboss.logging.Logger;

/**
 * One line per operator action on the {@code cloudconnect.audit} log category: who, what, on which
 * request, why, and how it ended. The reason is the operator's own text, kept to one line and 200
 * characters; no secret is ever passed here.
 */
final class Audit {
  private static final Logger LOG = Logger.getLogger("cloudconnect.audit");

  private Audit() {}

  static void record(String who, String action, String target, String reason, String result) {
    LOG.infof(
        "AUDIT by=%s action=%s target=%s result=%s reason=\"%s\"",
        who, action, target, result, oneLine(reason));
  }

  static String oneLine(String text) {
    if (text == null) {
      return "";
    }
    String flat = text.replaceAll("\\p{Cntrl}", " ").replace('"', '\'').strip();
    return flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
  }
}
