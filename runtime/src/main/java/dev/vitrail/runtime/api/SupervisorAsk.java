package dev.vitrail.runtime.api;

import dev.vitrail.actors.aggregate.RequestOutcome;
import dev.vitrail.actors.supervisor.Supervisor;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * One request asked of {@link Vitrail}'s supervisor: its pixels first, then a {@link
 * Supervisor.Submit} whose outcome completes the returned future. Completing that future first
 * (cancel, timeout) sends {@link Supervisor.Cancel}, so the supervisor drops the items not yet
 * encoded.
 */
final class SupervisorAsk {
  private SupervisorAsk() {}

  /**
   * Encodes {@code request} through {@code system}'s supervisor; {@code askTimeout} only guards
   * against a lost actor system (the supervisor answers every request itself).
   */
  static CompletableFuture<EncodeResult> encode(
      ActorSystem<Supervisor.Command> system,
      Duration askTimeout,
      RequestPixels pixelsOf,
      EncodeRequest request) {
    CompletableFuture<EncodeResult> out = new CompletableFuture<>();
    AtomicReference<ActorRef<RequestOutcome>> asked = new AtomicReference<>();
    AtomicBoolean answered = new AtomicBoolean();
    pixelsOf
        .of(request)
        .thenCompose(
            pixels -> {
              if (out.isDone()) {
                return CompletableFuture.failedFuture(new CancellationException("given up"));
              }
              CompletionStage<RequestOutcome> outcome =
                  AskPattern.<Supervisor.Command, RequestOutcome>ask(
                      system,
                      replyTo -> {
                        asked.set(replyTo);
                        return new Supervisor.Submit(
                            pixels, request.spec(), request.gatherReduction(), replyTo);
                      },
                      askTimeout,
                      system.scheduler());
              if (out.isDone()) {
                system.tell(new Supervisor.Cancel(asked.get())); // given up meanwhile
              }
              return outcome;
            })
        .thenApply(
            outcome -> {
              if (outcome instanceof RequestOutcome.Completed done) {
                return new EncodeResult(request.id(), done.items(), done.gathered());
              }
              RequestOutcome.Rejected r = (RequestOutcome.Rejected) outcome;
              throw new RejectedException(
                  "request " + request.id() + " rejected: " + r.reason(), r.busy());
            })
        .whenComplete(
            (result, err) -> {
              answered.set(true);
              if (err == null) {
                out.complete(result);
              } else {
                out.completeExceptionally(err);
              }
            });
    out.whenComplete(
        (result, err) -> {
          ActorRef<RequestOutcome> replyTo = asked.get();
          if (!answered.get() && replyTo != null) {
            system.tell(new Supervisor.Cancel(replyTo));
          }
        });
    return out;
  }
}
