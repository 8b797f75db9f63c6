package io.cloudconnect.provisioner.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnect.provisioner.support.Requests;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestValidatorTest {
  static final Set<String> REGIONS =
      Set.of("eu-west-1", "eu-central-1", "ap-northeast-1", "ap-southeast-1", "us-east-1");
  final RequestValidator validator = new RequestValidator(type -> REGIONS);

  @Test
  void sampleStaticRequestIsValid() {
    ValidationResult result = validator.validate(Requests.attachment(Requests.staticVpn("a")));
    assertThat(result.violations()).isEmpty();
    assertThat(result.request().type()).isEqualTo(2);
  }

  @Test
  void sampleBgpRequestIsValid() {
    ValidationResult result = validator.validate(Requests.attachment(Requests.bgpVpn("a")));
    assertThat(result.violations()).isEmpty();
    assertThat(result.request().asn()).isEqualTo(65010L);
  }
}
