package io.cloudconnect.provisioner.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnect.provisioner.validation.ErrorCode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecordReaderTest {
  private final RecordReader reader = new RecordReader(65536);

  private RecordContent read(String text) {
    return reader.read(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void requestWithUsableIdIsReadWithItsAttachment() {
    RecordContent content =
        read("{\"request_id\":\"onboarding-7f3c2a\",\"attachment\":{\"type\":2},\"extra\":1}");
    assertThat(content).isInstanceOf(RecordContent.Request.class);
    RecordContent.Request request = (RecordContent.Request) content;
    assertThat(request.requestId()).isEqualTo("onboarding-7f3c2a");
    assertThat(request.attachment().get("type").asInt()).isEqualTo(2);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not json at all|INVALID_JSON",
        "{\"request_id\":\"a\",|INVALID_JSON",
        "{\"request_id\":\"a\"} trailing|INVALID_JSON",
        "[1,2,3]|NOT_AN_OBJECT",
        "\"just a string\"|NOT_AN_OBJECT",
        "{\"attachment\":{}}|REQUEST_ID_MISSING",
        "{\"request_id\":null}|REQUEST_ID_MISSING",
        "{\"request_id\":42}|REQUEST_ID_INVALID",
        "{\"request_id\":\"has space\"}|REQUEST_ID_INVALID",
        "{\"request_id\":\"\"}|REQUEST_ID_INVALID",
        "{\"request_id\":\"a\",\"request_id\":\"b\"}|DUPLICATE_KEY",
        "{\"request_id\":\"a\",\"x\":NaN}|INVALID_JSON",
      })
  void unreadableRecordsAreNamedByCode(String record, String code) {
    RecordContent content = read(record);
    assertThat(content).isInstanceOf(RecordContent.Unreadable.class);
    assertThat(((RecordContent.Unreadable) content).code().name()).isEqualTo(code);
  }

  @Test
  void requestIdOf128CharactersIsUsableAnd129IsNot() {
    assertThat(read("{\"request_id\":\"" + "a".repeat(128) + "\"}"))
        .isInstanceOf(RecordContent.Request.class);
    assertThat(read("{\"request_id\":\"" + "a".repeat(129) + "\"}"))
        .isInstanceOf(RecordContent.Unreadable.class);
  }

  @Test
  void oversizedRecordWithoutReadableRequestIdIsUnreadable() {
    byte[] big = new byte[65537];
    RecordContent content = reader.read(big);
    assertThat(((RecordContent.Unreadable) content).code().name()).isEqualTo("RECORD_TOO_LARGE");
    assertThat(((RecordContent.Unreadable) content).message()).contains("65537").contains("65536");
  }

  @Test
  void oversizedRecordIsRefusedByItsRequestIdWithoutReadingItInFull() {
    String big =
        "{\"request_id\":\"big-1\",\"attachment\":{\"name\":\"" + "x".repeat(10_000_000) + "\"}}";
    RecordContent content = read(big);
    assertThat(content)
        .isEqualTo(
            new RecordContent.Refused(
                "big-1",
                ErrorCode.RECORD_TOO_LARGE,
                "record is 10000047 bytes; the limit is 65536"));
  }

  @Test
  void requestIdAfterTheSizeLimitIsNotSearchedFor() {
    String big = "{\"padding\":\"" + "x".repeat(70_000) + "\",\"request_id\":\"late\"}";
    assertThat(read(big)).isInstanceOf(RecordContent.Unreadable.class);
  }

  @Test
  void deepNestingIsRefusedByRequestId() {
    String deep = "{\"request_id\":\"a\",\"x\":" + "[".repeat(100) + "]".repeat(100) + "}";
    RecordContent content = read(deep);
    assertThat(content).isInstanceOf(RecordContent.Refused.class);
    assertThat(((RecordContent.Refused) content).code().name()).isEqualTo("JSON_LIMIT_EXCEEDED");
  }

  @Test
  void repeatedKeyInsideTheRequestIsRefusedByRequestId() {
    RecordContent content =
        read(
            "{\"request_id\":\"dup-1\",\"attachment\":{\"psk\":\"abcdefgh\",\"psk\":\"other123\"}}");
    assertThat(content).isInstanceOf(RecordContent.Refused.class);
    assertThat(((RecordContent.Refused) content).code().name()).isEqualTo("DUPLICATE_KEY");
    assertThat(((RecordContent.Refused) content).message())
        .doesNotContain("abcdefgh")
        .doesNotContain("other123");
  }

  @Test
  void syntaxErrorAfterTheRequestIdIsStillNotJson() {
    assertThat(read("{\"request_id\":\"a\",\"attachment\":}"))
        .isInstanceOf(RecordContent.Unreadable.class);
  }

  @Test
  void invalidUtf8IsUnreadable() {
    byte[] bytes = {'{', '"', 'r', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    assertThat(((RecordContent.Unreadable) reader.read(bytes)).code().name())
        .isEqualTo("INVALID_JSON");
  }

  @Test
  void errorMessagesNeverQuoteTheRecord() {
    RecordContent content =
        read("{\"request_id\":\"a\",\"attachment\":{\"psk\":\"Secret_value1\" oops}}");
    assertThat(((RecordContent.Unreadable) content).message())
        .doesNotContain("Secret_value1")
        .doesNotContain("oops");
  }

  @Test
  void emptyRecordIsUnreadable() {
    assertThat(((RecordContent.Unreadable) reader.read(new byte[0])).code().name())
        .isEqualTo("EMPTY_RECORD");
    assertThat(((RecordContent.Unreadable) reader.read(null)).code().name())
        .isEqualTo("EMPTY_RECORD");
  }
}
