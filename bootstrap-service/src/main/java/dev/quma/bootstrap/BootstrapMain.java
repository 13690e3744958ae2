package dev.quma.bootstrap;

import dev.quma.core.runtime.EarlyConfig;
import dev.quma.core.tls.ServerTls;
import dev.quma.core.tls.TlsFiles;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts the bootstrap tier on HTTPS: with the operator's certificate when configured ({@code
 * quarkus.http.ssl.certificate.files} and {@code .key-files}), otherwise one issued now by the
 * control plane's CA (kept in the store, so every replica and the xDS tier share it). The CA is
 * written to {@code quma.tls.dir}, where the agent's {@code --ca-cert-file} can take it. Plain HTTP
 * only with {@code QUMA_BOOTSTRAP_PLAINTEXT=true}, for local development.
 */
@QuarkusMain
public class BootstrapMain {
  public static void main(String... args) {
    if (EarlyConfig.flag("quma.bootstrap.plaintext")) {
      System.out.println(
          "bootstrap-service: PLAIN HTTP (QUMA_BOOTSTRAP_PLAINTEXT=true): dataplane tokens travel"
              + " unencrypted; for local development only");
    } else {
      if (EarlyConfig.get("quarkus.http.ssl.certificate.files", null) == null) {
        TlsFiles tls = ServerTls.issue("bootstrap-service");
        System.setProperty("quarkus.http.ssl.certificate.files", tls.certificate().toString());
        System.setProperty("quarkus.http.ssl.certificate.key-files", tls.key().toString());
        System.out.println(
            "bootstrap-service: TLS with a certificate from the control plane CA; agents trust "
                + tls.ca()
                + " (dp-agent --ca-cert-file)");
      }
      // HTTPS only: the plain port would take tokens in the clear.
      System.setProperty("quarkus.http.insecure-requests", "disabled");
    }
    Quarkus.run(args);
  }
}
