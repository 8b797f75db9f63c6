package io.cloudconnect.provisioner.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnect.provisioner.support.PackagedService;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged service as shipped: the operator API refuses everyone until authentication is
 * configured; with the deployment's own key (scripts/operator-token.sh) the tokens the script signs
 * are accepted by role, issuer and audience; the status lookup needs a status-reader or an operator
 * role; health and metrics answer on the management port alone.
 */
class OperatorAccessIT {
  static final File JAR = PackagedService.JAR;
  static final File LOGS = PackagedService.LOGS;
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final int PORT = 18291;

  @Test
  void shippedDefaultsRefuseEveryOperatorCallAndTheStatusLookup() throws Exception {
    Path keys = Files.createTempDirectory("operator-keys");
    script("keys", keys.toString());
    String token = script("token", keys.toString(), "ops", "operator", "1");
    Process service = start("defaults", Map.of());
    try {
      assertThat(status("/operator/overview", token)).isEqualTo(401);
      assertThat(status("/operator/overview", null)).isEqualTo(401);
      assertThat(status("/attachments/anything", null)).isEqualTo(401);
    } finally {
      service.destroy();
      service.waitFor();
    }
  }

  @Test
  void tokensSignedWithTheDeploymentsKeyAreAcceptedByRoleIssuerAndAudience() throws Exception {
    Path keys = Files.createTempDirectory("operator-keys");
    Map<String, String> settings = settings(script("keys", keys.toString(), "it"));
    String viewer = script("token", keys.toString(), "vic", "viewer", "1");
    String portal = script("token", keys.toString(), "pat", "status-reader", "1");
    String nobody = script("token", keys.toString(), "nic", "psk-reader", "1");
    Path other = Files.createTempDirectory("other-keys");
    script("keys", other.toString(), "it");
    String forged = script("token", other.toString(), "eve", "operator", "1");
    // the same key, kept by another environment: its tokens name that environment
    Path staging = Files.createTempDirectory("staging-keys");
    Files.copy(keys.resolve("operator-key.pem"), staging.resolve("operator-key.pem"));
    Files.writeString(staging.resolve("deployment"), "staging\n");
    String elsewhere = script("token", staging.toString(), "sam", "operator", "1");
    assertThat(Files.getPosixFilePermissions(keys.resolve("operator-key.pem")))
        .as("the private key is its owner's alone")
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);

    Map<String, String> on = new java.util.HashMap<>();
    on.put("quarkus.oidc.tenant-enabled", "true");
    on.put("quarkus.oidc.public-key", settings.get("QUARKUS_OIDC_PUBLIC_KEY"));
    on.put("quarkus.oidc.token.issuer", settings.get("QUARKUS_OIDC_TOKEN_ISSUER"));
    on.put("quarkus.oidc.token.audience", settings.get("QUARKUS_OIDC_TOKEN_AUDIENCE"));
    Process service = start("with-key", on);
    try {
      assertThat(status("/operator/overview", viewer)).isEqualTo(200);
      assertThat(status("/operator/overview", nobody)).isEqualTo(403);
      assertThat(status("/operator/overview", portal)).isEqualTo(403);
      assertThat(status("/operator/overview", forged)).isEqualTo(401);
      assertThat(status("/operator/overview", elsewhere))
          .as("another issuer/audience")
          .isEqualTo(401);
      assertThat(status("/operator/overview", null)).isEqualTo(401);
      assertThat(status("/attachments/no-such-request", null)).isEqualTo(401);
      assertThat(status("/attachments/no-such-request", portal)).isEqualTo(404);
      assertThat(status("/attachments/no-such-request", viewer)).isEqualTo(404);
      assertThat(status("/attachments/no-such-request", nobody)).isEqualTo(403);
      assertThat(status("/console/index.html", null)).isEqualTo(200);
      // health and metrics only on the management port
      assertThat(status("/q/metrics", viewer)).isNotEqualTo(200);
      assertThat(status(managementPort(), "/q/metrics", null)).isEqualTo(200);
    } finally {
      service.destroy();
      service.waitFor();
    }
  }

  private static Map<String, String> settings(String lines) {
    Map<String, String> settings = new java.util.HashMap<>();
    lines
        .lines()
        .filter(line -> line.contains("="))
        .forEach(
            line ->
                settings.put(
                    line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
    assertThat(settings)
        .containsKeys(
            "QUARKUS_OIDC_PUBLIC_KEY", "QUARKUS_OIDC_TOKEN_ISSUER", "QUARKUS_OIDC_TOKEN_AUDIENCE");
    return settings;
  }

  private static int managementPort() {
    return PackagedService.managementPort(PORT);
  }

  private static String script(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", "scripts/operator-token.sh"));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(process.waitFor()).as("operator-token.sh %s", List.of(args)).isZero();
    return out;
  }

  private static Process start(String name, Map<String, String> extra) throws Exception {
    Map<String, String> p = PackagedService.workingSettings("operator-it-", PORT);
    p.put("cloudconnect.jobs.enabled", "false");
    p.putAll(extra);
    LOGS.mkdirs();
    List<String> command = new ArrayList<>();
    command.add(System.getProperty("java.home") + "/bin/java");
    p.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.add("-jar");
    command.add(JAR.getPath());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(new File(LOGS, "operator-" + name + ".log"));
    builder
        .environment()
        .keySet()
        .removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("EMNIFY_"));
    Process process = builder.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(process.isAlive()).as("the service runs; see operator-%s.log", name).isTrue();
      if (status(managementPort(), "/q/health/live", null) == 200) {
        return process;
      }
      Thread.sleep(200);
    }
    process.destroyForcibly();
    throw new AssertionError("the service did not start; see operator-" + name + ".log");
  }

  private static int status(String path, String token) {
    return status(PORT, path, token);
  }

  private static int status(int port, String path, String token) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Duration.ofSeconds(5));
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (java.io.IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }
}
