package io.cloudconnect.provisioner.validation;

import java.util.Set;

/** The AWS regions emnify offers for an attachment type. */
public interface RegionCatalog {
  Set<String> regionsFor(int type);
}
