package io.cloudconnect.provisioner.validation;

import io.cloudconnect.provisioner.config.ProvisionerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/** Regions from configuration ({@code cloudconnect.validation.regions}), the same for both types. */
@ApplicationScoped
class ConfiguredRegionCatalog implements RegionCatalog {
  private final Set<String> regions;

  ConfiguredRegionCatalog(ProvisionerConfig config) {
    this.regions = Set.copyOf(config.validation().regions());
  }

  @Override
  public Set<String> regionsFor(int type) {
    return regions;
  }
}
