package io.cloudconnect.provisioner.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudconnect.provisioner.support.EventContract;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The machine-readable contract: docs/asyncapi.yaml is a valid AsyncAPI 3 document (the AsyncAPI
 * Initiative's parser, with its $refs to docs/schemas/), the examples the README and CONTRACT.md
 * show producers and consumers match those schemas, and the schemas refuse what the service would.
 * (Every event the service emits in the other tests is checked by support/EventContract.)
 */
@Tag("platform")
class ContractDocumentsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);

  @Test
  void theAsyncApiDocumentIsValidAndDescribesTheThreeTopics() throws Exception {
    Process check =
        new ProcessBuilder("node", "scripts/node/check-asyncapi.mjs", "docs/asyncapi.yaml")
            .redirectErrorStream(true)
            .start();
    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(check.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("channel cloudconnect.attachment.requests: request")
        .contains(
            "channel cloudconnect.attachment.events: cloudconnect.attachment.ready,"
                + " cloudconnect.attachment.failed, cloudconnect.attachment.deleted")
        .contains("channel cloudconnect.attachment.requests.dlq: dead-letter")
        .contains("VALID");
  }

  @Test
  void theReadmesAndContractsExamplesMatchTheSchemas() throws IOException {
    List<JsonNode> examples = new ArrayList<>();
    examples.addAll(examples(Path.of("README.md"), "## The interface at a glance"));
    examples.addAll(examples(Path.of("docs", "CONTRACT.md"), "## Kafka interface"));

    int requests = 0;
    int events = 0;
    for (JsonNode example : examples) {
      String type = eventTypeOf(example);
      if (type == null) {
        assertThat(EventContract.violationsOfRequest(example)).as(example.toString()).isEmpty();
        requests++;
      } else {
        assertThat(EventContract.violationsOfEvent(type, example)).as(example.toString()).isEmpty();
        events++;
      }
    }
    // README: a create, a delete and an adopt request, a failed and a deleted event; CONTRACT.md:
    // a create, three targeted requests, a ready, two failed and a deleted event
    assertThat(requests).isGreaterThanOrEqualTo(7);
    assertThat(events).isGreaterThanOrEqualTo(6);
  }

  @Test
  void theSampleRequestsMatchTheRequestSchema() throws IOException {
    List<Path> samples;
    try (var files = Files.list(Path.of("scripts", "samples"))) {
      samples = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(samples).hasSizeGreaterThanOrEqualTo(2);
    for (Path sample : samples) {
      JsonNode request = json(Files.readString(sample).replace("REQUEST_ID", "sample-1"));
      assertThat(EventContract.violationsOfRequest(request)).as(sample.toString()).isEmpty();
    }
  }

  @Test
  void theSchemasRefuseWhatTheServiceWould() throws IOException {
    assertThat(EventContract.violationsOfRequest(json("{\"attachment\":{}}"))).isNotEmpty();
    assertThat(EventContract.violationsOfRequest(json("{\"request_id\":\"has space\"}")))
        .isNotEmpty();
    assertThat(EventContract.violationsOfRequest(json("{\"request_id\":\"r1\"}")))
        .as("a create needs its attachment")
        .isNotEmpty();
    assertThat(
            EventContract.violationsOfRequest(
                json("{\"request_id\":\"r1\",\"action\":\"delete\",\"attachment\":{}}")))
        .as("a delete needs its target")
        .isNotEmpty();
    assertThat(
            EventContract.violationsOfRequest(
                json(
                    "{\"request_id\":\"r1\",\"action\":\"delete\",\"target\":{\"request_id\":\"a\","
                        + "\"attachment_id\":4}}")))
        .as("exactly one target")
        .isNotEmpty();
    assertThat(
            EventContract.violationsOfRequest(
                json(
                    "{\"request_id\":\"r1\",\"action\":\"delete\",\"target\":{\"request_id\":\"a\"}}")))
        .isEmpty();
    assertThat(
            EventContract.violationsOfEvent(
                "cloudconnect.attachment.ready",
                json(
                    "{\"request_id\":\"r\",\"action\":\"create\",\"attachment_id\":1,\"type\":2,"
                        + "\"status\":{\"id\":5,\"description\":\"Active\"},"
                        + "\"tunnel_information\":{\"psk\":\"secret\"},"
                        + "\"requested_at\":\"2026-01-01T00:00:00Z\",\"ready_at\":\"2026-01-01T00:01:00Z\"}")))
        .as("a ready event never carries a PSK")
        .isNotEmpty();
    assertThat(
            EventContract.violationsOfEvent(
                "cloudconnect.attachment.failed",
                json(
                    "{\"request_id\":\"r\",\"action\":\"create\",\"reason\":\"TIMED_OUT\","
                        + "\"message\":\"m\",\"errors\":[],\"attachment_id\":null,"
                        + "\"compensation\":{\"status\":\"gone\"},\"retryable\":true}")))
        .as("compensation status outside the contract")
        .isNotEmpty();
    assertThat(
            EventContract.violationsOfHeaders(
                json(
                    "{\"ce_specversion\":\"0.3\",\"ce_id\":\"1\",\"ce_source\":\"/s\","
                        + "\"ce_type\":\"cloudconnect.attachment.ready\",\"ce_subject\":\"r\","
                        + "\"ce_time\":\"2026-01-01T00:00:00Z\",\"content-type\":\"application/json\"}")))
        .isNotEmpty();
  }

  /**
   * The JSON examples of {@code file}'s section {@code heading} (up to the next heading of its
   * level).
   */
  private static List<JsonNode> examples(Path file, String heading) throws IOException {
    String text = Files.readString(file);
    int start = text.indexOf(heading + "\n");
    assertThat(start).as("%s has a section %s", file, heading).isNotNegative();
    int end = text.indexOf("\n## ", start + heading.length());
    String section = text.substring(start, end < 0 ? text.length() : end);
    List<JsonNode> found = new ArrayList<>();
    Matcher block = JSON_BLOCK.matcher(section);
    while (block.find()) {
      try (MappingIterator<JsonNode> values =
          JSON.readerFor(JsonNode.class).readValues(block.group(1))) {
        values.forEachRemaining(found::add);
      }
    }
    return found;
  }

  /** The event type an example shows, or null for a request. */
  private static String eventTypeOf(JsonNode example) {
    if (example.has("ready_at")) {
      return "cloudconnect.attachment.ready";
    }
    if (example.has("reason")) {
      return "cloudconnect.attachment.failed";
    }
    if (example.has("outcome")) {
      return "cloudconnect.attachment.deleted";
    }
    return null;
  }

  private static JsonNode json(String text) throws IOException {
    return JSON.readTree(text);
  }
}
