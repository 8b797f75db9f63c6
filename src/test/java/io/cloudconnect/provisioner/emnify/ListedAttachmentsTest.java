package io.cloudconnect.provisioner.emnify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudconnect.provisioner.emnify.EmnifyDtos.Attachment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The list's body parsed as it arrives: whatever the pieces it comes in, the same attachments in
 * the same compact form; a body that is not an attachment array, or stops before the array ends, is
 * refused.
 */
class ListedAttachmentsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** emnify's list item (OpenAPI, get-cloud-connect-attachments), with fields the service skips. */
  private static String item(long id, String description, int status, boolean tunnel) {
    return "{\"id\":"
        + id
        + ",\"name\":\"Branch \\\"é\\\" "
        + id
        + "\",\"description\":"
        + (description == null ? "null" : "\"" + description + "\"")
        + ",\"user_id\":1,\"creation_date\":\"2026-12-05T10:00:00Z\",\"termination_date\":null"
        + ",\"status\":{\"id\":"
        + status
        + ",\"description\":\""
        + (status == 5 ? "Active" : "Pending")
        + "\"},\"type\":{\"id\":2,\"description\":\"IPSec VPN\"},\"region\":\"eu-west-1\""
        + (tunnel
            ? ",\"tunnel_information\":{\"public_ip\":\"203.0.113.7\",\"psk\":\"s3cr3t-psk\","
                + "\"inside_cidr\":[\"169.254.10.0/30\"],\"metrics\":{\"tunnel_state\":\"UP\","
                + "\"bytes_in\":{},\"bytes_out\":{\"values\":[1,2,[3]]}}}"
            : "")
        + "}";
  }

  private static String list(int count) {
    StringBuilder body = new StringBuilder("[\n");
    for (int i = 1; i <= count; i++) {
      String description =
          i % 3 == 0 ? "Site " + i + " [ccp:test/req-" + i + "]" : i % 3 == 1 ? "plain " + i : null;
      body.append(i > 1 ? ",\n  " : "  ")
          .append(item(i, description, i % 2 == 0 ? 5 : 2, i % 2 == 0));
    }
    return body.append("\n]").toString();
  }

  private static List<Attachment> parse(byte[] body, int pieceSize) throws IOException {
    ListedAttachments reading = new ListedAttachments(JSON);
    for (int from = 0; from < body.length; from += pieceSize) {
      reading.feed(Arrays.copyOfRange(body, from, Math.min(body.length, from + pieceSize)));
    }
    return reading.finish();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 64, 1000, 8192, 1 << 20})
  void anyPiecesGiveTheSameCompactAttachments(int pieceSize) throws IOException {
    byte[] body = list(30).getBytes(StandardCharsets.UTF_8);

    List<Attachment> read = parse(body, pieceSize);

    assertThat(read).hasSize(30);
    assertThat(read).extracting(Attachment::id).containsExactly(ids(30));
    Attachment marked = read.get(2);
    assertThat(marked.description()).isEqualTo("Site 3 [ccp:test/req-3]");
    assertThat(marked.status().id()).isEqualTo(2);
    assertThat(marked.type().id()).isEqualTo(2);
    assertThat(marked.region()).isEqualTo("eu-west-1");
    // kept compact: no name, no tunnel data (read by id), no description without a marker
    assertThat(read).allSatisfy(a -> assertThat(a.name()).isNull());
    assertThat(read).allSatisfy(a -> assertThat(a.tunnelInformation()).isNull());
    assertThat(read.get(0).description()).isNull();
    assertThat(read.get(1).status().description()).isEqualTo("Active");
    // one status object per kind, shared
    assertThat(read.get(1).status()).isSameAs(read.get(3).status());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5})
  void everySplitPointOfOneAttachmentReadsTheSame(int second) throws IOException {
    byte[] body = ("[" + item(7, "x [ccp:test/a]", 5, true) + "]").getBytes(StandardCharsets.UTF_8);
    for (int cut = 0; cut <= body.length; cut++) {
      ListedAttachments reading = new ListedAttachments(JSON);
      reading.feed(Arrays.copyOfRange(body, 0, cut));
      for (int from = cut; from < body.length; from += second) {
        reading.feed(Arrays.copyOfRange(body, from, Math.min(body.length, from + second)));
      }
      List<Attachment> read = reading.finish();
      assertThat(read).as("cut at %d", cut).hasSize(1);
      assertThat(read.get(0).id()).isEqualTo(7);
      assertThat(read.get(0).description()).isEqualTo("x [ccp:test/a]");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", " [ ] ", "[\n]\n"})
  void anEmptyListIsEmpty(String body) throws IOException {
    assertThat(parse(body.getBytes(StandardCharsets.UTF_8), 1)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|no attachment array",
        "{\"id\":1}|the answer is not an array",
        "[1,2]|an element of the array is not an object",
        "[{\"id\":1}|the attachment array ended early",
        "[{\"id\":1},{\"id\":2,\"name\":\"cut mid-|the attachment array ended early",
        "[{\"id\":1}][]|more after the attachment array",
      })
  void whatIsNotAWholeAttachmentArrayIsRefused(String body, String why) {
    assertThatThrownBy(() -> parse(body.getBytes(StandardCharsets.UTF_8), 3))
        .isInstanceOf(ListedAttachments.Malformed.class)
        .hasMessage(why);
  }

  @ParameterizedTest
  @ValueSource(strings = {"[{\"id\":}]", "[{\"id\":1,}]", "[tru]"})
  void brokenJsonIsRefused(String body) {
    assertThatThrownBy(() -> parse(body.getBytes(StandardCharsets.UTF_8), 2))
        .isInstanceOf(IOException.class);
  }

  private static Long[] ids(int count) {
    Long[] ids = new Long[count];
    for (int i = 0; i < count; i++) {
      ids[i] = (long) i + 1;
    }
    return ids;
  }
}
