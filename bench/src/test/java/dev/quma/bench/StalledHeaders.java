package dev.quma.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A slow-loris client: connects, sends the start of a request and part of a header, then nothing;
 * tells after how long the server closed the connection (empty when it was still open at the
 * limit).
 */
final class StalledHeaders {
  private StalledHeaders() {}

  static CompletableFuture<Optional<Duration>> start(
      String host, int port, boolean tls, Duration limit) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (Socket socket = connect(host, port, tls)) {
            long started = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            out.write(
                ("GET /q/health/ready HTTP/1.1\r\nHost: localhost:" + port + "\r\nX-Slow: a")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.setSoTimeout((int) limit.toMillis());
            InputStream in = socket.getInputStream();
            try {
              // The server has nothing to answer yet: the read ends when it closes.
              while (in.read() >= 0) {
                // a 408 or the like before closing is fine too
              }
            } catch (SocketTimeoutException e) {
              return Optional.<Duration>empty();
            } catch (IOException e) {
              // reset: closed as well
            }
            return Optional.of(Duration.ofNanos(System.nanoTime() - started));
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        },
        runnable -> Thread.ofVirtual().start(runnable));
  }

  private static Socket connect(String host, int port, boolean tls) throws IOException {
    Socket plain = new Socket();
    plain.connect(new InetSocketAddress(host, port), 5_000);
    if (!tls) {
      return plain;
    }
    SSLSocket secure =
        (SSLSocket) trustingEveryone().getSocketFactory().createSocket(plain, host, port, true);
    secure.startHandshake();
    return secure;
  }

  private static SSLContext trustingEveryone() {
    try {
      TrustManager everyone =
          new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
              return new X509Certificate[0];
            }
          };
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {everyone}, new SecureRandom());
      return context;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
