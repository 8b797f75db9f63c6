package io.cloudconnect.provisioner.saga;

/** What emnify reported about an attachment at one moment. */
public record Observation(long attachmentId, int statusId, String statusDescription) {
  public static final int ACTIVE = 5;
  public static final int DEACTIVATED = 7;
  public static final int ROLLING_BACK = 8;
}
