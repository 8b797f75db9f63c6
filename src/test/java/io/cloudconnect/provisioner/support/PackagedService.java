package io.cloudconnect.provisioner.support;

import java.io.File;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The packaged service as the failsafe checks start it: its jar, and production settings that work.
 */
public final class PackagedService {
  public static final File JAR =
      new File(System.getProperty("service.jar", "target/quarkus-app/quarkus-run.jar"));
  public static final File LOGS =
      new File(System.getProperty("reliability.dir", "target/reliability"));

  private PackagedService() {}

  /**
   * A production configuration that starts, against this machine's broker and database, on {@code
   * port}; emnify is unreachable (nothing here needs it).
   */
  public static Map<String, String> workingSettings(String topicPrefix, int port) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put(
        "kafka.bootstrap.servers",
        System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"));
    p.put(
        "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/cloudconnect_reliability");
    p.put(
        "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/cloudconnect_reliability");
    p.put("quarkus.datasource.username", "cloudconnect");
    p.put("quarkus.datasource.password", System.getenv("QUARKUS_DATASOURCE_PASSWORD"));
    p.put("emnify.api-url", "https://127.0.0.1:9");
    p.put("emnify.application-token", "a-token-nobody-published");
    p.put("cloudconnect.secrets.psk-key", Base64.getEncoder().encodeToString(new byte[32]));
    p.put("mp.messaging.incoming.requests.topic", topicPrefix + UUID.randomUUID());
    p.put("cloudconnect.kafka.allow-plaintext", "true"); // this machine's own broker
    p.put("quarkus.http.port", String.valueOf(port));
    p.put("quarkus.management.port", String.valueOf(managementPort(port)));
    return p;
  }

  /** Where the packaged service on {@code port} answers /q/health, /q/metrics and /q/openapi. */
  public static int managementPort(int port) {
    return port + 1000;
  }
}
