package dev.vitrail.encoders.kimi;

import java.util.ArrayDeque;
import java.util.Deque;

/** Layers taken so far while loading, closed in reverse order if loading fails. */
final class Owned implements AutoCloseable {
  private final Deque<AutoCloseable> items = new ArrayDeque<>();

  /** Remembers {@code item} and returns it. */
  <T extends AutoCloseable> T add(T item) {
    items.push(item);
    return item;
  }

  /** Closes everything remembered, newest first. */
  @Override
  public void close() {
    while (!items.isEmpty()) {
      try {
        items.pop().close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot release a partly loaded layer", e);
      }
    }
  }
}
