package io.cloudconnect.provisioner.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnect.provisioner.support.PackagedService;
import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged service, started with production settings that cannot work, stops at once: non-zero
 * exit, and a log line naming the setting and what it must be, before any request is taken.
 */
class ProductionConfigIT {
  static final File JAR = PackagedService.JAR;
  static final File LOGS = PackagedService.LOGS;

  /** A production configuration that starts, against this machine's broker and database. */
  private static Map<String, String> working() {
    return PackagedService.workingSettings("config-it-", 18290);
  }

  /** The public half of the suite's test-only token key (the test profile's). */
  static final String OPERATOR_PUBLIC_KEY =
      "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA0ZhEkvIxX9vQ4hXUg93wD13Q57f0orasknAVVIiwV1MsDNsDw31mREqm2zmnVLnJ2nYK22KXjCr3tMh5P2XgI6J3ACCnVR6LG3XYsgboqGKQvuVg3zhbx1IMX/hky14lY+2Il266RU2n5hEqIVtKEEHSpH63+6jDOzVbJQHE2oJEVGo5gQ4o5rrZB2xjfmVBDrT6mx0gow5r9vSfNYoths2PA9GpQ9Q7MIkOrUHNPaxEQ7j4as8nB1CDxO7U1o+H83Hk759SqMovw/jCsKRmHkgPuNFeBF7e2IrniGOFJYt64Y1Qz523BjvYsmYMVjVGXfoelvojlJNQUSqMJauO6wIDAQAB";

  /** Starts the service with {@code settings}, waits for it to end, returns its log. */
  private static String startAndExpectRefusal(String name, Map<String, String> settings)
      throws Exception {
    LOGS.mkdirs();
    File log = new File(LOGS, "config-" + name + ".log");
    List<String> command = new ArrayList<>();
    command.add(System.getProperty("java.home") + "/bin/java");
    settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.add("-jar");
    command.add(JAR.getPath());
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
    // only what this test passes counts: no setting leaks in from the build's environment
    builder
        .environment()
        .keySet()
        .removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("EMNIFY_"));
    Process process = builder.start();
    boolean ended = process.waitFor(60, TimeUnit.SECONDS);
    if (!ended) {
      process.destroyForcibly();
    }
    assertThat(ended).as("the service ended by itself; see %s", log).isTrue();
    assertThat(process.exitValue()).as("exit code; see %s", log).isNotZero();
    return Files.readString(log.toPath());
  }

  /** The operator API switched on without a provider or key to check its tokens against. */
  @Test
  void operatorAuthenticationOnWithoutProviderOrKeyStopsTheServiceNamingTheSetting()
      throws Exception {
    Map<String, String> settings = working();
    settings.put("quarkus.oidc.tenant-enabled", "true");
    assertThat(startAndExpectRefusal("oidc-unconfigured", settings))
        .contains("quarkus.oidc.auth-server-url");
  }

  @Test
  void missingPskKeyStopsTheServiceNamingTheSetting() throws Exception {
    Map<String, String> settings = working();
    settings.remove("cloudconnect.secrets.psk-key");
    assertThat(startAndExpectRefusal("psk-missing", settings))
        .contains("refusing to start: CLOUDCONNECT_SECRETS_PSK_KEY (cloudconnect.secrets.psk-key)")
        .doesNotContain("Listening on");
  }

  @Test
  void pskKeyOfTheWrongLengthStopsTheService() throws Exception {
    Map<String, String> settings = working();
    settings.put("cloudconnect.secrets.psk-key", Base64.getEncoder().encodeToString(new byte[16]));
    assertThat(startAndExpectRefusal("psk-short", settings))
        .contains("decodes to 16 bytes: an AES-256 key is 32 bytes");
  }

  /** A poller pause longer than half its lease would let the lease lapse between two cycles. */
  @Test
  void aPollerPauseLongerThanHalfALeaseStopsTheServiceNamingTheSetting() throws Exception {
    Map<String, String> settings = working();
    settings.put("cloudconnect.polling.max-pause", "10m");
    assertThat(startAndExpectRefusal("max-pause", settings))
        .contains("CLOUDCONNECT_POLLING_MAX_PAUSE (cloudconnect.polling.max-pause) is PT10M")
        .doesNotContain("Listening on");
  }

  @Test
  void missingApplicationTokenStopsTheService() throws Exception {
    Map<String, String> settings = working();
    settings.remove("emnify.application-token");
    assertThat(startAndExpectRefusal("token-missing", settings))
        .contains("refusing to start: EMNIFY_APPLICATION_TOKEN (emnify.application-token)");
  }

  @Test
  void plainHttpUpstreamStopsTheService() throws Exception {
    Map<String, String> settings = working();
    settings.put("emnify.api-url", "http://127.0.0.1:8089");
    assertThat(startAndExpectRefusal("plain-http", settings))
        .contains("refusing to start: EMNIFY_API_URL (emnify.api-url) is not https");
  }

  @Test
  void publishedDatabasePasswordStopsTheService() throws Exception {
    Map<String, String> settings = working();
    settings.put("quarkus.datasource.password", "cloudconnect-dev");
    assertThat(startAndExpectRefusal("db-default", settings))
        .contains("QUARKUS_DATASOURCE_PASSWORD (quarkus.datasource.password)")
        .doesNotContain("refusing to start: CLOUDCONNECT");
  }

  /**
   * Tokens not bound to this deployment, Kafka in clear and a PSK key published in this repository:
   * one start, every problem named.
   */
  @Test
  void unboundTokensPlaintextKafkaAndAPublishedKeyStopTheServiceNamingEachSetting()
      throws Exception {
    Map<String, String> settings = working();
    settings.put("quarkus.oidc.tenant-enabled", "true");
    settings.put("quarkus.oidc.public-key", OPERATOR_PUBLIC_KEY);
    settings.remove("cloudconnect.kafka.allow-plaintext");
    settings.put("cloudconnect.secrets.psk-key", "ZGV2LW9ubHkta2V5LWRvLW5vdC11c2UtaW4tcHJvZCE=");
    assertThat(startAndExpectRefusal("access", settings))
        .contains("refusing to start: QUARKUS_OIDC_TOKEN_AUDIENCE (quarkus.oidc.token.audience)")
        .contains("refusing to start: QUARKUS_OIDC_TOKEN_ISSUER (quarkus.oidc.token.issuer)")
        .contains(
            "refusing to start: KAFKA_SECURITY_PROTOCOL (kafka.security.protocol) is PLAINTEXT")
        .contains(
            "CLOUDCONNECT_SECRETS_PSK_KEY (cloudconnect.secrets.psk-key) is a value published")
        .doesNotContain("ZGV2LW9ubHkta2V5")
        .doesNotContain("Listening on");
  }
}
