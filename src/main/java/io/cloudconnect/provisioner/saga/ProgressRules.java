package io.cloudconnect.provisioner.saga;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What an in-flight saga should do next, given what emnify reports. Pure: no I/O, no clock of its
 * own, so every branch is tested without infrastructure. The order of checks matters: an Active
 * attachment wins over a deadline that passed while we were looking.
 */
public final class ProgressRules {
  private ProgressRules() {}

  /** The next step of an in-flight saga. */
  public sealed interface Step {}

  /** Active: fetch its tunnel information and publish ready. */
  public record FetchAndReady(long attachmentId) implements Step {}

  public record Fail(FailureReason reason, String message) implements Step {}

  /** Still on its way; record the status if it changed. */
  public record Progressing(Observation observation) implements Step {}

  /** An ambiguous create turned out to have worked: continue with the attachment found. */
  public record Adopt(long attachmentId) implements Step {}

  /** An ambiguous create did not show up within the grace period: create again. */
  public record CreateAgain(String why) implements Step {}

  /** A create worker's lease ran out mid-call: its outcome is unknown. */
  public record MarkUnknown(String why) implements Step {}

  /** Accepted, but absent from the list: ask for it by id. */
  public record LookUp(long attachmentId) implements Step {}

  public record Wait() implements Step {}

  /**
   * @param observed what the list showed for this saga, if anything
   * @param now the current time (deadlines)
   * @param listedAt when the list call that produced {@code observed} was started: an attachment
   *     created after that moment cannot be in it, however late the answer came
   */
  public static Step decide(
      ProvisioningSaga saga,
      Optional<Observation> observed,
      Instant now,
      Instant listedAt,
      Duration grace) {
    return switch (saga.state()) {
      case CREATING ->
          observed
              .<Step>map(o -> new Adopt(o.attachmentId()))
              .orElseGet(
                  () ->
                      new MarkUnknown(
                          "the create worker's claim expired before it recorded an answer"));
      case CREATE_UNKNOWN -> afterAmbiguousCreate(saga, observed, now, listedAt, grace);
      case PROVISIONING -> provisioning(saga, observed, now);
      default -> new Wait();
    };
  }

  private static Step afterAmbiguousCreate(
      ProvisioningSaga saga,
      Optional<Observation> observed,
      Instant now,
      Instant listedAt,
      Duration grace) {
    if (observed.isPresent()) {
      return new Adopt(observed.get().attachmentId());
    }
    if (saga.isPastDeadline(now)) {
      return new Fail(
          FailureReason.TIMED_OUT,
          "not created before the provisioning deadline: " + saga.lastError());
    }
    // only a list *started* a full grace period after the outcome became unknown proves absence
    Instant since = saga.updatedAt() != null ? saga.updatedAt() : saga.creatingAt();
    if (since != null && listedAt.isAfter(since.plus(grace))) {
      return new CreateAgain(
          "no attachment carrying " + saga.marker() + " appeared within " + grace);
    }
    return new Wait();
  }

  private static Step provisioning(
      ProvisioningSaga saga, Optional<Observation> observed, Instant now) {
    if (observed.isEmpty()) {
      return new LookUp(saga.attachmentId());
    }
    Observation o = observed.get();
    if (o.statusId() == Observation.ACTIVE) {
      return new FetchAndReady(o.attachmentId());
    }
    if (o.statusId() == Observation.ROLLING_BACK) {
      return new Fail(
          FailureReason.ROLLED_BACK, "emnify is rolling the attachment back (status 8)");
    }
    if (o.statusId() == Observation.DEACTIVATED) {
      return new Fail(FailureReason.DEACTIVATED, "the attachment was deactivated (status 7)");
    }
    if (saga.isPastDeadline(now)) {
      return new Fail(
          FailureReason.TIMED_OUT,
          "not Active before the provisioning deadline; last status "
              + o.statusId()
              + " "
              + o.statusDescription());
    }
    return new Progressing(o);
  }
}
