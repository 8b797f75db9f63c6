package io.cloudconnect.provisioner.saga;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A request_id is an idempotency key: the same key with the same parameters is a redelivery or a
 * producer's retry and changes nothing; the same key with other parameters is a conflict, refused
 * visibly while the first request stands (the practice of HTTP's Idempotency-Key). Parameters are
 * compared by their keyed fingerprints ({@code f1:<key id>:<mac>}); two made with different keys (a
 * rotation in between) cannot be compared, and are taken as the same, as before fingerprints.
 */
public final class Idempotency {
  private Idempotency() {}

  /**
   * Whether a request arriving with {@code again} conflicts with the one recorded as {@code first}.
   */
  public static boolean conflicts(String first, String again) {
    if (first == null || again == null) {
      return false;
    }
    String[] a = first.split(":", 3);
    String[] b = again.split(":", 3);
    if (a.length != 3 || b.length != 3 || !a[0].equals(b[0]) || !a[1].equals(b[1])) {
      return false;
    }
    return !MessageDigest.isEqual(
        a[2].getBytes(StandardCharsets.US_ASCII), b[2].getBytes(StandardCharsets.US_ASCII));
  }
}
