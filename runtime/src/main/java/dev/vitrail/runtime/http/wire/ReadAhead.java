package dev.vitrail.runtime.http.wire;

import java.util.ArrayDeque;
import java.util.Collection;
import org.apache.pekko.util.ByteString;

/**
 * The bytes one connection has read that its stream has not taken yet, counted against a budget
 * that all connections of a server share ({@link Budget}). Selector thread only.
 */
final class ReadAhead {
  /** Bytes read ahead by all connections of one server, and how many they may hold. */
  static final class Budget {
    private final long limit;
    private long held;

    Budget(long limit) {
      this.limit = limit;
    }

    boolean hasRoom() {
      return held < limit;
    }

    long held() {
      return held;
    }
  }

  private final ArrayDeque<ByteString> chunks = new ArrayDeque<>();
  private final Budget budget;

  ReadAhead(Budget budget) {
    this.budget = budget;
  }

  void add(ByteString chunk) {
    chunks.add(chunk);
    budget.held += chunk.size();
  }

  void addAll(Collection<ByteString> more) {
    more.forEach(this::add);
  }

  ByteString poll() {
    ByteString chunk = chunks.poll();
    if (chunk != null) {
      budget.held -= chunk.size();
    }
    return chunk;
  }

  ByteString peek() {
    return chunks.peek();
  }

  void clear() {
    while (poll() != null) {
      // give every chunk's bytes back to the budget
    }
  }

  int size() {
    return chunks.size();
  }

  boolean isEmpty() {
    return chunks.isEmpty();
  }
}
