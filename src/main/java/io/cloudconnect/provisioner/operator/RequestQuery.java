package io.cloudconnect.provisioner.operator;

import io.cloudconnect.provisioner.persistence.SagaSearch;
import io.cloudconnect.provisioner.saga.FailureReason;
import io.cloudconnect.provisioner.saga.RequestKind;
import io.cloudconnect.provisioner.saga.SagaState;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A search of requests as the operator API takes it (query parameters), checked: a parameter out of
 * range is a 400 that names it and says what it takes.
 */
record RequestQuery(SagaSearch.Filter filter, int page, int size) {

  /** The deepest page a search reaches: page times size stays far inside an int. */
  static final int MAX_PAGE = 100_000;

  /** The oldest {@code older_than} a search takes (requests are kept far shorter). */
  static final Duration LONGEST_AGE = Duration.ofDays(3650);

  /** The query parameters as they come. */
  static class Params {
    @QueryParam("state")
    String states;

    @QueryParam("reason")
    String reason;

    @QueryParam("action")
    String action;

    @QueryParam("attachment_id")
    Long attachmentId;

    @QueryParam("older_than")
    String olderThan;

    @QueryParam("q")
    String prefix;

    @QueryParam("page")
    @DefaultValue("0")
    int page;

    @QueryParam("size")
    @DefaultValue("50")
    int size;
  }

  static RequestQuery of(Params p, Instant now) {
    return of(
        p.states, p.reason, p.action, p.attachmentId, p.olderThan, p.prefix, p.page, p.size, now);
  }

  static RequestQuery of(
      String states,
      String reason,
      String action,
      Long attachmentId,
      String olderThan,
      String prefix,
      int page,
      int size,
      Instant now) {
    if (page < 0 || page > MAX_PAGE || size < 1 || size > 500) {
      throw new BadRequestException("page must be 0-" + MAX_PAGE + " and size 1-500");
    }
    return new RequestQuery(
        new SagaSearch.Filter(
            states(states),
            parse(reason, FailureReason.class, "reason"),
            parse(action, RequestKind.class, "action"),
            attachmentId,
            olderThan == null ? null : now.minus(duration(olderThan)),
            prefix),
        page,
        size);
  }

  private static List<SagaState> states(String states) {
    if (states == null || states.isBlank()) {
      return List.of();
    }
    return Arrays.stream(states.split(","))
        .map(s -> parse(s.trim(), SagaState.class, "state"))
        .toList();
  }

  private static <E extends Enum<E>> E parse(String value, Class<E> type, String name) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(
          name + " must be one of " + Arrays.toString(type.getEnumConstants()));
    }
  }

  private static Duration duration(String text) {
    Duration duration;
    try {
      duration = Duration.parse(text.startsWith("P") ? text : "PT" + text.toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw new BadRequestException("older_than must be a duration such as 10m or PT2H");
    }
    if (duration.isNegative() || duration.compareTo(LONGEST_AGE) > 0) {
      throw new BadRequestException(
          "older_than must be between 0 and " + LONGEST_AGE.toDays() + "d");
    }
    return duration;
  }
}
