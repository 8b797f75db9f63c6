package io.cloudconnect.provisioner.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HeapRulesTest {
  private static final long S = TimeUnit.SECONDS.toNanos(1);

  /** Collections that left the heap full, at these seconds; exhausted at the last one? */
  private static boolean exhausted(long... seconds) {
    Deque<Long> at = new ArrayDeque<>();
    boolean result = false;
    for (long second : seconds) {
      at.addLast(second * S);
      result = HeapRules.exhausted(at, second * S);
    }
    return result;
  }

  @Test
  void aHeapFullAfterFiveCollectionsWithinAMinuteIsExhausted() {
    record Row(long[] seconds, boolean exhausted) {}
    List<Row> table =
        List.of(
            new Row(new long[] {1}, false),
            new Row(new long[] {1, 2, 3, 4}, false),
            new Row(new long[] {1, 2, 3, 4, 5}, true),
            new Row(new long[] {0, 10, 20, 30, 59}, true),
            new Row(new long[] {0, 20, 40, 61, 80}, false),
            new Row(new long[] {0, 100, 200, 300, 400, 401, 402, 403}, false),
            new Row(new long[] {0, 100, 200, 300, 400, 401, 402, 403, 404}, true));
    for (Row row : table) {
      assertThat(exhausted(row.seconds()))
          .as("full after collections at %s s", java.util.Arrays.toString(row.seconds()))
          .isEqualTo(row.exhausted());
    }
  }
}
