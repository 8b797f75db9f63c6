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
 * are accepted by role, and the status lookup needs a viewer unless it is opened.
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
  void tokensSignedWithTheDeploymentsKeyAreAcceptedByRole() throws Exception {
    Path keys = Files.createTempDirectory("operator-keys");
    script("keys", keys.toString());
    String viewer = script("token", keys.toString(), "vic", "viewer", "1");
    String nobody = script("token", keys.toString(), "nic", "psk-reader", "1");
    Path other = Files.createTempDirectory("other-keys");
    script("keys", other.toString());
    String forged = script("token", other.toString(), "eve", "operator", "1");
    String publicKey = Files.readString(keys.resolve("operator-key.pub")).trim();
    Process service =
        start(
            "with-key",
            Map.of("quarkus.oidc.tenant-enabled", "true", "quarkus.oidc.public-key", publicKey));
    try {
      assertThat(status("/operator/overview", viewer)).isEqualTo(200);
      assertThat(status("/operator/overview", nobody)).isEqualTo(403);
      assertThat(status("/operator/overview", forged)).isEqualTo(401);
      assertThat(status("/operator/overview", null)).isEqualTo(401);
      assertThat(status("/attachments/no-such-request", null)).isEqualTo(401);
      assertThat(status("/attachments/no-such-request", viewer)).isEqualTo(404);
      assertThat(status("/console/index.html", null)).isEqualTo(200);
    } finally {
      service.destroy();
      service.waitFor();
    }
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
      if (status("/q/health/live", null) == 200) {
        return process;
      }
      Thread.sleep(200);
    }
    process.destroyForcibly();
    throw new AssertionError("the service did not start; see operator-" + name + ".log");
  }

  private static int status(String path, String token) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + path))
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
