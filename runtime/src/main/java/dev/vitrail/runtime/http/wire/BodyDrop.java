package dev.vitrail.runtime.http.wire;

/** Decides, from its head alone, whether a request's body is dropped below the HTTP parser. */
@FunctionalInterface
public interface BodyDrop {
  /**
   * Whether the body of {@code head} is dropped as it arrives: only when the server would answer
   * the request without its body anyway (the answer must not depend on the bytes dropped).
   */
  boolean drop(RequestHead head);
}
