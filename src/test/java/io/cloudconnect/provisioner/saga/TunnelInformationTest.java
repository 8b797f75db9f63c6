package io.cloudconnect.provisioner.saga;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What of emnify's tunnel addresses a ready event may carry: text, never anything nested. */
class TunnelInformationTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          documented: a string      | "52.1.2.3"                                            | "52.1.2.3"
          a list of strings         | ["52.1.2.3","52.1.2.4"]                               | ["52.1.2.3","52.1.2.4"]
          a list of objects         | [{"ip":"52.1.2.3","psk":"Tunnel_secret1"},{"ip":"52.1.2.4"}] | ["52.1.2.3","52.1.2.4"]
          an object                 | {"address":"52.1.2.3","pre_shared_key":"Tunnel_secret1"} | "52.1.2.3"
          an object without address | {"psk":"Tunnel_secret1"}                              | null
          a number                  | 42                                                    | null
          nested lists              | [["Tunnel_secret1"],"52.1.2.3"]                       | ["52.1.2.3"]
          null                      | null                                                  | null
          """)
  void onlyAddressesAreKept(String what, String emnify, String kept) throws Exception {
    String answer =
        "{\"public_ip\":\"1.2.3.4\",\"outside_address\":"
            + emnify
            + ",\"inside_cidr\":"
            + emnify
            + "}";
    TunnelInformation tunnel = JSON.readValue(answer, TunnelInformation.class);
    String event = JSON.writeValueAsString(tunnel);
    assertThat(event).doesNotContain("Tunnel_secret1");
    assertThat(JSON.readTree(event).get("outside_address")).isEqualTo(JSON.readTree(kept));
    assertThat(JSON.readTree(event).get("inside_cidr")).isEqualTo(JSON.readTree(kept));
  }
}
