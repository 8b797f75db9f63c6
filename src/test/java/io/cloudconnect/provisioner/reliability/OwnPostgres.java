package io.cloudconnect.provisioner.reliability;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A PostgreSQL cluster of the scenario's own (scripts/own-postgres.sh: its own data directory and
 * port, the machine's binaries), so that a scenario may stop and start its database without ever
 * touching the machine's cluster.
 */
public final class OwnPostgres implements AutoCloseable {
  private final File dir;
  private final Database database;

  private OwnPostgres(File dir, Database database) {
    this.dir = dir;
    this.database = database;
  }

  public static OwnPostgres create(String name, int port) throws IOException, InterruptedException {
    File dir = new File(Scenario.DIR, "postgres-" + name).getAbsoluteFile();
    String password = UUID.randomUUID().toString().replace("-", "");
    Database database = new Database("127.0.0.1", port, "cloudconnect_" + name, password);
    run("create", dir.getPath(), String.valueOf(port), password, database.name());
    return new OwnPostgres(dir, database);
  }

  public Database database() {
    return database;
  }

  public void stop() throws IOException, InterruptedException {
    run("stop", dir.getPath());
  }

  public void start() throws IOException, InterruptedException {
    run("start", dir.getPath());
  }

  @Override
  public void close() throws IOException, InterruptedException {
    run("destroy", dir.getPath());
  }

  private static void run(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("scripts/own-postgres.sh"));
    command.addAll(List.of(arguments));
    Infrastructure.run(command);
  }
}
