package io.cloudconnect.provisioner.saga;

import static io.cloudconnect.provisioner.saga.SagaState.DELETED;
import static io.cloudconnect.provisioner.saga.SagaState.FAILED;
import static io.cloudconnect.provisioner.saga.SagaState.READY;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every pair of states, legal or not, checked against the state diagram the saga is designed by
 * (docs/DESIGN.md, "Saga states"): a move is legal exactly when the diagram draws its arrow.
 */
class SagaStateTest {
  private static final Pattern ARROW =
      Pattern.compile("^\\s*([A-Z_]+|\\[\\*])\\s*-->\\s*([A-Z_]+|\\[\\*])\\s*(:.*)?$");

  static final Map<SagaState, Set<SagaState>> LEGAL = drawn();

  /** The arrows between two states (not those from or to [*]) of the diagram in docs/DESIGN.md. */
  private static Map<SagaState, Set<SagaState>> drawn() {
    List<String> lines;
    try {
      lines = Files.readAllLines(Path.of("docs/DESIGN.md"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int start = lines.indexOf("stateDiagram-v2");
    assertThat(start).as("docs/DESIGN.md draws the states (stateDiagram-v2)").isNotNegative();
    Map<SagaState, Set<SagaState>> legal = new EnumMap<>(SagaState.class);
    for (SagaState state : SagaState.values()) {
      legal.put(state, EnumSet.noneOf(SagaState.class));
    }
    for (String line : lines.subList(start + 1, lines.size())) {
      if (line.startsWith("```")) {
        break;
      }
      Matcher arrow = ARROW.matcher(line);
      assertThat(arrow.matches()).as("an arrow: %s", line).isTrue();
      if (!arrow.group(1).equals("[*]") && !arrow.group(2).equals("[*]")) {
        legal.get(SagaState.valueOf(arrow.group(1))).add(SagaState.valueOf(arrow.group(2)));
      }
    }
    return legal;
  }

  @Test
  void everyStateIsDrawnWithHowItIsReached() {
    String design;
    try {
      design = Files.readString(Path.of("docs/DESIGN.md"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (SagaState state : SagaState.values()) {
      assertThat(design).contains("--> " + state + ":");
    }
  }

  static List<Arguments> everyPair() {
    List<Arguments> pairs = new ArrayList<>();
    for (SagaState from : SagaState.values()) {
      for (SagaState to : SagaState.values()) {
        pairs.add(Arguments.of(from, to, LEGAL.get(from).contains(to)));
      }
    }
    return pairs;
  }

  @ParameterizedTest(name = "{0} -> {1}: legal={2}")
  @MethodSource("everyPair")
  void transitionIsLegalExactlyWhenTheDesignSaysSo(SagaState from, SagaState to, boolean legal) {
    assertThat(from.canMoveTo(to)).isEqualTo(legal);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("states")
  void onlyReadyFailedAndDeletedAreSettled(SagaState state) {
    assertThat(state.isSettled()).isEqualTo(state == READY || state == FAILED || state == DELETED);
  }

  static SagaState[] states() {
    return SagaState.values();
  }
}
