package dev.quma.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop HTTP load: each client thread sends its next request as soon as the previous one
 * answered, until a deadline. Every answer must be 200; the first other one fails the run.
 */
final class ClosedLoop {
  private ClosedLoop() {}

  /** The {@code n}th request of client {@code client}. */
  interface Requests {
    HttpRequest next(int client, int n);
  }

  /** Latencies recorded per client, up to this many, so that recording allocates nothing. */
  private static final int SAMPLES_PER_CLIENT = 200_000;

  /**
   * Runs {@code clients} clients for {@code duration}, adds each answer's latency to {@code
   * latencies} and returns how many requests were answered.
   */
  static long run(
      HttpClient http,
      int clients,
      Duration duration,
      Requests requests,
      String what,
      Latencies latencies)
      throws InterruptedException {
    AtomicLong answered = new AtomicLong();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    long deadline = System.nanoTime() + duration.toNanos();
    CountDownLatch done = new CountDownLatch(clients);
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread.ofPlatform()
          .start(
              () -> {
                long[] samples = new long[SAMPLES_PER_CLIENT];
                int n = 0;
                try {
                  while (System.nanoTime() < deadline) {
                    HttpRequest request = requests.next(client, n);
                    long start = System.nanoTime();
                    HttpResponse<String> response =
                        http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                      throw new IllegalStateException(
                          what + " answered " + response.statusCode() + ": " + response.body());
                    }
                    if (n < samples.length) {
                      samples[n] = System.nanoTime() - start;
                    }
                    n++;
                    answered.incrementAndGet();
                  }
                } catch (Exception e) {
                  failures.add(e);
                } finally {
                  synchronized (latencies) {
                    for (int i = 0; i < Math.min(n, samples.length); i++) {
                      latencies.record(samples[i]);
                    }
                  }
                  done.countDown();
                }
              });
    }
    done.await();
    if (!failures.isEmpty()) {
      throw new IllegalStateException(what + " failed", failures.peek());
    }
    return answered.get();
  }
}
