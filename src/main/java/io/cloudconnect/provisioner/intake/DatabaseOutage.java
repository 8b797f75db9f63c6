package io.cloudconnect.provisioner.intake;

import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Tells a database that cannot be reached (retry for as long as it lasts: no request can be
 * recorded, none may be dropped) from a failure of one record (retry a few times, then dead-letter
 * it, so it cannot hold up the records behind it).
 */
final class DatabaseOutage {
  /** Vert.x SQL client failures that mean "no connection", by simple class name. */
  private static final Set<String> CONNECTION_FAILURES =
      Set.of(
          "ClosedConnectionException",
          "ConnectTimeoutException",
          "PgConnectException",
          "NoStackTraceTimeoutException");

  private DatabaseOutage() {}

  static boolean isOutage(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof ClosedChannelException
          || t instanceof TimeoutException
          || CONNECTION_FAILURES.contains(t.getClass().getSimpleName())) {
        return true;
      }
      String message = t.getMessage();
      if (message != null
          && (message.contains("Connection refused")
              || message.contains("Pool closed")
              || message.contains("connection closed")
              || message.contains("the database system is"))) {
        return true;
      }
    }
    return false;
  }
}
