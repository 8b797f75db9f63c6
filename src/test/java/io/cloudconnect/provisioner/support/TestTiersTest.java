package io.cloudconnect.provisioner.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fast tier ({@code mvn test -Pfast}) leaves out every test tagged {@code platform}: those that
 * need the broker, the database, a browser, node or kubectl. A component test without the tag would
 * fail the fast tier (no database there) instead of being left out, so each one carries it.
 */
class TestTiersTest {

  @Test
  void everyComponentTestIsTaggedPlatform() throws IOException, URISyntaxException {
    Path classes =
        Path.of(TestTiersTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> untagged = new ArrayList<>();
    int components = 0;
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(f -> f.toString().endsWith("Test.class")).toList()) {
        String name =
            classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
        Class<?> type;
        try {
          type = Class.forName(name, false, TestTiersTest.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
          continue;
        }
        if (type.isAnnotationPresent(QuarkusTest.class)) {
          components++;
          Tag tag = type.getAnnotation(Tag.class);
          if (tag == null || !tag.value().equals("platform")) {
            untagged.add(name);
          }
        }
      }
    }
    assertThat(components).isGreaterThan(20);
    assertThat(untagged).isEmpty();
  }
}
