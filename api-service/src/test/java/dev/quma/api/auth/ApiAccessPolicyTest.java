package dev.quma.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.http.auth.AccessPolicy.Access;
import org.junit.jupiter.api.Test;

class ApiAccessPolicyTest {
  private final ApiAccessPolicy policy = new ApiAccessPolicy();

  @Test
  void theConfigurationIsAdminOnlyWithOrWithoutATrailingSlash() {
    // bin/bench hostile 100000, cases 25475 and 90821: GET /config/ answered 200 to a non-admin.
    assertThat(policy.required("GET", "/config")).isEqualTo(Access.ADMIN);
    assertThat(policy.required("GET", "/config/")).isEqualTo(Access.ADMIN);
    assertThat(policy.required("GET", "/meshes")).isEqualTo(Access.READ);
  }
}
