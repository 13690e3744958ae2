package dev.quma.xds.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AdmissionGateTest {

  @Test
  void neverRunsMoreThanItsLimitAndLetsTheOthersThroughInOrder() {
    AdmissionGate gate = new AdmissionGate(2);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    List<UniEmitter<? super Integer>> open = new CopyOnWriteArrayList<>();
    List<Integer> started = new CopyOnWriteArrayList<>();
    List<Integer> results = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 5; i++) {
      int n = i;
      gate.submit(
              () ->
                  Uni.createFrom()
                      .<Integer>emitter(
                          emitter -> {
                            started.add(n);
                            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                            open.add(emitter);
                          }))
          .subscribe()
          .with(results::add, failure -> results.add(-1));
    }
    assertThat(started).containsExactly(0, 1);
    assertThat(gate.waiting()).isEqualTo(3);

    List<Integer> completions = new ArrayList<>();
    while (!open.isEmpty()) {
      UniEmitter<? super Integer> first = open.remove(0);
      running.decrementAndGet();
      int value = started.get(completions.size());
      completions.add(value);
      first.complete(value);
    }
    assertThat(peak.get()).isEqualTo(2);
    assertThat(started).containsExactly(0, 1, 2, 3, 4);
    assertThat(results).containsExactly(0, 1, 2, 3, 4);
    assertThat(gate.waiting()).isZero();
  }

  @Test
  void aFailureFreesItsPlaceToo() {
    AdmissionGate gate = new AdmissionGate(1);
    List<Object> outcomes = new CopyOnWriteArrayList<>();
    gate.submit(() -> Uni.createFrom().<String>failure(new IllegalStateException("refused")))
        .subscribe()
        .with(outcomes::add, outcomes::add);
    gate.submit(() -> Uni.createFrom().item("admitted"))
        .subscribe()
        .with(outcomes::add, outcomes::add);
    assertThat(outcomes).hasSize(2);
    assertThat(outcomes.get(0)).isInstanceOf(IllegalStateException.class);
    assertThat(outcomes.get(1)).isEqualTo("admitted");
  }
}
