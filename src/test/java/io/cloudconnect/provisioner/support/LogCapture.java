package io.cloudconnect.provisioner.support;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Every log record of the JVM while open, for tests that check what the service writes. */
public final class LogCapture extends Handler implements AutoCloseable {

  /**
   * @param message the message with its parameters filled in, as a log line shows it
   * @param everything the message, its raw parameters and its exception: all a line could leak
   */
  public record Line(Level level, String logger, String message, String everything) {
    public boolean isService() {
      return logger != null && logger.startsWith("io.cloudconnect");
    }
  }

  private final List<Line> lines = new CopyOnWriteArrayList<>();

  private LogCapture() {}

  /** Captures from now until {@link #close()}. */
  public static LogCapture start() {
    LogCapture capture = new LogCapture();
    Logger.getLogger("").addHandler(capture);
    return capture;
  }

  public List<Line> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void publish(LogRecord record) {
    String message = formatted(record);
    String everything =
        message
            + (record.getParameters() == null ? "" : " " + Arrays.toString(record.getParameters()))
            + (record.getThrown() == null ? "" : " " + record.getThrown());
    lines.add(new Line(record.getLevel(), record.getLoggerName(), message, everything));
  }

  private static String formatted(LogRecord record) {
    String message = record.getMessage();
    Object[] parameters = record.getParameters();
    if (parameters != null && message != null && message.contains("%")) {
      try {
        return String.format(message, parameters);
      } catch (RuntimeException e) {
        return message + Arrays.toString(parameters);
      }
    }
    return message + (parameters == null ? "" : Arrays.toString(parameters));
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    Logger.getLogger("").removeHandler(this);
  }
}
