package dev.vitrail.actors.worker;

/** Thrown inside a worker to have it restarted (with backoff) after its tower failed or hung. */
final class WorkerFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  WorkerFailure(String message) {
    super(message);
  }
}
