package io.cloudconnect.provisioner.secrets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Keeps pre-shared keys out of the dead-letter topic, which holds records for weeks and is read by
 * more people than the database's sealed column: before a record is written there, every {@code
 * psk} field (at any depth, whatever its case) becomes {@code psk_sealed}, sealed as {@link
 * PskVault} seals keys at rest (bound to the record's first top-level request_id); a replay opens
 * it again. A key that is not a string is sealed as its JSON text ({@code psk_sealed_json}) so that
 * a replay gives back the same value.
 *
 * <p>The record is copied token by token, never through a tree: a dead-lettered record is often
 * exactly the one that a tree would change (two request_ids, two keys in one object), and a replay
 * must publish it as the producer did. A record that is not JSON cannot be searched for its key: if
 * it mentions one at all, its content is withheld and only the reason and its size are kept (it
 * could not be processed anyway). Nothing here logs a value.
 */
public final class DeadLetterSealing {
  static final String SEALED = "_sealed";
  static final String SEALED_JSON = "_sealed_json";
  static final String WITHHELD = "withheld";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFactory TOKENS = JSON.getFactory();

  private final PskVault vault;

  public DeadLetterSealing(PskVault vault) {
    this.vault = vault;
  }

  /** The record as it may be kept on the dead-letter topic. */
  public byte[] seal(byte[] record) {
    if (record == null || record.length == 0) {
      return record;
    }
    Survey survey = Survey.of(record, DeadLetterSealing::isKey);
    if (survey == null) {
      return mentionsAKey(record) ? withheld(record.length) : record;
    }
    if (!survey.found()) {
      return record; // nothing to seal: kept byte for byte
    }
    return copy(
        record,
        (name, parser, out) -> {
          JsonToken value = parser.currentToken();
          if (value == JsonToken.VALUE_NULL) {
            out.writeNullField(name);
          } else if (value == JsonToken.VALUE_STRING) {
            out.writeStringField(name + SEALED, sealed(parser.getText(), survey.requestId()));
          } else {
            String json = JSON.writeValueAsString(JSON.readTree(parser));
            out.writeStringField(name + SEALED_JSON, sealed(json, survey.requestId()));
          }
        });
  }

  /** The record as it was published, its sealed keys opened (for a replay). */
  public byte[] restore(byte[] record) {
    Survey survey = record == null ? null : Survey.of(record, DeadLetterSealing::isSealed);
    if (survey == null || !survey.found()) {
      return record;
    }
    return copy(
        record,
        (name, parser, out) -> {
          if (parser.currentToken() != JsonToken.VALUE_STRING) {
            out.writeFieldName(name);
            out.copyCurrentStructure(parser);
            return;
          }
          String lower = name.toLowerCase(Locale.ROOT);
          boolean json = lower.endsWith(SEALED_JSON);
          String original =
              name.substring(0, name.length() - (json ? SEALED_JSON : SEALED).length());
          String opened = vault.open(parser.getText(), survey.requestId()).reveal();
          out.writeFieldName(original);
          if (json) {
            out.writeRawValue(opened);
          } else {
            out.writeString(opened);
          }
        });
  }

  private String sealed(String value, String requestId) {
    return vault.seal(Secret.of(value), requestId);
  }

  private static boolean isKey(String field) {
    return field.toLowerCase(Locale.ROOT).equals("psk");
  }

  private static boolean isSealed(String field) {
    String lower = field.toLowerCase(Locale.ROOT);
    return lower.equals("psk" + SEALED) || lower.equals("psk" + SEALED_JSON);
  }

  /** What one read of a record found: whether it is JSON, its request_id, a field to act on. */
  private record Survey(String requestId, boolean found) {
    /** Null when the record is not JSON. */
    static Survey of(byte[] record, java.util.function.Predicate<String> wanted) {
      String requestId = null;
      boolean found = false;
      try (JsonParser parser = TOKENS.createParser(record)) {
        for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
          if (token != JsonToken.FIELD_NAME) {
            continue;
          }
          String name = parser.currentName();
          found |= wanted.test(name);
          boolean topLevel = parser.getParsingContext().getParent().inRoot();
          if (requestId == null && topLevel && name.equals("request_id")) {
            if (parser.nextToken() == JsonToken.VALUE_STRING) {
              requestId = parser.getText();
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        return null;
      }
      return new Survey(requestId == null ? "" : requestId, found);
    }
  }

  /** Writes a field whose name matched; the parser stands on its value. */
  @FunctionalInterface
  private interface FieldWriter {
    void write(String name, JsonParser parser, JsonGenerator out) throws IOException;
  }

  /**
   * The record token by token, each field named psk (or its sealed form) written by {@code field};
   * numbers keep their text, duplicate names and their order stay as they were.
   */
  private static byte[] copy(byte[] record, FieldWriter field) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(record.length + 128);
    try (JsonParser parser = TOKENS.createParser(record);
        JsonGenerator out = TOKENS.createGenerator(bytes)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        switch (token) {
          case FIELD_NAME -> {
            String name = parser.currentName();
            if (isKey(name) || isSealed(name)) {
              parser.nextToken();
              field.write(name, parser, out);
            } else {
              out.writeFieldName(name);
            }
          }
          case START_OBJECT -> out.writeStartObject();
          case END_OBJECT -> out.writeEndObject();
          case START_ARRAY -> out.writeStartArray();
          case END_ARRAY -> out.writeEndArray();
          case VALUE_STRING -> out.writeString(parser.getText());
          case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> out.writeNumber(parser.getText());
          case VALUE_TRUE -> out.writeBoolean(true);
          case VALUE_FALSE -> out.writeBoolean(false);
          case VALUE_NULL -> out.writeNull();
          default -> out.copyCurrentEvent(parser);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("a record read whole once could not be copied", e);
    }
    return bytes.toByteArray();
  }

  private static boolean mentionsAKey(byte[] record) {
    return new String(record, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT).contains("psk");
  }

  private static byte[] withheld(int size) {
    ObjectNode envelope = JSON.createObjectNode();
    envelope.put(
        WITHHELD,
        "the record is not JSON and mentions a pre-shared key: its content is not kept here");
    envelope.put("bytes", size);
    try {
      return JSON.writeValueAsBytes(envelope);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
