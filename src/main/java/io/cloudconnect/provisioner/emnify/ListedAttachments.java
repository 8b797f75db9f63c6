package io.cloudconnect.provisioner.emnify;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.cloudconnect.provisioner.emnify.EmnifyDtos.Attachment;
import io.cloudconnect.provisioner.emnify.EmnifyDtos.IdDescription;
import io.cloudconnect.provisioner.saga.Marker;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * emnify's attachment array, parsed piece by piece as the list call's body arrives: one attachment
 * at a time is held as tokens, then kept in the compact form the list's readers need — id, status,
 * type, region, and the description only when it carries a marker. Names and tunnel information
 * (read by id when a request needs them) are dropped as they pass, as is every status and region
 * object after the first of its kind (shared). An organisation of 65,000 attachments, tens of MB on
 * the wire, is held as a few MB, never as its text.
 */
final class ListedAttachments {

  /** What one listed attachment is read as; everything else in it is skipped. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  private record Listed(
      long id, String description, IdDescription status, IdDescription type, String region) {}

  /** The answer is not an array of attachment objects, or ended before the array did. */
  static final class Malformed extends IOException {
    Malformed(String message) {
      super(message);
    }
  }

  private final ObjectMapper mapper;
  private final JsonParser parser;
  private final ByteArrayFeeder feeder;
  private final List<Attachment> attachments = new ArrayList<>();
  private final Map<IdDescription, IdDescription> kinds = new HashMap<>();
  private final Map<String, String> regions = new HashMap<>();
  private boolean opened;
  private boolean closed;
  private TokenBuffer item;
  private int depth;

  ListedAttachments(ObjectMapper mapper) throws IOException {
    this.mapper = mapper;
    this.parser = mapper.getFactory().createNonBlockingByteArrayParser();
    this.feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
  }

  /** Takes the next piece of the body in and reads every attachment it completes. */
  ListedAttachments feed(byte[] piece) throws IOException {
    if (piece.length > 0) {
      feeder.feedInput(piece, 0, piece.length);
      drain();
    }
    return this;
  }

  /** The attachments read, once the body has ended; Malformed if the array had not. */
  List<Attachment> finish() throws IOException {
    feeder.endOfInput();
    try {
      drain();
    } catch (JsonEOFException e) {
      throw new Malformed(opened ? "the attachment array ended early" : "no attachment array");
    }
    if (!closed) {
      throw new Malformed(opened ? "the attachment array ended early" : "no attachment array");
    }
    return attachments;
  }

  private void drain() throws IOException {
    JsonToken token;
    while ((token = parser.nextToken()) != null && token != JsonToken.NOT_AVAILABLE) {
      if (!opened) {
        if (token != JsonToken.START_ARRAY) {
          throw new Malformed("the answer is not an array");
        }
        opened = true;
      } else if (closed) {
        throw new Malformed("more after the attachment array");
      } else if (item == null && token == JsonToken.END_ARRAY) {
        closed = true;
      } else {
        take(token);
      }
    }
  }

  private void take(JsonToken token) throws IOException {
    if (item == null) {
      if (token != JsonToken.START_OBJECT) {
        throw new Malformed("an element of the array is not an object");
      }
      item = new TokenBuffer(parser, null);
      depth = 0;
    }
    item.copyCurrentEvent(parser);
    if (token.isStructStart()) {
      depth++;
    } else if (token.isStructEnd()) {
      depth--;
    }
    if (depth == 0) {
      Listed listed;
      try (JsonParser tokens = item.asParser(mapper)) {
        listed = mapper.readValue(tokens, Listed.class);
      }
      item = null;
      attachments.add(compact(listed));
    }
  }

  private Attachment compact(Listed listed) {
    String description = Marker.in(listed.description()).isPresent() ? listed.description() : null;
    return new Attachment(
        listed.id(),
        null,
        description,
        shared(listed.status()),
        shared(listed.type()),
        listed.region() == null ? null : regions.computeIfAbsent(listed.region(), r -> r),
        null);
  }

  private IdDescription shared(IdDescription kind) {
    return kind == null ? null : kinds.computeIfAbsent(kind, k -> k);
  }
}
