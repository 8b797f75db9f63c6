package io.cloudconnect.provisioner.health;

import java.util.Deque;
import java.util.concurrent.TimeUnit;

/** When a heap that stays full after its collections counts as exhausted. Pure. */
final class HeapRules {
  /** This many collections that left the old generation full, within {@link #WINDOW_NANOS}. */
  static final int COLLECTIONS = 5;

  static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(60);

  private HeapRules() {}

  /**
   * Whether the collections in {@code fullAt} (nanosecond times, oldest first; older ones than the
   * window are dropped from it) say the heap is exhausted at {@code now}: {@value #COLLECTIONS} or
   * more within a minute. A single full collection after a burst is not; the back-to-back
   * collections of a heap at its limit are.
   */
  static boolean exhausted(Deque<Long> fullAt, long now) {
    while (!fullAt.isEmpty() && now - fullAt.peekFirst() > WINDOW_NANOS) {
      fullAt.removeFirst();
    }
    return fullAt.size() >= COLLECTIONS;
  }
}
