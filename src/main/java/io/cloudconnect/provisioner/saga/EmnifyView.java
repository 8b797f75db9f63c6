package io.cloudconnect.provisioner.saga;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.time.Instant;

/**
 * What emnify last reported of a request's attachment: its status, and since when it has reported
 * it (the console's dwell time). A value: a new report replaces it; {@link #NONE} before the first.
 */
@Embeddable
public class EmnifyView {
  /** Nothing reported yet. */
  static final EmnifyView NONE = new EmnifyView();

  @Column(name = "emnify_status_id")
  private Integer statusId;

  @Column(name = "emnify_status", columnDefinition = "text")
  private String status;

  @Column(name = "emnify_status_since")
  private Instant since;

  protected EmnifyView() {}

  /** Whether emnify reported {@code id} last. */
  public boolean shows(int id) {
    return statusId != null && statusId == id;
  }

  /**
   * The view after emnify reported {@code id} at {@code now}: the same status keeps its since, a
   * new one starts it now.
   */
  EmnifyView reported(int id, String description, Instant now) {
    EmnifyView next = new EmnifyView();
    next.statusId = id;
    next.status = description;
    next.since = shows(id) ? since : now;
    return next;
  }

  public Integer statusId() {
    return statusId;
  }

  public String status() {
    return status;
  }

  public Instant since() {
    return since;
  }
}
