package dev.quma.hostile;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * An HTTP/1.1 client that sends requests byte for byte as given (paths with {@code ..}, several
 * {@code Host} headers, control characters): the JDK's and RestAssured's clients normalise or
 * refuse exactly what a hostile caller sends. One connection, kept alive between requests.
 */
public final class RawHttp implements AutoCloseable {
  /** An answer; {@code status} is -1 when the server closed the connection without one. */
  public record Response(int status, Map<String, List<String>> headers, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** The first value of a header (names are lower case), or null. */
    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }

  private static final int MAX_BODY = 64 * 1024 * 1024;

  private final String host;
  private final int port;
  private final boolean tls;
  private final int timeoutMillis;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  public RawHttp(String host, int port, boolean tls, Duration timeout) {
    this.host = host;
    this.port = port;
    this.tls = tls;
    this.timeoutMillis = (int) timeout.toMillis();
  }

  /**
   * The bytes of a request: request line, the headers as given (nothing added but {@code
   * Content-Length} when there is a body and the headers name none), then the body.
   */
  public static byte[] request(
      String method, String target, List<Map.Entry<String, String>> headers, byte[] body) {
    StringBuilder head = new StringBuilder();
    head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    boolean hasLength = false;
    for (Map.Entry<String, String> header : headers) {
      head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
      hasLength |= header.getKey().equalsIgnoreCase("Content-Length");
    }
    if (body != null && !hasLength) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    byte[] start = head.toString().getBytes(StandardCharsets.UTF_8);
    if (body == null) {
      return start;
    }
    byte[] all = new byte[start.length + body.length];
    System.arraycopy(start, 0, all, 0, start.length);
    System.arraycopy(body, 0, all, start.length, body.length);
    return all;
  }

  /** Sends {@link #request} and reads its answer. */
  public Response send(
      String method, String target, List<Map.Entry<String, String>> headers, byte[] body)
      throws IOException {
    return send(request(method, target, headers, body), method.equals("HEAD"));
  }

  /** Sends one request and reads its answer; {@code head} says whether it was a HEAD request. */
  public Response send(byte[] request, boolean head) throws IOException {
    if (socket == null || socket.isClosed()) {
      connect();
    }
    try {
      out.write(request);
      out.flush();
    } catch (IOException e) {
      // A kept-alive connection the server closed meanwhile: once more on a new one.
      connect();
      out.write(request);
      out.flush();
    }
    Response response;
    try {
      response = read(head);
    } catch (IOException e) {
      close();
      return new Response(-1, Map.of(), new byte[0]);
    }
    if (response.status() < 0 || "close".equalsIgnoreCase(response.header("connection"))) {
      close();
    }
    return response;
  }

  private void connect() throws IOException {
    close();
    Socket plain = new Socket();
    plain.connect(new InetSocketAddress(host, port), timeoutMillis);
    if (tls) {
      try {
        plain = trustingEveryone().getSocketFactory().createSocket(plain, host, port, true);
      } catch (java.security.GeneralSecurityException e) {
        plain.close();
        throw new IOException("no TLS: " + e.getMessage(), e);
      }
    }
    plain.setSoTimeout(timeoutMillis);
    plain.setTcpNoDelay(true);
    socket = plain;
    in = new BufferedInputStream(plain.getInputStream());
    out = plain.getOutputStream();
  }

  /** The control plane's certificates come from its own CA; these tests judge answers, not TLS. */
  private static SSLContext trustingEveryone() throws java.security.GeneralSecurityException {
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
  }

  private Response read(boolean head) throws IOException {
    while (true) {
      String statusLine = line();
      if (statusLine == null) {
        return new Response(-1, Map.of(), new byte[0]);
      }
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
        throw new IOException("not an HTTP answer: " + statusLine);
      }
      int status = Integer.parseInt(parts[1]);
      Map<String, List<String>> headers = new LinkedHashMap<>();
      String line;
      while ((line = line()) != null && !line.isEmpty()) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          headers
              .computeIfAbsent(
                  line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
              .add(line.substring(colon + 1).trim());
        }
      }
      if (status >= 100 && status < 200) {
        continue; // 100 Continue and the like: the answer follows
      }
      byte[] body = head || status == 204 || status == 304 ? new byte[0] : body(headers);
      return new Response(status, headers, body);
    }
  }

  private byte[] body(Map<String, List<String>> headers) throws IOException {
    List<String> encoding = headers.get("transfer-encoding");
    if (encoding != null && encoding.stream().anyMatch(v -> v.equalsIgnoreCase("chunked"))) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        String size = line();
        if (size == null) {
          throw new IOException("the connection ended inside a chunked body");
        }
        int semicolon = size.indexOf(';');
        int length =
            Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
        if (length == 0) {
          while ((size = line()) != null && !size.isEmpty()) {
            // trailers
          }
          return body.toByteArray();
        }
        if (body.size() + length > MAX_BODY) {
          throw new IOException("answer larger than " + MAX_BODY + " bytes");
        }
        body.write(in.readNBytes(length));
        line();
      }
    }
    List<String> length = headers.get("content-length");
    if (length != null) {
      int size = Integer.parseInt(length.get(0));
      if (size > MAX_BODY) {
        throw new IOException("answer larger than " + MAX_BODY + " bytes");
      }
      byte[] body = in.readNBytes(size);
      if (body.length < size) {
        throw new IOException("the connection ended inside the body");
      }
      return body;
    }
    // Neither: the body runs until the server closes the connection.
    byte[] body = in.readNBytes(MAX_BODY);
    close();
    return body;
  }

  /** A line up to CRLF (or LF), as ISO-8859-1; null at the end of the stream. */
  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int end =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
      if (line.size() > 64 * 1024) {
        throw new IOException("header line longer than 64 KiB");
      }
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
      socket = null;
    }
  }
}
