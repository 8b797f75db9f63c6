package io.cloudconnect.provisioner.saga;

/** What became of one delete call (OpenAPI, delete operation: 200; refused in status 7 and 8). */
public sealed interface DeleteOutcome {

  /** 200: emnify is deleting it; the next observations confirm (status 6, then gone). */
  record Accepted() implements DeleteOutcome {}

  /** 404: nothing to delete any more. */
  record Gone() implements DeleteOutcome {}

  /** Not now: 409 (status 7 or 8), throttled, unreachable, unknown answer; tried again later. */
  record NotNow(String message) implements DeleteOutcome {}

  /** Refused for good (another 4xx: a Classic attachment, no permission). */
  record Refused(String message) implements DeleteOutcome {}
}
