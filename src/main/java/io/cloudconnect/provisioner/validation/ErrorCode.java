package io.cloudconnect.provisioner.validation;

/**
 * Every code the service publishes about a request it cannot take: {@code errors[].code} in failed
 * events, and the {@code cloudconnect-error-code} header of dead-lettered records. Part of the
 * public contract (README, docs/CONTRACT.md): add codes, never rename one.
 */
public enum ErrorCode {
  // --- a record that cannot be used whole (dead-lettered, or refused with field "$") ----------
  EMPTY_RECORD,
  INVALID_JSON,
  NOT_AN_OBJECT,
  REQUEST_ID_MISSING,
  REQUEST_ID_INVALID,
  RECORD_TOO_LARGE,
  DUPLICATE_KEY,
  JSON_LIMIT_EXCEEDED,
  /** Not the record's fault: it could not be stored after several attempts (dead-lettered). */
  INTAKE_FAILED,
  /**
   * Its request_id was used before with other parameters (dead-lettered): a request_id is an
   * idempotency key, and the first request stands.
   */
  IDEMPOTENCY_CONFLICT,

  // --- a field of the attachment ---------------------------------------------------------------
  ATTACHMENT_REQUIRED,
  TYPE_MISMATCH,
  TYPE_REQUIRED,
  TYPE_UNSUPPORTED,
  NAME_REQUIRED,
  NAME_BLANK,
  NAME_TOO_LONG,
  DESCRIPTION_TOO_LONG,
  CONTROL_CHARACTERS,
  INVISIBLE_CHARACTERS,
  MARKER_RESERVED,
  REGION_NOT_OFFERED,
  PUBLIC_IP_REQUIRED,
  IPV4_INVALID,
  PUBLIC_IP_NOT_ROUTABLE,
  ON_PREM_CIDR_REQUIRED,
  ON_PREM_CIDR_COUNT,
  CIDR_INVALID,
  CIDR_NOT_NETWORK_ADDRESS,
  ON_PREM_CIDR_OVERLAP,
  PSK_LENGTH,
  PSK_CHARACTERS,
  PSK_LEADING_ZERO,
  ASN_REQUIRED,
  ASN_NOT_ALLOWED,
  ASN_OUT_OF_RANGE,
  ASN_RESERVED,
  ASN_RESERVED_IN_REGION,
  INSIDE_CIDR_NOT_ALLOWED,
  INSIDE_CIDR_COUNT,
  INSIDE_CIDR_NOT_30,
  INSIDE_CIDR_NOT_LINK_LOCAL,
  INSIDE_CIDR_RESERVED,
  INSIDE_CIDR_DUPLICATE,

  // --- the action and its target (delete and adopt requests) ----------------------------------
  ACTION_UNKNOWN,
  TARGET_REQUIRED,
  TARGET_INVALID,
  /** A delete request names a request_id this service never recorded (or purged). */
  UNKNOWN_REQUEST,
  /** A delete request names an attachment id no request of this deployment holds. */
  UNKNOWN_ATTACHMENT,
  /** A delete request names a delete request. */
  NOT_DELETABLE,
  /** An adopt request names an attachment a live request already holds. */
  ALREADY_MANAGED
}
