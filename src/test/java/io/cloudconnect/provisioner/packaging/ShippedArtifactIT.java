package io.cloudconnect.provisioner.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * What ships is only the service: no class of the emnify simulator (or anything else of the test
 * sources) is in the packaged application, so no fake upstream or admin API can be switched on in
 * production.
 */
class ShippedArtifactIT {
  private static final Path APP =
      new File(System.getProperty("service.jar", "target/quarkus-app/quarkus-run.jar"))
          .getParentFile()
          .toPath();

  @Test
  void packagedServiceHoldsNoSimulatorClass() throws IOException {
    List<String> entries = entriesOfEveryJar();
    assertThat(entries).as("entries of the jars under %s", APP).isNotEmpty();
    assertThat(entries)
        .anyMatch(e -> e.startsWith("io/cloudconnect/provisioner/") && e.endsWith(".class"));
    assertThat(entries.stream().filter(e -> e.startsWith("io/cloudconnect/")))
        .noneMatch(e -> e.startsWith("io/cloudconnect/emnify/"))
        .noneMatch(e -> e.toLowerCase().contains("simulator"));
  }

  private static List<String> entriesOfEveryJar() throws IOException {
    List<String> entries = new ArrayList<>();
    try (Stream<Path> files = Files.walk(APP)) {
      for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).toList()) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
          zip.stream().forEach(e -> entries.add(e.getName()));
        }
      }
    }
    return entries;
  }
}
