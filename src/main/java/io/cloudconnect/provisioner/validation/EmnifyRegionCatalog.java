package io.cloudconnect.provisioner.validation;

import io.cloudconnect.provisioner.config.ProvisionerConfig;
import io.cloudconnect.provisioner.emnify.EmnifyClient;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The regions emnify offers per attachment type, as emnify itself lists them ({@code GET
 * /cnc/breakout_type/{type}/available_region}), kept in memory and refreshed in the background.
 * Validation never waits for the network: until a list is fetched, or once it is older than its
 * time to live, the configured list ({@code cloudconnect.validation.regions}) answers instead of
 * refusing every request.
 */
@ApplicationScoped
public class EmnifyRegionCatalog implements RegionCatalog {
  private static final Logger LOG = Logger.getLogger(EmnifyRegionCatalog.class);
  private static final List<Integer> TYPES = List.of(2, 3);

  private final EmnifyClient emnify;
  private final ProvisionerConfig config;
  private final Clock clock;
  private final Set<String> fallback;
  private final Map<Integer, Fetched> fetched = new ConcurrentHashMap<>();

  record Fetched(Set<String> regions, Instant at) {}

  EmnifyRegionCatalog(EmnifyClient emnify, ProvisionerConfig config, Clock clock) {
    this.emnify = emnify;
    this.config = config;
    this.clock = clock;
    this.fallback = Set.copyOf(config.validation().regions());
  }

  @Override
  public Set<String> regionsFor(int type) {
    Fetched current = fetched.get(type);
    if (current == null
        || clock.instant().isAfter(current.at().plus(config.validation().regionsTtl()))) {
      return fallback;
    }
    return current.regions();
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
                            LOG.warnf(
                                "regions for type %d not refreshed (%s); using %s",
                                type,
                                e.getMessage(),
                                fetched.containsKey(type)
                                    ? "the last list"
                                    : "the configured list"))
                    .onFailure()
                    .recoverWithNull())
        .collect()
        .last()
        .replaceWithVoid();
  }

  private void remember(int type, Set<String> regions) {
    if (regions.isEmpty()) {
      LOG.warnf("emnify listed no regions for type %d; keeping the previous list", type);
      return;
    }
    fetched.put(type, new Fetched(Set.copyOf(regions), clock.instant()));
    LOG.debugf("regions for type %d: %s", type, regions);
  }
}
