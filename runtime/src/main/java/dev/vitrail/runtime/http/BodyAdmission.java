package dev.vitrail.runtime.http;

import dev.vitrail.runtime.http.wire.RequestHead;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * Admits a request body before reading it: a draining server answers "shutting down", a declared
 * {@code Content-Length} over {@code max-body-bytes} is 413 at once, and the body's bytes (its
 * {@code Content-Length}, or {@code max-body-bytes} when it has none) must fit the gate's body
 * budget, else 503 busy. A refused body is discarded as it arrives (never buffered), so the client
 * reads its answer; when the budget is already full as the request's head arrives, the socket layer
 * drops the body below the HTTP parser ({@link BodyDrops}) and this answers busy. An admitted body
 * is read under the size limit into one array; its reservation travels with it until the caller
 * closes it. Every endpoint that takes a body uses this.
 */
final class BodyAdmission {
  private final HttpSettings settings;

  /** A body declared over max-body-bytes by up to this factor is read and dropped (see below). */
  static final long DRAIN_OVERSHOOT = 2;

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
    if (droppedBelowParser(request, declared)) {
      return CompletableFuture.failedFuture(busy()); // no body left to read
    }
    long max = settings.maxBodyBytes();
    if (declared.isPresent() && declared.getAsLong() > max) {
      return refuseTooLarge(request, declared.getAsLong());
    }
    long reserve = declared.isPresent() ? declared.getAsLong() : max;
    AdmissionGate.Reservation reservation = gate.tryBody(reserve);
    if (reservation == null) {
      return refuse(request, busy());
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

  /**
   * 413 for a body declared over max-body-bytes. A plain client that declared at most {@link
   * #DRAIN_OVERSHOOT} times the limit is sending the body already and (like Java's HttpClient) may
   * read the answer only once it has sent it all: the body is read and dropped first, so the 413 is
   * not lost to a connection reset. Anything larger, or a client that waits for {@code 100
   * Continue}, is answered without reading and the connection closes after the answer.
   */
  private CompletionStage<Body> refuseTooLarge(HttpRequest request, long declared) {
    ApiException answer = tooLarge(declared);
    if (expectsContinue(request) || declared > DRAIN_OVERSHOOT * settings.maxBodyBytes()) {
      request.discardEntityBytes(system);
      return CompletableFuture.failedFuture(answer);
    }
    return dropThenFail(request.entity().withoutSizeLimit(), answer);
  }

  private ApiException busy() {
    return new ApiException(
        ErrorKind.BUSY,
        "the server is reading as many request bodies as it holds at once"
            + " (vitrail.http.admission.max-body-bytes-in-flight = "
            + gate.limits().maxBodyBytesInFlight()
            + " bytes); retry later");
  }

  /**
   * Whether the socket layer dropped this request's body on arrival because the body budget was
   * full ({@link BodyDrops}): it passes the head on without a body, marked. A client that sends the
   * mark itself with a body of its own is read as usual.
   */
  private static boolean droppedBelowParser(HttpRequest request, OptionalLong declared) {
    return declared.isPresent()
        && declared.getAsLong() == 0
        && request.getHeader(RequestHead.DROPPED_BODY).isPresent();
  }

  static boolean expectsContinue(HttpRequest request) {
    return request
        .getHeader("Expect")
        .map(h -> h.value().trim().equalsIgnoreCase("100-continue"))
        .orElse(false);
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

  /**
   * Fails with {@code answer}. A client that sent {@code Expect: 100-continue} waits for the
   * server's {@code 100 Continue} before it sends the body: it is answered at once, the body never
   * sent (Pekko sends the 100 only when the entity is read, and closes the connection after the
   * answer). Any other client is sending the body already and most (Java's HttpClient among them)
   * read the answer only once they have sent it all: closing on unread bytes would reset the
   * connection and lose the answer, so the body is read and dropped first (bounded by
   * max-body-bytes, never buffered).
   */
  private CompletionStage<Body> refuse(HttpRequest request, ApiException answer) {
    if (expectsContinue(request)) {
      return CompletableFuture.failedFuture(answer);
    }
    // A declared length was checked against max-body-bytes above (and Pekko's parser enforces
    // it); only a body without one needs the size-limit stage.
    var entity =
        request.entity().getContentLengthOption().isPresent()
            ? request.entity()
            : request.entity().withSizeLimit(settings.maxBodyBytes());
    return dropThenFail(entity, answer);
  }

  /** Reads and drops {@code entity} (never buffered), then fails with {@code answer}. */
  private CompletionStage<Body> dropThenFail(HttpEntity entity, ApiException answer) {
    return entity
        .discardBytes(system)
        .completionStage()
        .handle(
            (done, err) -> {
              throw answer;
            });
  }
}
