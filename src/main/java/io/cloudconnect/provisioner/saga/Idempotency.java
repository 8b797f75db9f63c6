package io.cloudconnect.provisioner.saga;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A request_id is an idempotency key: the same key with the same parameters is a redelivery or a
 * producer's retry and changes nothing; the same key with other parameters is a conflict, refused
 * visibly while the first request stands (the practice of HTTP's Idempotency-Key). Parameters are
 * compared by their keyed fingerprints ({@code f1:<key id>:<mac>}); two made with different keys (a
 * rotation in between) cannot be compared, and are taken as the same, as before fingerprints.
 */
public final class Idempotency {
  private Idempotency() {}

  /** What an arrival is to the request_id it carries. */
  public enum Verdict {
    /** The first delivery: recorded. */
    FIRST,
    /** The same request again (a redelivery, a producer's retry): changes nothing. */
    REDELIVERY,
    /** The same request_id with other parameters: refused, the first stands. */
    CONFLICT
  }

  /**
   * Each arrival of a batch ({@code requestIds} with their {@code fingerprints}, same order, null
   * where none) judged against what was recorded before ({@code known}: request_id to fingerprint,
   * null where none) and against the arrivals before it in the batch: the first delivery wins.
   */
  public static List<Verdict> judge(
      List<String> requestIds, List<String> fingerprints, Map<String, String> known) {
    Set<String> taken = new HashSet<>(known.keySet());
    Map<String, String> first = new HashMap<>(known);
    List<Verdict> verdicts = new ArrayList<>(requestIds.size());
    for (int i = 0; i < requestIds.size(); i++) {
      String id = requestIds.get(i);
      String fingerprint = fingerprints.get(i);
      if (!taken.add(id)) {
        verdicts.add(conflicts(first.get(id), fingerprint) ? Verdict.CONFLICT : Verdict.REDELIVERY);
        continue;
      }
      if (fingerprint != null) {
        first.put(id, fingerprint);
      }
      verdicts.add(Verdict.FIRST);
    }
    return verdicts;
  }

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
