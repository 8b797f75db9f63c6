package io.cloudconnect.provisioner.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.time.ZoneOffset;

/** One clock for every timestamp the service records, at millisecond precision (as published). */
class ClockProducer {
  @Produces
  @ApplicationScoped
  Clock clock() {
    return Clock.tickMillis(ZoneOffset.UTC);
  }
}
