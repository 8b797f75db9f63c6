package io.cloudconnect.provisioner.intake;

import com.fasterxml.jackson.databind.JsonNode;

/** What a Kafka record turned out to hold. */
public sealed interface RecordContent {

  /** A request with a usable request_id; its attachment is validated next. */
  record Request(String requestId, JsonNode attachment) implements RecordContent {}

  /** Nothing that can be answered on the events topic: goes to the dead-letter topic. */
  record Unreadable(String code, String message) implements RecordContent {}
}
