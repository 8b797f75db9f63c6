package io.cloudconnect.provisioner.persistence;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;

/**
 * Leases on singleton jobs, held in PostgreSQL so that one replica runs a job (e.g. the poller,
 * whose list calls spend the shared API quota) and another takes over when the holder stops
 * renewing. A scheduler alone would fire the job on every replica.
 */
@ApplicationScoped
public class JobLeases {
  private static final String ACQUIRE =
      "insert into job_lease (name, owner, lease_until) values (?1, ?2, ?3) "
          + "on conflict (name) do update set owner = excluded.owner, lease_until = excluded.lease_until "
          + "where job_lease.lease_until < ?4 or job_lease.owner = excluded.owner";
  private static final String RELEASE = "delete from job_lease where name = ?1 and owner = ?2";

  /** Takes or renews the lease; true when this owner holds it afterwards. */
  @WithTransaction
  public Uni<Boolean> tryAcquire(String job, String owner, Instant now, Duration lease) {
    return Panache.getSession()
        .chain(
            session ->
                session
                    .createNativeQuery(ACQUIRE)
                    .setParameter(1, job)
                    .setParameter(2, owner)
                    .setParameter(3, now.plus(lease))
                    .setParameter(4, now)
                    .executeUpdate())
        .map(updated -> updated == 1);
  }

  /** Gives the lease up (on SIGTERM), so another replica takes the job at once. */
  @WithTransaction
  public Uni<Boolean> release(String job, String owner) {
    return Panache.getSession()
        .chain(
            session ->
                session
                    .createNativeQuery(RELEASE)
                    .setParameter(1, job)
                    .setParameter(2, owner)
                    .executeUpdate())
        .map(deleted -> deleted == 1);
  }
}
