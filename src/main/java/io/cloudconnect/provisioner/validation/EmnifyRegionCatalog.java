package io.cloudconnect.provisioner.validation;

import io.cloudconnect.provisioner.config.ProvisionerConfig;
import io.cloudconnect.provisioner.emnify.EmnifyClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The regions emnify offers per attachment type, as emnify itself lists them ({@code GET
 * /cnc/breakout_type/{type}/available_region}), kept in memory and refreshed in the background.
 * Validation never waits for the network: until a list is fetched, or once it is older than its
 * time to live, the configured list ({@code cloudconnect.validation.regions}) answers instead of
 * refusing every request. Where the list comes from, and the last refresh's problem, show in the
 * {@code emnify-regions} health check and in metrics, not only in the log.
 */
@ApplicationScoped
public class EmnifyRegionCatalog implements RegionCatalog {
  private static final Logger LOG = Logger.getLogger(EmnifyRegionCatalog.class);
  static final List<Integer> TYPES = List.of(2, 3);

  private final EmnifyClient emnify;
  private final ProvisionerConfig config;
  private final Clock clock;
  private final MeterRegistry metrics;
  private final Set<String> fallback;
  private final Map<Integer, Fetched> fetched = new ConcurrentHashMap<>();
  private final Map<Integer, String> problems = new ConcurrentHashMap<>();

  record Fetched(Set<String> regions, Instant at) {}

  /**
   * Where a type's regions come from now, and what went wrong with the last refresh, if anything.
   */
  public record Source(boolean fromEmnify, int regions, Optional<String> lastProblem) {}

  EmnifyRegionCatalog(
      EmnifyClient emnify, ProvisionerConfig config, Clock clock, MeterRegistry metrics) {
    this.emnify = emnify;
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
    this.fallback = Set.copyOf(config.validation().regions());
    for (int type : TYPES) {
      metrics.gauge(
          "cloudconnect.regions.from.emnify",
          List.of(Tag.of("type", String.valueOf(type))),
          this,
          catalog -> catalog.source(type).fromEmnify() ? 1 : 0);
    }
  }

  @Override
  public Set<String> regionsFor(int type) {
    Fetched current = trusted(type);
    return current == null ? fallback : current.regions();
  }

  public Source source(int type) {
    Fetched current = trusted(type);
    return new Source(
        current != null,
        current == null ? fallback.size() : current.regions().size(),
        Optional.ofNullable(problems.get(type)));
  }

  private Fetched trusted(int type) {
    Fetched current = fetched.get(type);
    if (current == null
        || clock.instant().isAfter(current.at().plus(config.validation().regionsTtl()))) {
      return null;
    }
    return current;
  }

  /** Asks emnify for each type's regions; a failure keeps the previous list until its TTL ends. */
  public Uni<Void> refresh() {
    return Multi.createFrom()
        .iterable(TYPES)
        .onItem()
        .transformToUniAndConcatenate(
            type ->
                emnify
                    .availableRegions(type)
                    .invoke(regions -> remember(type, regions))
                    .onFailure()
                    .invoke(
                        e ->
                            problem(
                                type,
                                "unreachable",
                                "emnify could not be asked: " + e.getMessage()))
                    .onFailure()
                    .recoverWithNull())
        .collect()
        .last()
        .replaceWithVoid();
  }

  private void remember(int type, Set<String> regions) {
    if (regions.isEmpty()) {
      problem(type, "empty", "emnify listed no regions");
      return;
    }
    fetched.put(type, new Fetched(Set.copyOf(regions), clock.instant()));
    problems.remove(type);
    LOG.debugf("regions for type %d: %s", type, regions);
  }

  private void problem(int type, String kind, String text) {
    String using = trusted(type) != null ? "the last list emnify gave" : "the configured list";
    problems.put(type, text + "; using " + using);
    metrics
        .counter(
            "cloudconnect.regions.refresh.problems", "type", String.valueOf(type), "problem", kind)
        .increment();
    LOG.warnf("regions for type %d not refreshed (%s); using %s", type, text, using);
  }
}
