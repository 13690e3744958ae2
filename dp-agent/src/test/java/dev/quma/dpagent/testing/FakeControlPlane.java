package dev.quma.dpagent.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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
    answers.addAll(List.of(queued));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
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
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public List<String> requests() {
    return requests;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
