package io.cloudconnect.provisioner.reliability;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stops and starts the real broker under the running service (its database: {@link OwnPostgres}).
 */
public final class Infrastructure {
  private Infrastructure() {}

  /**
   * The broker started by this checkout's scripts/kafka.sh (CI and scripts/test.sh start it so).
   */
  public static void kafka(String action) throws IOException, InterruptedException {
    if (!new File(".run/kafka/pid").exists() && action.equals("stop")) {
      throw new IllegalStateException(
          "the Kafka broker was not started by scripts/kafka.sh of this checkout, so this test cannot restart it");
    }
    run(List.of("scripts/kafka.sh", action));
  }

  /** Runs a command of this checkout, its output in the test log; fails unless it exits 0. */
  public static void run(List<String> command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.INHERIT)
            .start();
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(command + " failed");
    }
  }
}
