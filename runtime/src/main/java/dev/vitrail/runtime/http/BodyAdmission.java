package dev.vitrail.runtime.http;

import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * Admits a request body before reading it: a draining server answers "shutting down", a declared
 * {@code Content-Length} over {@code max-body-bytes} is 413 at once, and the body's bytes (its
 * {@code Content-Length}, or {@code max-body-bytes} when it has none) must fit the gate's body
 * budget, else 503 busy. A refused body is discarded as it arrives (never buffered), so the client
 * reads its answer. An admitted body is read under the size limit into one array; its reservation
 * travels with it until the caller closes it. Every endpoint that takes a body uses this.
 */
final class BodyAdmission {
  private final HttpSettings settings;
  private final AdmissionGate gate;
  private final ClassicActorSystemProvider system;
  private final BooleanSupplier draining;

  BodyAdmission(
      HttpSettings settings,
      AdmissionGate gate,
      ClassicActorSystemProvider system,
      BooleanSupplier draining) {
    this.settings = settings;
    this.gate = gate;
    this.system = system;
    this.draining = draining;
  }

  /** An admitted body and its share of the body budget (close it once the bytes are dropped). */
  record Body(byte[] bytes, AdmissionGate.Reservation reservation) {}

  /** The body of {@code request}, or a stage failed with the {@link ApiException} to answer. */
  CompletionStage<Body> read(HttpRequest request) {
    if (draining.getAsBoolean()) {
      return refuse(
          request,
          new ApiException(
              ErrorKind.SHUTTING_DOWN, "the server is shutting down; send the request elsewhere"));
    }
    OptionalLong declared = request.entity().getContentLengthOption();
    long max = settings.maxBodyBytes();
    if (declared.isPresent() && declared.getAsLong() > max) {
      // Not read at all: the connection closes after the answer.
      request.discardEntityBytes(system);
      return CompletableFuture.failedFuture(tooLarge(declared.getAsLong()));
    }
    long reserve = declared.isPresent() ? declared.getAsLong() : max;
    AdmissionGate.Reservation reservation = gate.tryBody(reserve);
    if (reservation == null) {
      return refuse(
          request,
          new ApiException(
              ErrorKind.BUSY,
              "the server is reading as many request bodies as it holds at once"
                  + " (vitrail.http.admission.max-body-bytes-in-flight = "
                  + gate.limits().maxBodyBytesInFlight()
                  + " bytes); retry later"));
    }
    CompletionStage<Body> body =
        request
            .entity()
            .withSizeLimit(max)
            .toStrict(settings.requestTimeout().toMillis(), max, system)
            .thenApply(strict -> new Body(strict.getData().toArray(), reservation));
    return body.whenComplete(
        (ok, err) -> {
          if (err != null) {
            reservation.close();
          }
        });
  }

  private ApiException tooLarge(long size) {
    return new ApiException(
        ErrorKind.BODY_TOO_LARGE,
        "request body of "
            + size
            + " bytes exceeds vitrail.http.max-body-bytes = "
            + settings.maxBodyBytes()
            + " bytes");
  }

  /** Reads and drops the body (bounded by max-body-bytes), then fails with {@code answer}. */
  private CompletionStage<Body> refuse(HttpRequest request, ApiException answer) {
    return request
        .entity()
        .withSizeLimit(settings.maxBodyBytes())
        .discardBytes(system)
        .completionStage()
        .handle(
            (done, err) -> {
              throw answer;
            });
  }
}
