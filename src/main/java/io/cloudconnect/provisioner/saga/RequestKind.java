package io.cloudconnect.provisioner.saga;

/** What a request asks for: its {@code action} field (docs/CONTRACT.md, "Requests"). */
public enum RequestKind {
  /** Create an attachment (the default when a request names no action). */
  CREATE,
  /** Delete the attachment of an earlier create or adopt request. */
  DELETE,
  /** Bring an existing attachment under management by its emnify id, creating nothing. */
  ADOPT;

  /** Whether a request of this kind holds an attachment that a delete request may name. */
  public boolean holdsAttachment() {
    return this != DELETE;
  }
}
