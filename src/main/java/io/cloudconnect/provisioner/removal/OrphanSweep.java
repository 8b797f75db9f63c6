package io.cloudconnect.provisioner.removal;

import io.cloudconnect.provisioner.config.ProvisionerConfig;
import io.cloudconnect.provisioner.config.ReplicaId;
import io.cloudconnect.provisioner.emnify.AttachmentLister;
import io.cloudconnect.provisioner.emnify.DeleteCall;
import io.cloudconnect.provisioner.emnify.EmnifyDtos.Attachment;
import io.cloudconnect.provisioner.persistence.JobLeases;
import io.cloudconnect.provisioner.persistence.SagaRepository;
import io.cloudconnect.provisioner.saga.Compensations;
import io.cloudconnect.provisioner.saga.DeleteOutcome;
import io.cloudconnect.provisioner.saga.Marker;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Finds attachments that carry this deployment's marker but that no live request holds ({@link
 * Orphans}): a duplicate a lost create answer left, the attachment of a request that failed or was
 * deleted, one whose request is unknown (purged, or another database). With {@code
 * cloudconnect.compensation.mode=delete} each is deleted; with {@code keep} each is reported. One
 * replica sweeps at a time (a job lease); every call goes through the shared API budget like any
 * other, and a sweep lists the organisation once.
 */
@Startup
@ApplicationScoped
public class OrphanSweep {
  private static final Logger LOG = Logger.getLogger(OrphanSweep.class);
  static final String JOB = "orphan-sweep";

  /** What the last sweep on this replica found and did, for the operator API. */
  public record Report(
      Instant at, int listed, boolean complete, List<Found> orphans, String problem) {}

  /** One orphan and what the sweep did about it: deleted, not_now, refused, reported. */
  public record Found(long attachmentId, String requestId, int statusId, String why, String done) {}

  private final AttachmentLister lister;
  private final DeleteCall deletes;
  private final SagaRepository sagas;
  private final JobLeases leases;
  private final ProvisionerConfig config;
  private final String owner;
  private final Clock clock;
  private final AtomicReference<Report> last = new AtomicReference<>();
  private final AtomicInteger orphansSeen = new AtomicInteger();

  OrphanSweep(
      AttachmentLister lister,
      DeleteCall deletes,
      SagaRepository sagas,
      JobLeases leases,
      ProvisionerConfig config,
      ReplicaId replica,
      Clock clock,
      MeterRegistry metrics) {
    this.lister = lister;
    this.deletes = deletes;
    this.sagas = sagas;
    this.leases = leases;
    this.config = config;
    this.owner = replica.value();
    this.clock = clock;
    Gauge.builder("cloudconnect.orphans", this, OrphanSweep::orphansLeft)
        .description("orphans the last sweep on this replica reported and did not delete")
        .register(metrics);
  }

  /** Orphans the last sweep on this replica reported and did not delete (a gauge). */
  public int orphansLeft() {
    return orphansSeen.get();
  }

  /** The last sweep this replica ran, if any. */
  public Optional<Report> lastReport() {
    return Optional.ofNullable(last.get());
  }

  /** One sweep, if this replica holds (or takes) the sweep's lease. */
  public Uni<Void> sweep() {
    return leases
        .tryAcquire(JOB, owner, clock.instant(), config.sweep().lease())
        .chain(held -> held ? sweepNow().replaceWithVoid() : Uni.createFrom().voidItem());
  }

  /** One sweep now, whoever holds the lease (operators and tests). */
  public Uni<Report> sweepNow() {
    Instant at = clock.instant();
    return lister
        .listAll(null)
        .chain(listing -> judge(listing).chain(orphans -> act(at, listing, orphans)))
        .onFailure()
        .recoverWithItem(
            e -> {
              LOG.warnf("orphan sweep failed: %s", e.getMessage());
              Report report = new Report(at, 0, false, List.of(), e.getMessage());
              last.set(report);
              return report;
            });
  }

  private Uni<List<Orphans.Orphan>> judge(AttachmentLister.Listing listing) {
    String namespace = config.deployment().namespace();
    List<Attachment> ours =
        listing.attachments().stream()
            .filter(
                a ->
                    Marker.in(a.description())
                        .map(m -> m.namespace().equals(namespace))
                        .orElse(false))
            .toList();
    if (ours.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    // judged a thousand attachments at a time, each chunk in a session of its own: the sagas
    // loaded stay few, and no query carries more ids than PostgreSQL binds (65,535) however large
    // the organisation
    List<List<Attachment>> chunks = new ArrayList<>();
    for (int from = 0; from < ours.size(); from += JUDGED_AT_ONCE) {
      chunks.add(ours.subList(from, Math.min(ours.size(), from + JUDGED_AT_ONCE)));
    }
    return Multi.createFrom()
        .iterable(chunks)
        .onItem()
        .transformToUniAndConcatenate(chunk -> judgeChunk(chunk, namespace))
        .collect()
        .in(ArrayList::new, List::addAll);
  }

  static final int JUDGED_AT_ONCE = 1000;

  private Uni<List<Orphans.Orphan>> judgeChunk(List<Attachment> ours, String namespace) {
    List<Long> ids = ours.stream().map(Attachment::id).toList();
    List<String> requestIds =
        ours.stream()
            .map(a -> Marker.in(a.description()).orElseThrow().requestId())
            .distinct()
            .toList();
    return Panache.withSession(
        () ->
            sagas
                .heldAttachments(ids)
                .chain(
                    holders ->
                        sagas
                            .findAllById(requestIds)
                            .map(
                                named -> {
                                  Map<Long, ProvisioningSaga> byAttachment = new HashMap<>();
                                  holders.forEach(
                                      h -> byAttachment.putIfAbsent(h.attachmentId(), h));
                                  Map<String, ProvisioningSaga> byRequest = new HashMap<>();
                                  named.forEach(s -> byRequest.put(s.requestId(), s));
                                  List<Orphans.Orphan> orphans = new ArrayList<>();
                                  for (Attachment a : ours) {
                                    int status = a.status() == null ? 0 : a.status().id();
                                    Orphans.judge(
                                            a.id(),
                                            a.description(),
                                            status,
                                            namespace,
                                            byAttachment,
                                            byRequest)
                                        .ifPresent(orphans::add);
                                  }
                                  return orphans;
                                })));
  }

  private Uni<Report> act(
      Instant at, AttachmentLister.Listing listing, List<Orphans.Orphan> orphans) {
    boolean delete = config.compensation().mode() == Compensations.Mode.DELETE;
    Uni<List<Found>> acted =
        orphans.isEmpty()
            ? Uni.createFrom().item(List.of())
            : Multi.createFrom()
                .iterable(orphans)
                .onItem()
                .transformToUniAndConcatenate(o -> delete ? delete(o) : report(o))
                .collect()
                .asList();
    return acted.map(
        found -> {
          orphansSeen.set((int) found.stream().filter(f -> !"deleted".equals(f.done())).count());
          Report report =
              new Report(at, listing.attachments().size(), listing.complete(), found, null);
          last.set(report);
          LOG.infof(
              "orphan sweep: %d orphan(s) among %d attachments (list %s)",
              found.size(), report.listed(), listing.complete() ? "complete" : "incomplete");
          return report;
        });
  }

  private Uni<Found> delete(Orphans.Orphan orphan) {
    return deletes
        .send(orphan.attachmentId())
        .map(
            outcome -> {
              String done;
              if (outcome instanceof DeleteOutcome.Accepted
                  || outcome instanceof DeleteOutcome.Gone) {
                done = "deleted";
              } else {
                done = outcome instanceof DeleteOutcome.Refused ? "refused" : "not_now";
              }
              LOG.warnf("orphan attachment %d (%s): %s", orphan.attachmentId(), orphan.why(), done);
              return found(orphan, done);
            });
  }

  private Uni<Found> report(Orphans.Orphan orphan) {
    LOG.warnf(
        "orphan attachment %d (%s) kept: cloudconnect.compensation.mode=keep",
        orphan.attachmentId(), orphan.why());
    return Uni.createFrom().item(found(orphan, "reported"));
  }

  private static Found found(Orphans.Orphan orphan, String done) {
    return new Found(
        orphan.attachmentId(), orphan.requestId(), orphan.statusId(), orphan.why(), done);
  }
}
