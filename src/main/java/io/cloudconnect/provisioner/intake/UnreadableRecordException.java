package io.cloudconnect.provisioner.intake;

/**
 * Why a record went to the dead-letter topic. Its message becomes the record's {@code
 * dead-letter-reason} header, so it names the error code and never quotes the record.
 */
public class UnreadableRecordException extends RuntimeException {
  UnreadableRecordException(RecordContent.Unreadable unreadable) {
    super(unreadable.code() + ": " + unreadable.message(), null, false, false);
  }
}
