package io.cloudconnect.provisioner.saga;

import static io.cloudconnect.provisioner.saga.SagaState.AWAITING_REMOVAL;
import static io.cloudconnect.provisioner.saga.SagaState.CREATE_UNKNOWN;
import static io.cloudconnect.provisioner.saga.SagaState.CREATING;
import static io.cloudconnect.provisioner.saga.SagaState.DELETED;
import static io.cloudconnect.provisioner.saga.SagaState.FAILED;
import static io.cloudconnect.provisioner.saga.SagaState.PROVISIONING;
import static io.cloudconnect.provisioner.saga.SagaState.READY;
import static io.cloudconnect.provisioner.saga.SagaState.RECEIVED;
import static io.cloudconnect.provisioner.saga.SagaState.REMOVING;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every pair of states, legal or not, checked against the table the saga is designed by. */
class SagaStateTest {
  static final Map<SagaState, Set<SagaState>> LEGAL =
      Map.of(
          RECEIVED, EnumSet.of(CREATING, REMOVING, FAILED),
          CREATING, EnumSet.of(RECEIVED, CREATE_UNKNOWN, PROVISIONING, REMOVING, FAILED),
          CREATE_UNKNOWN, EnumSet.of(RECEIVED, PROVISIONING, REMOVING, FAILED),
          PROVISIONING, EnumSet.of(PROVISIONING, READY, REMOVING, FAILED),
          READY, EnumSet.of(REMOVING),
          REMOVING, EnumSet.of(REMOVING, FAILED, DELETED, READY),
          AWAITING_REMOVAL, EnumSet.of(DELETED, FAILED),
          FAILED, EnumSet.of(REMOVING),
          DELETED, EnumSet.noneOf(SagaState.class));

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
