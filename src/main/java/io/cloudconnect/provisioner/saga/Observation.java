package io.cloudconnect.provisioner.saga;

/**
 * What emnify reported about an attachment at one moment. {@code region} and {@code tunnel} are
 * known only from a detail read (GET by id) of an Active attachment; {@code marker} is the marker
 * its description carries, null when it carries none (or the description was not read).
 */
public record Observation(
    long attachmentId,
    int statusId,
    String statusDescription,
    String region,
    TunnelInformation tunnel,
    int typeId,
    Marker.Found marker) {
  public static final int ACTIVE = 5;
  public static final int DEACTIVATION_PENDING = 6;
  public static final int DEACTIVATED = 7;
  public static final int ROLLING_BACK = 8;

  /** A status as the list shows it. */
  public Observation(long attachmentId, int statusId, String statusDescription) {
    this(attachmentId, statusId, statusDescription, null, null, 0, null);
  }

  /** A detail read, its type unknown (0). */
  public Observation(
      long attachmentId,
      int statusId,
      String statusDescription,
      String region,
      TunnelInformation tunnel) {
    this(attachmentId, statusId, statusDescription, region, tunnel, 0, null);
  }
}
