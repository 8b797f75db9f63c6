package io.cloudconnect.provisioner.intake;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudconnect.provisioner.validation.ErrorCode;

/** What a Kafka record turned out to hold. */
public sealed interface RecordContent {

  /**
   * A request with a usable request_id; its {@code action} (null: create), the attachment to create
   * or the {@code target} of a delete or adopt are validated next.
   */
  record Request(String requestId, JsonNode action, JsonNode attachment, JsonNode target)
      implements RecordContent {
    public Request(String requestId, JsonNode attachment) {
      this(requestId, null, attachment, null);
    }
  }

  /**
   * A record whose request_id could be read, but which cannot be used as a whole (too large,
   * repeated keys, beyond the parser's limits): answered with a failed event, like invalid fields.
   */
  record Refused(String requestId, ErrorCode code, String message) implements RecordContent {}

  /** Nothing that can be answered on the events topic: goes to the dead-letter topic. */
  record Unreadable(ErrorCode code, String message) implements RecordContent {}
}
