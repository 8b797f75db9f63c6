package io.cloudconnect.provisioner.polling;

import io.cloudconnect.provisioner.config.ProvisionerConfig.Polling.Strategy;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.saga.RequestKind;
import io.cloudconnect.provisioner.saga.SagaState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How one poll cycle observes what is in flight, at the fewest emnify calls, so that observing
 * costs calls in proportion to the requests in flight and not to the organisation's size. Pure:
 * decided from the sagas alone.
 *
 * <ul>
 *   <li>An ambiguous create (or a claim that ran out) needs the whole list of the organisation: its
 *       marker may be on an attachment in any status, and only a complete list proves it is not
 *       there ({@link Way#FULL_LIST}).
 *   <li>Accepted attachments are looked at only once they can have moved: not before {@code
 *       firstLook} after emnify accepted them (a VPN attachment takes minutes to become Active).
 *   <li>Those due are read one by one ({@link Way#BY_ID}: one call each, the detail read that makes
 *       an Active one ready included), through the whole list when the organisation is small
 *       ({@link Way#FULL_LIST}: its pages as last read), or through the lists of the pending
 *       statuses 1-4 ({@link Way#PENDING_LISTS}: one call per status and page, then one detail read
 *       for each attachment that left them), whichever costs fewest calls. In a large organisation
 *       none of these grows with its attachments that are Active already.
 * </ul>
 */
final class ObservationPlan {

  /** emnify's pending statuses: 1 Pending Customer Action to 4 Pending CRG Activation. */
  static final List<Integer> PENDING = List.of(1, 2, 3, 4);

  enum Way {
    /** Nothing is due this cycle: no call at all. */
    NONE,
    FULL_LIST,
    PENDING_LISTS,
    BY_ID
  }

  /**
   * The way, the sagas the cycle looks at, about how many calls it costs, and whether its calls are
   * announced to the budget ahead (so that creates leave them their tokens).
   */
  record Plan(Way way, List<ProvisioningSaga> sagas, int calls, boolean announces) {
    Plan(Way way, List<ProvisioningSaga> sagas, int calls) {
      this(way, sagas, calls, true);
    }

    Plan(Way way, List<ProvisioningSaga> sagas) {
      this(way, sagas, 0);
    }
  }

  private ObservationPlan() {}

  /**
   * @param fullListPages what reading the whole organisation cost last time, in pages
   */
  static Plan of(
      List<ProvisioningSaga> inFlight,
      Instant now,
      Duration firstLook,
      int pageSize,
      int fullListPages) {
    return of(Strategy.PLANNED, inFlight, now, firstLook, pageSize, fullListPages);
  }

  /**
   * As above; {@link Strategy#PER_RESOURCE} reads every accepted attachment by id every cycle from
   * the start and announces nothing to the budget: the reference strategy (Terraform's waiter) the
   * benchmark measures against, one plan among the others.
   */
  static Plan of(
      Strategy strategy,
      List<ProvisioningSaga> inFlight,
      Instant now,
      Duration firstLook,
      int pageSize,
      int fullListPages) {
    if (inFlight.stream().anyMatch(ObservationPlan::lookedForByMarker)) {
      return new Plan(Way.FULL_LIST, inFlight, fullListPages, strategy != Strategy.PER_RESOURCE);
    }
    if (strategy == Strategy.PER_RESOURCE) {
      return new Plan(Way.BY_ID, inFlight, inFlight.size(), false);
    }
    List<ProvisioningSaga> due =
        inFlight.stream().filter(s -> dueForALook(s, now, firstLook)).toList();
    if (due.isEmpty()) {
      return new Plan(Way.NONE, due);
    }
    int byId = due.size();
    // an attachment being removed may be Active, or going (6, 8): not in the pending lists
    int pending =
        due.stream().anyMatch(s -> s.state() == SagaState.REMOVING)
            ? Integer.MAX_VALUE
            : pendingListsCost(due.size(), pageSize);
    if (byId <= Math.min(fullListPages, pending)) {
      return new Plan(Way.BY_ID, due, byId);
    }
    return fullListPages <= pending
        ? new Plan(Way.FULL_LIST, due, fullListPages)
        : new Plan(Way.PENDING_LISTS, due, pending);
  }

  /** An ambiguous create, a claim that ran out, or a removal whose attachment id is unknown. */
  private static boolean lookedForByMarker(ProvisioningSaga saga) {
    return saga.attachmentId() == null
        || saga.state() == SagaState.CREATING
        || saga.state() == SagaState.CREATE_UNKNOWN;
  }

  private static boolean dueForALook(ProvisioningSaga saga, Instant now, Duration firstLook) {
    // an adopted attachment may be Active already: looked at at once, not a VPN's minutes later
    boolean adoptedUnseen =
        saga.kind() == RequestKind.ADOPT && saga.emnifyView().statusId() == null;
    return saga.state() == SagaState.REMOVING
        || adoptedUnseen
        || saga.provisioningAt() == null
        || !now.isBefore(saga.provisioningAt().plus(firstLook))
        || saga.isPastDeadline(now);
  }

  /**
   * How long the next cycle waits after one that made {@code calls} calls, so that observing spends
   * no more than {@code share} of the budget's refill ({@code callsPerSecond}), and never longer
   * than {@code max}: a cycle of 100 list pages with 1,800 calls per 5 minutes and half of them for
   * observing waits 33 s, not the poll interval. Counted from what the cycle really spent, not from
   * what it planned to.
   */
  static Duration pause(int calls, double callsPerSecond, double share, Duration max) {
    if (calls <= 0 || callsPerSecond <= 0 || share <= 0) {
      return Duration.ZERO;
    }
    Duration pause = Duration.ofMillis((long) Math.ceil(calls / (callsPerSecond * share) * 1000));
    return pause.compareTo(max) > 0 ? max : pause;
  }

  /** At least one page per pending status; more when the requests in flight fill pages. */
  static int pendingListsCost(int due, int pageSize) {
    int pages = Math.max(1, (due + pageSize - 1) / pageSize);
    return PENDING.size() * pages;
  }
}
