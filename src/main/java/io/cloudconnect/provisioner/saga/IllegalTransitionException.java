package io.cloudconnect.provisioner.saga;

/** A saga was asked to move to a state its current state does not lead to. */
public class IllegalTransitionException extends IllegalStateException {
  IllegalTransitionException(String requestId, SagaState from, SagaState to) {
    super("request " + requestId + ": illegal transition " + from + " -> " + to);
  }
}
