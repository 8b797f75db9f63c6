package io.cloudconnect.provisioner.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What of a dead-lettered record may be kept, and what a replay gets back. */
class DeadLetterSealingTest {
  static final String KEY = "dGVzdC1vbmx5LWtleS1kby1ub3QtdXNlLWluLXByb2Q=";
  static final String OTHER_KEY = "b3RoZXIta2V5LW9ubHktZm9yLXRlc3RzLTMyYnl0ZXM=";
  static final ObjectMapper JSON = new ObjectMapper();

  final DeadLetterSealing sealing = new DeadLetterSealing(new PskVault(KEY));

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a request | {\"request_id\":\"r-1\",\"attachment\":{\"name\":\"n\",\"psk\":\"Secret_1a2b3c\"}}",
        "two request_ids (ambiguous) | {\"request_id\":\"a\",\"request_id\":\"b\",\"attachment\":{\"psk\":\"Secret_1a2b3c\"}}",
        "the key before the request_id | {\"attachment\":{\"psk\":\"Secret_1a2b3c\"},\"request_id\":\"r-0\"}",
        "two keys in one object | {\"request_id\":\"r-9\",\"attachment\":{\"psk\":\"Secret_1a2b3c\",\"psk\":\"Secret_1a2b3c_2\"}}",
        "a key in capitals, at the top | {\"request_id\":\"r-2\",\"PSK\":\"Secret_1a2b3c\"}",
        "a key as a number | {\"request_id\":\"r-3\",\"attachment\":{\"psk\":12345678901,\"mtu\":1.10}}",
        "a key as an object | {\"request_id\":\"r-4\",\"attachment\":{\"psk\":{\"v\":\"Secret_1a2b3c\"}}}",
        "a key in an array | {\"request_id\":\"r-5\",\"sites\":[{\"psk\":\"Secret_1a2b3c\"},null,true]}",
        "a null key | {\"request_id\":\"r-6\",\"attachment\":{\"psk\":null,\"note\":\"\\u00e9\"}}",
      })
  void everyKeyIsSealedAndAReplayGetsTheRecordBackAsPublished(String what, String record) {
    byte[] kept = sealing.seal(bytes(record));

    String text = new String(kept, StandardCharsets.UTF_8);
    assertThat(text).doesNotContain("Secret_1a2b3c").doesNotContain("12345678901");
    if (!record.contains("\"psk\":null")) {
      assertThat(text).containsPattern("\"(psk|PSK)_sealed(_json)?\":\"v1:");
    }
    assertThat(new String(sealing.restore(kept), StandardCharsets.UTF_8))
        .as("token for token what the producer published")
        .isEqualTo(record.replace("\\u00e9", "\u00e9"));
  }

  @Test
  void aRecordWithoutAKeyIsKeptByteForByte() {
    byte[] record = bytes("{\"request_id\":\"r-5\",\"attachment\":{\"name\":\"Berlin\"}}");
    assertThat(sealing.seal(record)).isSameAs(record);
    byte[] garbage = bytes("{\"request_id\": \"r-6\", \"attachment\": {oops");
    assertThat(sealing.seal(garbage)).isSameAs(garbage);
    assertThat(sealing.restore(garbage)).isSameAs(garbage);
  }

  @Test
  void aRecordThatIsNotJsonAndMentionsAKeyIsWithheld() throws Exception {
    byte[] record = bytes("not json psk=Secret_1a2b3c");
    byte[] kept = sealing.seal(record);
    assertThat(new String(kept, StandardCharsets.UTF_8)).doesNotContain("Secret_1a2b3c");
    JsonNode envelope = JSON.readTree(kept);
    assertThat(envelope.get("withheld").asText()).contains("not JSON");
    assertThat(envelope.get("bytes").asInt()).isEqualTo(record.length);
  }

  @Test
  void aSealedKeyIsBoundToItsRequestAndToTheVaultsKeys() {
    byte[] kept =
        sealing.seal(bytes("{\"request_id\":\"r-7\",\"attachment\":{\"psk\":\"Secret_1a2b3c\"}}"));
    // moved to another request_id: the key does not open
    byte[] moved = new String(kept, StandardCharsets.UTF_8).replace("r-7", "r-8").getBytes();
    assertThatThrownBy(() -> sealing.restore(moved))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageNotContaining("Secret_1a2b3c");
    // after a rotation that dropped the old key: refused, never guessed
    DeadLetterSealing rotated = new DeadLetterSealing(new PskVault(OTHER_KEY));
    assertThatThrownBy(() -> rotated.restore(kept)).isInstanceOf(IllegalStateException.class);
    // with the old key kept as a previous one: opened
    DeadLetterSealing rotatedKeepingOld =
        new DeadLetterSealing(new PskVault(OTHER_KEY, java.util.List.of(KEY)));
    assertThat(new String(rotatedKeepingOld.restore(kept), StandardCharsets.UTF_8))
        .contains("\"psk\":\"Secret_1a2b3c\"");
  }
}
