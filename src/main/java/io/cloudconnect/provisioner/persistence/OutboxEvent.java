package io.cloudconnect.provisioner.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A result event waiting to be (or already) published; its id is the CloudEvent id. */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent {
  @Id private String id;

  @Column(name = "request_id")
  private String requestId;

  private String type;

  @Column(columnDefinition = "text")
  private String payload;

  @Column(name = "occurred_at")
  private Instant occurredAt;

  @Column(name = "sent_at")
  private Instant sentAt;

  @Column(name = "claimed_until")
  private Instant claimedUntil;

  private int attempts;

  /** The trace of the request it answers (W3C traceparent); null when none was recorded. */
  @Column(name = "trace_parent", columnDefinition = "text")
  private String traceParent;

  protected OutboxEvent() {}

  public OutboxEvent(String id, String requestId, String type, String payload, Instant occurredAt) {
    this.id = id;
    this.requestId = requestId;
    this.type = type;
    this.payload = payload;
    this.occurredAt = occurredAt;
  }

  public OutboxEvent tracedBy(String traceParent) {
    this.traceParent = traceParent;
    return this;
  }

  public String id() {
    return id;
  }

  public String requestId() {
    return requestId;
  }

  public String type() {
    return type;
  }

  public String payload() {
    return payload;
  }

  public Instant occurredAt() {
    return occurredAt;
  }

  public Instant sentAt() {
    return sentAt;
  }

  public int attempts() {
    return attempts;
  }

  public String traceParent() {
    return traceParent;
  }
}
