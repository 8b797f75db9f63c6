package io.cloudconnect.provisioner.intake;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.cloudconnect.provisioner.config.ProvisionerConfig;
import io.cloudconnect.provisioner.validation.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns a record's bytes into a request envelope, or says precisely why it cannot. Parsing is
 * bounded: oversized records are refused before parsing, and Jackson's read constraints cap
 * nesting, string and number sizes. Error texts never quote the record (it may hold a PSK).
 */
@ApplicationScoped
public class RecordReader {

  static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private final ObjectMapper mapper;
  private final JsonFactory scanner;
  private final int maxBytes;

  @Inject
  RecordReader(ProvisionerConfig config) {
    this(config.intake().maxRecordBytes());
  }

  RecordReader(int maxBytes) {
    this.maxBytes = maxBytes;
    this.mapper =
        JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    this.scanner =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(64)
                    .maxDocumentLength(maxBytes)
                    .build())
            .build();
    mapper
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(32)
                .maxNumberLength(64)
                .maxStringLength(maxBytes)
                .maxDocumentLength(maxBytes)
                .build());
  }

  public RecordContent read(byte[] value) {
    if (value == null || value.length == 0) {
      return new RecordContent.Unreadable(ErrorCode.EMPTY_RECORD, "record has no value");
    }
    if (value.length > maxBytes) {
      return answerIfPossible(
          value,
          ErrorCode.RECORD_TOO_LARGE,
          "record is " + value.length + " bytes; the limit is " + maxBytes);
    }
    JsonNode root;
    try {
      root = mapper.readTree(value);
    } catch (JsonProcessingException e) {
      ErrorCode code = jsonErrorCode(e);
      // a record that is not JSON at all cannot be answered, even if it starts like a request
      return code == ErrorCode.INVALID_JSON
          ? new RecordContent.Unreadable(code, jsonErrorMessage(code, e))
          : answerIfPossible(value, code, jsonErrorMessage(code, e));
    } catch (IOException e) {
      return new RecordContent.Unreadable(
          ErrorCode.INVALID_JSON, "record could not be read as JSON");
    }
    if (root == null || !root.isObject()) {
      return new RecordContent.Unreadable(
          ErrorCode.NOT_AN_OBJECT, "record is JSON but not an object");
    }
    JsonNode id = root.get("request_id");
    if (id == null || id.isNull()) {
      return new RecordContent.Unreadable(ErrorCode.REQUEST_ID_MISSING, "record has no request_id");
    }
    if (!id.isTextual() || !REQUEST_ID.matcher(id.textValue()).matches()) {
      return new RecordContent.Unreadable(
          ErrorCode.REQUEST_ID_INVALID,
          "request_id must be 1-128 characters of A-Z a-z 0-9 . _ : -");
    }
    return new RecordContent.Request(
        id.textValue(), root.get("action"), root.get("attachment"), root.get("target"));
  }

  /**
   * A record that cannot be used whole is still answered on the events topic when its top-level
   * request_id can be read from its first bytes (at most the size limit, so an oversized record is
   * never read in full). Two request_ids make the record ambiguous: dead-letter topic.
   */
  private RecordContent answerIfPossible(byte[] value, ErrorCode code, String message) {
    return requestIdIn(value)
        .<RecordContent>map(id -> new RecordContent.Refused(id, code, message))
        .orElseGet(() -> new RecordContent.Unreadable(code, message));
  }

  private Optional<String> requestIdIn(byte[] value) {
    String found = null;
    int seen = 0;
    try (JsonParser parser = scanner.createParser(value, 0, Math.min(value.length, maxBytes))) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        boolean isId = "request_id".equals(parser.currentName());
        JsonToken token = parser.nextToken();
        if (isId) {
          seen++;
          found = token == JsonToken.VALUE_STRING ? parser.getText() : null;
        } else {
          parser.skipChildren();
        }
      }
    } catch (IOException | RuntimeException e) {
      // the scan stops where the record breaks or the prefix ends; what was read so far counts
    }
    return seen == 1 && found != null && REQUEST_ID.matcher(found).matches()
        ? Optional.of(found)
        : Optional.empty();
  }

  private static ErrorCode jsonErrorCode(JsonProcessingException e) {
    String original = e.getOriginalMessage();
    if (original != null && original.startsWith("Duplicate field")) {
      return ErrorCode.DUPLICATE_KEY;
    }
    if (original != null && original.contains("exceeds the maximum")) {
      return ErrorCode.JSON_LIMIT_EXCEEDED;
    }
    return ErrorCode.INVALID_JSON;
  }

  private static String jsonErrorMessage(ErrorCode code, JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    return switch (code) {
      case DUPLICATE_KEY -> "record repeats a JSON key" + where;
      case JSON_LIMIT_EXCEEDED -> "record exceeds a JSON size or nesting limit" + where;
      default -> "record is not valid JSON" + where;
    };
  }
}
