package dev.quma.dpagent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Fetches the Envoy bootstrap from bootstrap-service. Retries with backoff while the control plane
 * cannot be reached, answers 5xx, or (Indirect mode) does not know the dataplane yet (404: it may
 * be created any moment); gives up at once on any other refusal, with the control plane's message.
 */
public final class BootstrapClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration FIRST_WAIT = Duration.ofMillis(500);
  private static final Duration LONGEST_WAIT = Duration.ofSeconds(15);

  private final URI endpoint;
  private final Path caCertFile;
  private final HttpClient http;
  private final PrintWriter log;

  public BootstrapClient(String cpAddress, Path caCertFile, PrintWriter log) {
    String base =
        cpAddress.endsWith("/") ? cpAddress.substring(0, cpAddress.length() - 1) : cpAddress;
    try {
      this.endpoint = URI.create(base + "/bootstrap");
    } catch (IllegalArgumentException e) {
      throw new AgentException(
          ExitCodes.USAGE, "--cp-address \"" + cpAddress + "\" is not a URL: " + e.getMessage());
    }
    if (endpoint.getScheme() == null || !endpoint.getScheme().startsWith("http")) {
      throw new AgentException(
          ExitCodes.USAGE,
          "--cp-address must be https://host:5682 (or http:// for a plaintext development setup)");
    }
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (caCertFile != null) {
      builder.sslContext(trusting(caCertFile));
    }
    this.caCertFile = caCertFile;
    this.http = builder.build();
    this.log = log;
  }

  /** The bootstrap as YAML, once the control plane answers it or refuses for good. */
  public String fetch(String requestJson, boolean indirect, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Duration wait = FIRST_WAIT;
    while (true) {
      String retryReason;
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(endpoint)
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(requestJson))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status == 200) {
          return bootstrapOf(response.body());
        }
        String message = ControlPlaneAnswer.message(status, response.body());
        if (status >= 500 || (status == 404 && indirect)) {
          retryReason = "the control plane answered " + status + ": " + message;
        } else {
          throw refusal(status, message);
        }
      } catch (IOException e) {
        retryReason = ConnectionFailure.retryReasonOrThrow(e, endpoint, caCertFile);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AgentException(ExitCodes.UNREACHABLE, "interrupted while fetching the bootstrap");
      }
      if (System.nanoTime() + wait.toNanos() > deadline) {
        throw new AgentException(
            ExitCodes.UNREACHABLE,
            "gave up fetching the bootstrap after " + timeout.toSeconds() + "s: " + retryReason);
      }
      log.println("dp-agent: " + retryReason + "; retrying in " + wait.toMillis() + " ms");
      sleep(wait);
      wait = wait.multipliedBy(2).compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait.multipliedBy(2);
    }
  }

  private static AgentException refusal(int status, String message) {
    int code =
        switch (status) {
          case 401, 403 -> ExitCodes.TOKEN_REFUSED;
          case 400, 422 -> ExitCodes.BAD_RESOURCE;
          default -> ExitCodes.REFUSED;
        };
    String what =
        switch (status) {
          case 401 -> "the control plane refused the dataplane token (401)";
          case 403 -> "the dataplane token is not for this dataplane (403)";
          case 400, 422 -> "the control plane refused the dataplane resource (" + status + ")";
          default -> "the control plane refused the bootstrap (" + status + ")";
        };
    return new AgentException(code, what + ": " + message);
  }

  private static String bootstrapOf(String body) {
    try {
      JsonNode envelope = JSON.readTree(body);
      JsonNode bootstrap = envelope == null ? null : envelope.get("bootstrap");
      if (bootstrap == null || !bootstrap.isTextual()) {
        throw new AgentException(
            ExitCodes.REFUSED, "the control plane's answer carries no bootstrap");
      }
      return new String(Base64.getDecoder().decode(bootstrap.asText()), StandardCharsets.UTF_8);
    } catch (IOException | IllegalArgumentException e) {
      throw new AgentException(
          ExitCodes.REFUSED, "the control plane's answer is unreadable: " + e.getMessage());
    }
  }

  private static SSLContext trusting(Path caCertFile) {
    try (InputStream in = Files.newInputStream(caCertFile)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trust.setCertificateEntry("ca-" + i++, certificate);
      }
      if (i == 0) {
        throw new AgentException(
            ExitCodes.BAD_FILE, "--ca-cert-file " + caCertFile + " holds no PEM certificate");
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new AgentException(
          ExitCodes.BAD_FILE, "cannot read --ca-cert-file " + caCertFile + ": " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new AgentException(
          ExitCodes.BAD_FILE,
          "--ca-cert-file " + caCertFile + " is not a PEM certificate: " + e.getMessage());
    }
  }

  private static void sleep(Duration wait) {
    try {
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentException(ExitCodes.UNREACHABLE, "interrupted while fetching the bootstrap");
    }
  }
}
