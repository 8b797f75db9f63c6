package io.cloudconnect.provisioner.reliability;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** One replica of the packaged service, run as its own JVM so that it can be killed for real. */
public final class ServiceProcess {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final String name;
  private final int port;
  private final Map<String, String> properties;
  private final File log;
  private Process process;
  private int starts;

  public static final String JVM_OPTIONS =
      new File("src/main/jib/deployments/jvm.options").getAbsolutePath();

  public ServiceProcess(String name, int port, Map<String, String> properties, File logDir) {
    this.name = name;
    this.port = port;
    this.properties = properties;
    this.log = new File(logDir, name + ".log");
  }

  public int port() {
    return port;
  }

  /** Health, metrics and the OpenAPI document: the management interface's port. */
  public int managementPort() {
    return io.cloudconnect.provisioner.support.PackagedService.managementPort(port);
  }

  public void start() throws IOException {
    // the options the service ships with (src/main/jib/deployments/jvm.options), unless a benchmark
    // compares
    List<String> command = new ArrayList<>(List.of(javaBinary()));
    command.addAll(
        List.of(System.getProperty("service.jvm-options", "@" + JVM_OPTIONS).trim().split("\\s+")));
    properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.add("-Dquarkus.http.port=" + port);
    command.add("-Dquarkus.management.port=" + managementPort());
    command.add("-jar");
    command.add(System.getProperty("service.jar", "target/quarkus-app/quarkus-run.jar"));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("MALLOC_ARENA_MAX", "2");
    process =
        builder
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
            .start();
    starts++;
  }

  /** Waits until the replica reports ready (Kafka and PostgreSQL reachable). */
  public Duration awaitReady(Duration timeout) {
    long start = System.nanoTime();
    try {
      Awaitility.await()
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new IllegalStateException(
                      name + " exited with " + process.exitValue() + "; see " + log);
                }
                return readiness() == 200;
              });
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException(name + " not ready within " + timeout + "; see " + log);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  public File log() {
    return log;
  }

  public long pid() {
    return process.pid();
  }

  /**
   * Appends a thread dump (jcmd Thread.print) to the replica's log: what a replica that stopped
   * making progress was waiting on, for a scenario that timed out.
   */
  public void dumpThreads() {
    if (process == null || !process.isAlive()) {
      return;
    }
    try {
      Process jcmd =
          new ProcessBuilder(jdkTool("jcmd"), String.valueOf(process.pid()), "Thread.print", "-l")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
              .start();
      jcmd.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (IOException e) {
      // the dump is evidence only; the scenario's failure is reported either way
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public static String jdkTool(String tool) {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + tool;
  }

  /** HTTP status of /q/health/ready, or 0 when there is no answer. */
  public int readiness() {
    return health("ready");
  }

  /** HTTP status of /q/health/live, or 0 when there is no answer. */
  public int liveness() {
    return health("live");
  }

  private int health(String group) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + managementPort() + "/q/health/" + group))
              .timeout(Duration.ofSeconds(2))
              .build();
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /** The Prometheus lines of one metric, joined (for the report). */
  public String metric(String name) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort() + "/q/metrics"))
              .timeout(Duration.ofSeconds(2))
              .build();
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString())
          .body()
          .lines()
          .filter(line -> line.startsWith(name))
          .map(line -> line.replaceAll("^[^{]*\\{.*method=\"([^\"]*)\".*\\} ", "$1="))
          .reduce((a, b) -> a + ", " + b)
          .orElse("none");
    } catch (Exception e) {
      return "unavailable";
    }
  }

  /** kill -9: no shutdown hook, no goodbye. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, and how long the replica took to exit. */
  public Duration terminate(Duration timeout) throws InterruptedException {
    long start = System.nanoTime();
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(name + " did not exit within " + timeout + " of SIGTERM");
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  public boolean alive() {
    return process != null && process.isAlive();
  }

  public int starts() {
    return starts;
  }

  private static String javaBinary() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }
}
