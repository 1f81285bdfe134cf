package dev.vitrail.encoders.tower;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects what a loader has built so far and frees it all if loading fails before {@link #keep()}.
 */
public final class Parts implements AutoCloseable {
  private final List<AutoCloseable> parts = new ArrayList<>();
  private boolean kept;

  /** Registers a part and returns it. */
  public <T extends AutoCloseable> T add(T part) {
    parts.add(part);
    return part;
  }

  /** Hands the parts over to their new owner: {@link #close()} then frees nothing. */
  public void keep() {
    kept = true;
  }

  @Override
  public void close() {
    if (kept) {
      return;
    }
    for (int i = parts.size() - 1; i >= 0; i--) {
      try {
        parts.get(i).close();
      } catch (Exception e) {
        // freeing after a failed load: the original failure is what the caller needs to see
      }
    }
  }
}
