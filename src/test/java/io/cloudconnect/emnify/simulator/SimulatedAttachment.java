package io.cloudconnect.emnify.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One attachment held by the simulator. Its status is derived from its age, so the simulator needs
 * no timers: 2 -> 3 -> 4 -> 5 one step apart, or the path its name's marker asks for.
 */
final class SimulatedAttachment {

  /** Scripted fates, chosen by a marker in the attachment's name. */
  enum Fate {
    NORMAL,
    /**
     * {@code [sim:rollback]}: Pending AWS Activation, then Rolling Back for two steps, then
     * Deactivated (emnify documents the statuses, not the path between them; a rollback that ends
     * is what makes "wait for the status that allows a delete" testable).
     */
    ROLLBACK,
    /**
     * {@code [sim:rollback-slow]}: as {@code [sim:rollback]}, but Rolling Back for 20 steps (emnify
     * publishes no duration for a rollback): long enough to send a delete into status 8.
     */
    ROLLBACK_SLOW,
    /** {@code [sim:stuck]}: stays Pending AWS Activation. */
    STUCK,
    /** {@code [sim:deactivate]}: Pending AWS Activation, then Deactivated (not by us). */
    DEACTIVATE;

    static Fate of(String name) {
      if (name == null) {
        return NORMAL;
      }
      if (name.contains("[sim:rollback-slow]")) {
        return ROLLBACK_SLOW;
      }
      if (name.contains("[sim:rollback]")) {
        return ROLLBACK;
      }
      if (name.contains("[sim:stuck]")) {
        return STUCK;
      }
      return name.contains("[sim:deactivate]") ? DEACTIVATE : NORMAL;
    }
  }

  static final String[] STATUS = {
    "",
    "Pending Customer Action",
    "Pending AWS Activation",
    "Pending EGN Activation",
    "Pending CRG Activation",
    "Active",
    "Deactivation Pending",
    "Deactivated",
    "Rolling Back"
  };
  static final String[] TYPE = {"", "Transit Gateway", "IPSec VPN", "IPSec VPN BGP"};

  final long id;
  final int type;
  final String name;
  final String description;
  final String region;
  final String publicIp;
  final List<String> onPremCidr;
  final String psk;
  final Long asn;
  final List<String> insideCidr;
  final Instant createdAt;
  final Fate fate;
  final String outsideAddress;

  /** When it is gone (left out of lists, 404 by id); may lie in the future after a delete. */
  volatile Instant deletedAt;

  /** When a delete was accepted: Deactivation Pending (6) from then until {@link #deletedAt}. */
  volatile Instant deleteAcceptedAt;

  /** The organisation that owns it: the token's own, unless seeded into a child organisation. */
  volatile long organisationId = SimulatorState.OWN_ORGANISATION;

  SimulatedAttachment(
      long id,
      int type,
      String name,
      String description,
      String region,
      String publicIp,
      List<String> onPremCidr,
      String psk,
      Long asn,
      List<String> insideCidr,
      Instant createdAt) {
    this.id = id;
    this.type = type;
    this.name = name;
    this.description = description;
    this.region = region == null ? "eu-west-1" : region;
    this.publicIp = publicIp;
    this.onPremCidr = onPremCidr;
    this.psk = psk;
    this.asn = asn;
    this.insideCidr = insideCidr;
    this.createdAt = createdAt;
    this.fate = Fate.of(name);
    this.outsideAddress = "52.29." + (id / 250 % 250) + "." + (id % 250 + 1);
  }

  int statusAt(Instant now, Duration step) {
    if (deleteAcceptedAt != null && !now.isBefore(deleteAcceptedAt)) {
      return 6;
    }
    long steps =
        step.isZero()
            ? Long.MAX_VALUE
            : Duration.between(createdAt, now).toMillis() / Math.max(1, step.toMillis());
    return switch (fate) {
      case NORMAL -> steps >= 3 ? 5 : (int) (2 + steps);
      case ROLLBACK -> steps >= 3 ? 7 : steps >= 1 ? 8 : 2;
      case ROLLBACK_SLOW -> steps >= 21 ? 7 : steps >= 1 ? 8 : 2;
      case STUCK -> 2;
      case DEACTIVATE -> steps >= 1 ? 7 : 2;
    };
  }

  boolean deleted(Instant now) {
    return deletedAt != null && !now.isBefore(deletedAt);
  }
}
