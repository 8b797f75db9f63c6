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
 * emnify's verdict on the application token, one row shared by all replicas, changed by single
 * atomic statements on the reactive pool (authentication happens in the middle of an emnify call,
 * where no session of the caller may be open).
 */
@ApplicationScoped
public class AuthenticationStore {
  private static final String NAME = "application-token";
  private static final String READ =
      "select refused_since, refusals, held_until, last_problem from emnify_authentication"
          + " where name = $1";

  /** A refusal: the streak starts (or goes on), and nobody authenticates before $3. */
  private static final String REFUSED =
      "insert into emnify_authentication (name, refused_since, refusals, held_until, last_problem)"
          + " values ($1, $2, 1, $3, $4) on conflict (name) do update set"
          + "  refused_since = coalesce(emnify_authentication.refused_since, $2),"
          + "  refusals = emnify_authentication.refusals + 1,"
          + "  held_until = greatest(coalesce(emnify_authentication.held_until, $3), $3),"
          + "  last_problem = $4"
          + " returning refused_since, refusals, held_until, last_problem";

  private static final String SUCCEEDED =
      "update emnify_authentication set refused_since = null, refusals = 0, held_until = null,"
          + " last_problem = null where name = $1 and refused_since is not null";

  /**
   * The shared state: refused without a success since {@code refusedSince} ({@code refusals} times
   * in a row), held back until {@code heldUntil}.
   */
  public record Refusal(
      Instant refusedSince, int refusals, Optional<Instant> heldUntil, String lastProblem) {}

  private final Pool pool;

  AuthenticationStore(Pool pool) {
    this.pool = pool;
  }

  /** The current refusal streak, if authentication is being refused. */
  public Uni<Optional<Refusal>> current() {
    return pool.preparedQuery(READ)
        .execute(Tuple.of(NAME))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.<Refusal>empty();
              }
              Row row = rows.iterator().next();
              return row.getOffsetDateTime("refused_since") == null
                  ? Optional.<Refusal>empty()
                  : Optional.of(refusal(row));
            });
  }

  /** Records a refusal; returns the streak it belongs to. */
  public Uni<Refusal> refused(Instant now, Instant heldUntil, String problem) {
    return pool.preparedQuery(REFUSED)
        .execute(Tuple.of(NAME, utc(now), utc(heldUntil), problem))
        .map(rows -> refusal(rows.iterator().next()));
  }

  /** Authentication worked: the streak ends. */
  public Uni<Void> succeeded() {
    return pool.preparedQuery(SUCCEEDED).execute(Tuple.of(NAME)).replaceWithVoid();
  }

  private static Refusal refusal(Row row) {
    OffsetDateTime held = row.getOffsetDateTime("held_until");
    return new Refusal(
        row.getOffsetDateTime("refused_since").toInstant(),
        row.getInteger("refusals"),
        Optional.ofNullable(held).map(OffsetDateTime::toInstant),
        row.getString("last_problem"));
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
