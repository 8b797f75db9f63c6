package io.cloudconnect.provisioner.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudconnect.provisioner.saga.RequestKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A delete or adopt request's action and target, read without the database. */
class TargetValidatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @Test
  void theActionIsCreateWhenAbsentAndOneOfThreeOtherwise() throws Exception {
    assertThat(TargetValidator.action(null)).contains(RequestKind.CREATE);
    assertThat(TargetValidator.action(json("\"Delete\""))).contains(RequestKind.DELETE);
    assertThat(TargetValidator.action(json("\"adopt\""))).contains(RequestKind.ADOPT);
    assertThat(TargetValidator.action(json("\"destroy\""))).isEmpty();
    assertThat(TargetValidator.action(json("3"))).isEmpty();
  }

  @Test
  void aReadableTargetNamesExactlyOneOfRequestAndAttachment() throws Exception {
    assertThat(TargetValidator.target(RequestKind.DELETE, json("{\"request_id\":\"site-1\"}")))
        .isEqualTo(new TargetValidator.Target("site-1", null));
    assertThat(TargetValidator.target(RequestKind.DELETE, json("{\"attachment_id\":4711}")))
        .isEqualTo(new TargetValidator.Target(null, 4711L));
    assertThat(TargetValidator.target(RequestKind.ADOPT, json("{\"attachment_id\":4711}")))
        .isEqualTo(new TargetValidator.Target(null, 4711L));
  }

  @ParameterizedTest(name = "{0} {1} -> {2} at {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "DELETE | null | TARGET_REQUIRED | target",
        "DELETE | [] | TYPE_MISMATCH | target",
        "DELETE | {} | TARGET_REQUIRED | target",
        "DELETE | {\"request_id\":\"a\",\"attachment_id\":1} | TARGET_INVALID | target",
        "DELETE | {\"request_id\":\"bad id\"} | TARGET_INVALID | target.request_id",
        "DELETE | {\"request_id\":7} | TARGET_INVALID | target.request_id",
        "DELETE | {\"attachment_id\":0} | TARGET_INVALID | target.attachment_id",
        "DELETE | {\"attachment_id\":\"12\"} | TARGET_INVALID | target.attachment_id",
        "DELETE | {\"attachment_id\":1.5} | TARGET_INVALID | target.attachment_id",
        "ADOPT | {\"request_id\":\"site-1\"} | TARGET_INVALID | target.request_id",
        "ADOPT | null | TARGET_REQUIRED | target"
      })
  void anUnusableTargetIsRefusedWithItsCodeAndField(
      RequestKind kind, String target, ErrorCode code, String field) throws Exception {
    TargetValidator.Read read = TargetValidator.target(kind, json(target));
    assertThat(read).isInstanceOf(TargetValidator.Refused.class);
    Violation violation = ((TargetValidator.Refused) read).violation();
    assertThat(violation.code()).isEqualTo(code);
    assertThat(violation.field()).isEqualTo(field);
  }
}
