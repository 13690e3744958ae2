package dev.quma.core.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "192.168.0.1",
        "0.0.0.0",
        "255.255.255.255",
        "::",
        "::1",
        "fd00::10",
        "2001:db8:0:0:0:0:2:1",
        "::ffff:192.168.0.1",
        "1::",
        "a:b:c:d:e:f:1:2"
      })
  void acceptsIpLiterals(String address) {
    assertThat(Addresses.isIp(address)).isTrue();
    assertThat(Addresses.isDnsName(address)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "256.1.1.1",
        "1.2.3",
        "01.2.3.4",
        "1.2.3.4.5",
        ":::",
        "1:2:3:4:5:6:7:8:9",
        "fd00::10::1",
        "g::1",
        "12345::1",
        "1.2.3.4::",
        "",
        "redis"
      })
  void rejectsWhatIsNotAnIp(String address) {
    assertThat(Addresses.isIp(address)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"redis", "backend.internal.example.com", "my_host.local", "a-b.c", "example.com."})
  void acceptsDomainNames(String name) {
    assertThat(Addresses.isDnsName(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"not an address!", "http://x", "-leading.dash", "a..b", ""})
  void rejectsWhatIsNotADomainName(String name) {
    assertThat(Addresses.isDnsName(name)).isFalse();
  }
}
