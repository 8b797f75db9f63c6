package io.cloudconnect.provisioner.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The published JSON Schemas (docs/schemas/, referenced by docs/asyncapi.yaml), applied to what the
 * service really emits: every result event a test reads through {@link TopicWatcher} is checked
 * here, its CloudEvents headers and its data, and a mismatch fails that test.
 */
public final class EventContract {
  public static final Path SCHEMAS = Path.of("docs", "schemas");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private static final Schema HEADERS = load("cloudevent-headers.schema.json");
  private static final Schema REQUEST = load("request.schema.json");
  private static final Map<String, Schema> DATA =
      Map.of(
          "cloudconnect.attachment.ready", load("ready-event.schema.json"),
          "cloudconnect.attachment.failed", load("failed-event.schema.json"),
          "cloudconnect.attachment.deleted", load("deleted-event.schema.json"));

  private EventContract() {}

  /** Throws with every violation when the event record does not match its schemas. */
  public static void check(ConsumerRecord<byte[], byte[]> event) {
    ObjectNode headers = JSON.createObjectNode();
    for (Header header : event.headers()) {
      headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
    }
    String where = "event " + headers.path("ce_id").asText("?") + " on " + event.topic();
    failOn(where + " headers", HEADERS.validate(headers));
    Schema data = DATA.get(headers.path("ce_type").asText());
    try {
      failOn(where + " data", data.validate(JSON.readTree(event.value())));
    } catch (IOException e) {
      throw new AssertionError(where + ": data is not JSON", e);
    }
  }

  /** The violations of {@code payload} against the schema of the event type {@code type}. */
  public static List<Error> violationsOfEvent(String type, JsonNode payload) {
    return DATA.get(type).validate(payload);
  }

  /** The violations of {@code request} against the request schema. */
  public static List<Error> violationsOfRequest(JsonNode request) {
    return REQUEST.validate(request);
  }

  public static List<Error> violationsOfHeaders(JsonNode headers) {
    return HEADERS.validate(headers);
  }

  private static void failOn(String what, List<Error> errors) {
    if (!errors.isEmpty()) {
      throw new AssertionError(
          what + " break the published schema: " + errors.stream().map(Error::toString).toList());
    }
  }

  private static Schema load(String file) {
    try (InputStream in = Files.newInputStream(SCHEMAS.resolve(file))) {
      return REGISTRY.getSchema(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
