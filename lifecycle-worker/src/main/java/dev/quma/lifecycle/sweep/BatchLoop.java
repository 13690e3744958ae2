package dev.quma.lifecycle.sweep;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;

/** Runs a sweep's batches one after another while the last one says there may be more. */
final class BatchLoop {
  private BatchLoop() {}

  static Uni<Void> whileMore(Supplier<Uni<Boolean>> batch) {
    return Multi.createBy()
        .repeating()
        .uni(batch::get)
        .whilst(more -> more)
        .collect()
        .last()
        .replaceWithVoid();
  }
}
