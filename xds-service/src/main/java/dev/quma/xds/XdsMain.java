package dev.quma.xds;

import dev.quma.core.runtime.EarlyConfig;
import dev.quma.core.tls.ServerTls;
import dev.quma.core.tls.TlsFiles;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts the xDS tier with TLS on its gRPC port: the operator's certificate when configured ({@code
 * quarkus.grpc.server.ssl.certificate} and {@code .key}), otherwise one issued now by the control
 * plane's CA. Plaintext only with {@code QUMA_XDS_PLAINTEXT=true}, for local experiments.
 */
@QuarkusMain
public class XdsMain {
  public static void main(String... args) {
    if (!EarlyConfig.flag("quma.xds.plaintext")) {
      if (EarlyConfig.get("quarkus.grpc.server.ssl.certificate", null) == null) {
        TlsFiles tls = ServerTls.issue("xds-service");
        System.setProperty("quarkus.grpc.server.ssl.certificate", tls.certificate().toString());
        System.setProperty("quarkus.grpc.server.ssl.key", tls.key().toString());
        System.out.println(
            "xds-service: TLS with a certificate from the control plane CA; clients trust "
                + tls.ca());
      }
      // The server serves TLS whenever it has a certificate; this only makes its start-up line
      // ("TLS enabled: ...") say so.
      System.setProperty("quarkus.grpc.server.plain-text", "false");
    }
    Quarkus.run(args);
  }
}
