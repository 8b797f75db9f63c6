package io.cloudconnect.provisioner.health;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.management.NotificationEmitter;
import org.jboss.logging.Logger;

/**
 * Ends the process when the heap is exhausted, so that Kubernetes restarts it, instead of letting
 * it thrash. The serial collector the service runs with has no GC-overhead limit (HotSpot has one
 * for the parallel collector only): at the heap limit it collects back to back for as long as each
 * collection frees the allocation in hand, and the service crawls without ever raising an
 * OutOfMemoryError that {@code -XX:+ExitOnOutOfMemoryError} would act on. The JVM tells after each
 * collection whether the old generation is still above {@value #FULL_SHARE_PERCENT} % of its
 * maximum; {@link HeapRules#exhausted} decides when that happened too often.
 */
@Startup
@ApplicationScoped
class HeapGuard {
  private static final Logger LOG = Logger.getLogger(HeapGuard.class);
  static final int FULL_SHARE_PERCENT = 95;

  /** How long the shutdown may take before the process is halted. */
  private static final Duration EXIT_WITHIN = Duration.ofSeconds(10);

  private final MeterRegistry metrics;
  private final Deque<Long> fullAfterCollection = new ArrayDeque<>();

  HeapGuard(MeterRegistry metrics) {
    this.metrics = metrics;
  }

  @PostConstruct
  void watch() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      long max = pool.getUsage().getMax();
      if (pool.getType() == MemoryType.HEAP
          && pool.isCollectionUsageThresholdSupported()
          && max > 0
          && isOldGeneration(pool.getName())) {
        pool.setCollectionUsageThreshold(max / 100 * FULL_SHARE_PERCENT);
        NotificationEmitter emitter = (NotificationEmitter) ManagementFactory.getMemoryMXBean();
        emitter.addNotificationListener(
            (notification, handback) -> {
              if (MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(
                  notification.getType())) {
                stillFull();
              }
            },
            null,
            null);
        LOG.debugf("heap guard on %s: %d %% of %d bytes", pool.getName(), FULL_SHARE_PERCENT, max);
        return;
      }
    }
  }

  private static boolean isOldGeneration(String pool) {
    return pool.contains("Old") || pool.contains("Tenured");
  }

  private synchronized void stillFull() {
    metrics.counter("cloudconnect.heap.full.after.collection").increment();
    long now = System.nanoTime();
    fullAfterCollection.addLast(now);
    if (HeapRules.exhausted(fullAfterCollection, now)) {
      exit();
    }
  }

  private static void exit() {
    LOG.errorf(
        "the heap is exhausted: %d collections in a row left it over %d %% full; exiting so that"
            + " the service is restarted rather than left thrashing",
        HeapRules.COLLECTIONS, FULL_SHARE_PERCENT);
    Thread halt =
        new Thread(
            () -> {
              try {
                Thread.sleep(EXIT_WITHIN.toMillis());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              Runtime.getRuntime().halt(3);
            },
            "heap-guard-halt");
    halt.setDaemon(true);
    halt.start();
    new Thread(() -> System.exit(3), "heap-guard-exit").start();
  }
}
