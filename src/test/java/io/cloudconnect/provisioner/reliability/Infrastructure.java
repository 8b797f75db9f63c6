package io.cloudconnect.provisioner.reliability;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Stops and starts the real broker and database under the running service. */
final class Infrastructure {
  private Infrastructure() {}

  /**
   * The broker started by this checkout's scripts/kafka.sh (CI and scripts/test.sh start it so).
   */
  static void kafka(String action) throws IOException, InterruptedException {
    if (!new File(".run/kafka/pid").exists() && action.equals("stop")) {
      throw new IllegalStateException(
          "the Kafka broker was not started by scripts/kafka.sh of this checkout, so this test cannot restart it");
    }
    run(List.of("scripts/kafka.sh", action));
  }

  /** The machine's PostgreSQL cluster (pg_ctlcluster, as the CI machine runs it). */
  static void postgres(String action) throws IOException, InterruptedException {
    String[] versions = new File("/etc/postgresql").list();
    if (versions == null || versions.length == 0) {
      throw new IllegalStateException("no PostgreSQL cluster under /etc/postgresql");
    }
    run(List.of("pg_ctlcluster", "--skip-systemctl-redirect", versions[0], "main", action));
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
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
