package io.cloudconnect.provisioner.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The shared API budget's token buckets, one row each, changed by single atomic statements. It uses
 * the reactive SQL pool directly rather than a Hibernate session: a token is taken in the middle of
 * an emnify call, where no session or transaction of the caller may be open.
 */
@ApplicationScoped
public class ApiBudgetStore {
  /**
   * Takes one token if the bucket holds one, plus the reserve (and, when {@code $6}, the reads
   * wanted) left behind, and no pause is in force; returns the row if so.
   */
  private static final String TAKE =
      "insert into api_budget (name, tokens, refilled_at) values ($1, $2 - 1, $4) "
          + "on conflict (name) do update set "
          + "  tokens = least($2, api_budget.tokens + extract(epoch from ($4 - api_budget.refilled_at)) * $3) - 1, "
          + "  refilled_at = $4 "
          + "where (api_budget.blocked_until is null or api_budget.blocked_until <= $4) "
          + "  and least($2, api_budget.tokens + extract(epoch from ($4 - api_budget.refilled_at)) * $3) >= 1 + $5 "
          + "    + case when $6 and api_budget.wanted_until > $4 then api_budget.wanted else 0 end "
          + "returning tokens";

  private static final String WANT =
      "insert into api_budget (name, tokens, refilled_at, wanted, wanted_until) values ($1, 0, $2, $3, $4) "
          + "on conflict (name) do update set wanted = $3, wanted_until = $4";

  private static final String READ =
      "select blocked_until, tokens, refilled_at, wanted, wanted_until from api_budget where name = $1";
  private static final String PAUSE =
      "insert into api_budget (name, tokens, refilled_at, blocked_until) values ($1, 0, $2, $3) "
          + "on conflict (name) do update set blocked_until = greatest(coalesce(api_budget.blocked_until, $3), $3)";

  /**
   * A bucket as stored: tokens left at {@code refilledAt}, a pause if one is in force, and the
   * reads wanted until {@code wantedUntil}.
   */
  public record Bucket(
      double tokens,
      Instant refilledAt,
      Optional<Instant> blockedUntil,
      double wanted,
      Optional<Instant> wantedUntil) {
    /**
     * The tokens the bucket holds at {@code now}, refilled at {@code perSecond} up to {@code
     * burst}.
     */
    public double tokensAt(Instant now, double perSecond, int burst) {
      double seconds = Math.max(0, java.time.Duration.between(refilledAt, now).toMillis()) / 1000.0;
      return Math.min(burst, tokens + seconds * perSecond);
    }

    /** The reads still wanted at {@code now}: none once the claim has lapsed. */
    public double wantedAt(Instant now) {
      return wantedUntil.filter(now::isBefore).isPresent() ? wanted : 0;
    }
  }

  private final Pool pool;

  ApiBudgetStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Refills the bucket for the time since its last refill ({@code perSecond}, at most {@code
   * capacity}) and takes one token, leaving at least {@code reserve} behind; false when it cannot
   * or the bucket is paused.
   */
  public Uni<Boolean> take(
      String name, double capacity, double perSecond, double reserve, Instant now) {
    return take(name, capacity, perSecond, reserve, false, now);
  }

  /** As above; {@code yields}: also leaves behind the reads wanted (see {@link #want}). */
  public Uni<Boolean> take(
      String name, double capacity, double perSecond, double reserve, boolean yields, Instant now) {
    return pool.preparedQuery(TAKE)
        .execute(Tuple.of(name, capacity, perSecond, utc(now), reserve, yields))
        .map(rows -> rows.size() == 1);
  }

  /**
   * {@code reads} tokens are wanted for reads that finish requests, until {@code until}: a taker
   * that yields leaves them behind. Zero withdraws the claim.
   */
  public Uni<Void> want(String name, int reads, Instant now, Instant until) {
    return pool.preparedQuery(WANT)
        .execute(Tuple.of(name, utc(now), (double) reads, utc(until)))
        .replaceWithVoid();
  }

  public Uni<Optional<Bucket>> read(String name) {
    return pool.preparedQuery(READ)
        .execute(Tuple.of(name))
        .map(
            rows ->
                rows.size() == 0 ? Optional.empty() : Optional.of(bucket(rows.iterator().next())));
  }

  /** No token is handed out before {@code until} (a pause already longer is kept). */
  public Uni<Void> pause(String name, Instant now, Instant until) {
    return pool.preparedQuery(PAUSE)
        .execute(Tuple.of(name, utc(now), utc(until)))
        .replaceWithVoid();
  }

  private static Bucket bucket(Row row) {
    OffsetDateTime blocked = row.getOffsetDateTime("blocked_until");
    OffsetDateTime wantedUntil = row.getOffsetDateTime("wanted_until");
    return new Bucket(
        row.getDouble("tokens"),
        row.getOffsetDateTime("refilled_at").toInstant(),
        Optional.ofNullable(blocked).map(OffsetDateTime::toInstant),
        row.getDouble("wanted"),
        Optional.ofNullable(wantedUntil).map(OffsetDateTime::toInstant));
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
