package io.cloudconnect.provisioner.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudconnect.provisioner.support.PackagedService;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The container image Jib built and pushed during the suite's package phase (scripts/test.sh:
 * registry 127.0.0.1:5000, base scripts/jre-base-image.py's, since the production base cannot be
 * pulled here): its name and tag, user, port, entrypoint and files as configured, and it runs as
 * the Deployment runs it (k8s/base): as user 185 on a read-only root filesystem with a writable
 * /tmp only, configured by environment variables, until it reports ready against the real broker
 * and database.
 */
class ContainerImageIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REGISTRY = System.getProperty("image.registry", "127.0.0.1:5000");
  private static final String REPOSITORY = "cloudconnect/cloudconnect-provisioner";
  private static final String TAG = System.getProperty("image.tag", "0.1.0-SNAPSHOT");
  private static final int PORT = 18095;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theImageRunsAsTheDeploymentRunsIt() throws Exception {
    JsonNode manifest =
        get(
            "/manifests/" + TAG,
            "application/vnd.docker.distribution.manifest.v2+json,"
                + " application/vnd.oci.image.manifest.v1+json");
    JsonNode config = JSON.readTree(blob(manifest.at("/config/digest").asText()));
    JsonNode container = config.path("config");
    assertThat(container.path("User").asText()).isEqualTo("185");
    assertThat(container.path("ExposedPorts").has("8080/tcp")).isTrue();
    assertThat(container.path("ExposedPorts").has("9000/tcp")).as("the management port").isTrue();
    List<String> entrypoint = strings(container.path("Entrypoint"));
    assertThat(entrypoint)
        .containsExactly(
            "java",
            "@/deployments/jvm.options",
            "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
            "-jar",
            "/home/jboss/quarkus-run.jar");
    List<String> env = strings(container.path("Env"));
    assertThat(env).contains("MALLOC_ARENA_MAX=2");

    Path root = Path.of("target", "image-rootfs");
    extract(manifest, root);
    assertThat(root.resolve("deployments/jvm.options"))
        .hasSameTextualContentAs(Path.of("src/main/jib/deployments/jvm.options"));
    assertThat(root.resolve("home/jboss/quarkus-run.jar")).exists();

    File log = new File(PackagedService.LOGS, "container-image.log");
    log.getParentFile().mkdirs();
    ProcessBuilder builder = new ProcessBuilder(asTheDeploymentRunsIt(root, entrypoint));
    builder.environment().clear();
    env.forEach(
        e ->
            builder
                .environment()
                .put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1)));
    // the wrapper (unshare, mount, chroot) needs the host's tools; inside, the image's PATH comes
    // first, so its entrypoint's java is the image's
    builder
        .environment()
        .merge("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", (image, host) -> image + ":" + host);
    PackagedService.workingSettings("image-requests-", PORT)
        .forEach((k, v) -> builder.environment().put(envName(k), v));
    Process service =
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log)).start();
    try {
      assertThat(awaitReady(service, Duration.ofSeconds(90))).as("ready; see %s", log).isTrue();
      assertThat(status("/q/health/live")).isEqualTo(200);
      // health, metrics and the API's description only on the management port
      assertThat(status(PORT, "/q/metrics")).isIn(401, 403, 404);
      assertThat(status(PORT, "/q/health/well")).isIn(401, 403, 404);
      assertThat(Files.readString(log.toPath())).doesNotContain("Read-only file system");
    } finally {
      stop(service);
    }
  }

  /**
   * Stops the service itself, then the wrapper. unshare's {@code --kill-child} does not reach it:
   * the parent-death signal it relies on is cleared when chroot changes the user, so a service left
   * running would go on claiming the shared test database's requests for the scenarios after this
   * one (seen in CI: their ready events went to this service's topic). Fails if it outlives this.
   */
  private static void stop(Process wrapper) throws Exception {
    List<ProcessHandle> tree = wrapper.descendants().toList();
    tree.forEach(ProcessHandle::destroy); // SIGTERM: Quarkus shuts down gracefully
    for (ProcessHandle process : tree) {
      try {
        process.onExit().get(20, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        process.destroyForcibly();
      }
    }
    wrapper.destroy();
    if (!wrapper.waitFor(10, TimeUnit.SECONDS)) {
      wrapper.destroyForcibly();
    }
    assertThat(tree).as("the service and its wrapper stopped").noneMatch(ProcessHandle::isAlive);
  }

  /**
   * In namespaces of its own: the image's root bind-mounted read-only, /proc and /dev, a tmpfs at
   * /tmp, then the entrypoint as user 185 (readOnlyRootFilesystem, runAsUser and the /tmp emptyDir
   * of k8s/base/deployment.yaml).
   */
  private static List<String> asTheDeploymentRunsIt(Path root, List<String> entrypoint) {
    String r = root.toAbsolutePath().toString();
    List<String> command =
        new ArrayList<>(
            List.of(
                "unshare",
                "--mount",
                "--pid",
                "--fork",
                "--kill-child",
                "sh",
                "-c",
                "set -e; R=\"$0\"; mount --bind \"$R\" \"$R\"; mount -o remount,bind,ro \"$R\";"
                    + " mount -t proc proc \"$R/proc\"; mount --rbind /dev \"$R/dev\";"
                    + " mount -t tmpfs -o size=64m,mode=1777 tmpfs \"$R/tmp\";"
                    + " exec chroot --userspec=185:185 \"$R\" \"$@\"",
                r));
    command.addAll(entrypoint);
    return command;
  }

  private static String envName(String property) {
    return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  private void extract(JsonNode manifest, Path root) throws Exception {
    new ProcessBuilder("rm", "-rf", root.toString()).start().waitFor();
    Files.createDirectories(root);
    for (JsonNode layer : manifest.path("layers")) {
      Process tar = new ProcessBuilder("tar", "-xzf", "-", "-C", root.toString()).start();
      try (InputStream in = blobStream(layer.path("digest").asText());
          var out = tar.getOutputStream()) {
        in.transferTo(out);
      }
      assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(tar.exitValue())
          .as(
              "layer %s: %s",
              layer.path("digest").asText(), new String(tar.getErrorStream().readAllBytes()))
          .isZero();
    }
  }

  private boolean awaitReady(Process service, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && service.isAlive()) {
      if (status("/q/health/ready") == 200) {
        return true;
      }
      Thread.sleep(250);
    }
    return false;
  }

  /** The management port's answer to {@code path}. */
  private int status(String path) {
    return status(PackagedService.managementPort(PORT), path);
  }

  private int status(int port, String path) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException | InterruptedException e) {
      return 0;
    }
  }

  private JsonNode get(String path, String accept) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + path)).header("Accept", accept).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode())
        .as("%s%s (the image scripts/test.sh has Jib push while packaging)", base(), path)
        .isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private byte[] blob(String digest) throws Exception {
    try (InputStream in = blobStream(digest)) {
      return in.readAllBytes();
    }
  }

  private InputStream blobStream(String digest) throws Exception {
    HttpResponse<InputStream> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/blobs/" + digest)).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private static String base() {
    return "http://" + REGISTRY + "/v2/" + REPOSITORY;
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }
}
