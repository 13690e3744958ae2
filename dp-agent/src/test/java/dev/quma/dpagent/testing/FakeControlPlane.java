package dev.quma.dpagent.testing;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A stand-in bootstrap-service for the agent's own tests: answers POST /bootstrap with the queued
 * answers in turn (the last one forever) and keeps the request bodies.
 */
public final class FakeControlPlane implements AutoCloseable {
  public record Answer(int status, String body) {}

  private final HttpServer server;
  private final Deque<Answer> answers = new ArrayDeque<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();

  public FakeControlPlane(Answer... queued) throws IOException {
    this(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0), queued);
  }

  /**
   * Serves HTTPS with a fresh self-signed certificate for 127.0.0.1 (made by the JDK's keytool);
   * its PEM is written to {@code dir/server.crt} for the tests that should trust it.
   */
  public static FakeControlPlane https(Path dir, Answer... queued) throws Exception {
    Path store =
        selfSigned(dir, "server", "CN=127.0.0.1", dir.resolve("server.crt"), "SAN=ip:127.0.0.1");
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(keys, PASSWORD.toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(factory.getKeyManagers(), null, null);
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    return new FakeControlPlane(server, queued);
  }

  /** Makes a self-signed certificate that no test trusts, written as PEM to {@code file}. */
  public static void otherCertificate(Path dir, Path file) throws Exception {
    selfSigned(dir, "other", "CN=other", file);
  }

  private static final String PASSWORD = "changeit";

  /** A PKCS12 store {@code dir/ALIAS.p12} with a fresh EC key pair; its certificate as PEM. */
  private static Path selfSigned(
      Path dir, String alias, String dname, Path pem, String... extensions) throws Exception {
    Path store = dir.resolve(alias + ".p12");
    List<String> generate =
        new java.util.ArrayList<>(
            List.of(
                "-genkeypair",
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD,
                "-alias",
                alias,
                "-keyalg",
                "EC",
                "-dname",
                dname,
                "-validity",
                "2"));
    for (String extension : extensions) {
      generate.addAll(List.of("-ext", extension));
    }
    keytool(generate.toArray(String[]::new));
    keytool(
        "-exportcert",
        "-rfc",
        "-keystore",
        store.toString(),
        "-storepass",
        PASSWORD,
        "-alias",
        alias,
        "-file",
        pem.toString());
    return store;
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException("keytool failed: " + output);
    }
  }

  private FakeControlPlane(HttpServer server, Answer... queued) {
    answers.addAll(List.of(queued));
    this.server = server;
    server.createContext(
        "/bootstrap",
        exchange -> {
          requests.add(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          Answer answer;
          synchronized (answers) {
            answer = answers.size() > 1 ? answers.poll() : answers.peek();
          }
          byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  /** Kuma's envelope around a bootstrap YAML. */
  public static Answer bootstrap(String yaml) {
    return new Answer(
        200,
        "{\"bootstrap\":\""
            + Base64.getEncoder().encodeToString(yaml.getBytes(StandardCharsets.UTF_8))
            + "\",\"kumaSidecarConfiguration\":{}}");
  }

  public static Answer error(int status, String detail) {
    return new Answer(
        status,
        "{\"type\":\"/std-errors\",\"status\":"
            + status
            + ",\"title\":\"Could not bootstrap the dataplane\",\"detail\":\""
            + detail
            + "\"}");
  }

  public String url() {
    return (server instanceof HttpsServer ? "https" : "http")
        + "://127.0.0.1:"
        + server.getAddress().getPort();
  }

  public List<String> requests() {
    return requests;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
