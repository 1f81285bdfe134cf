package dev.vitrail.encoders.varlen;

import dev.vitrail.encoders.tensor.HostTensors;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * The hidden states of a rotary tower as they pass its blocks, for one forward call: one tensor
 * held at a time, each block run in its own {@link PointerScope} so that its temporaries are freed
 * when it ends, the previous state released as soon as the next exists. {@link #close} releases the
 * last state and whatever else the call kept for its blocks ({@link #onClose}, e.g. rotary tables).
 */
public final class ResidualStream implements AutoCloseable {
  private final Deque<Runnable> releases = new ArrayDeque<>();
  private Tensor x;

  /** Holds {@code first} beyond the current scope (takes a reference). */
  public void start(Tensor first) {
    if (x != null) {
      throw new IllegalStateException("the stream has started already");
    }
    first.retainReference();
    x = first;
  }

  /** Runs {@code release} at {@link #close}, after the state is released (newest first). */
  public void onClose(Runnable release) {
    releases.push(release);
  }

  /** The current state; valid until the next {@link #step} or {@link #close}. */
  public Tensor current() {
    if (x == null) {
      throw new IllegalStateException("the stream has not started");
    }
    return x;
  }

  /**
   * Replaces the state by {@code block(state)}; {@code after} sees the new state inside the same
   * scope (e.g. to copy it to the host or run a side merger).
   */
  public void step(UnaryOperator<Tensor> block, Consumer<Tensor> after) {
    try (PointerScope scope = new PointerScope()) {
      Tensor y = block.apply(current());
      y.retainReference();
      x.releaseReference();
      x = y;
      after.accept(x);
    }
  }

  /** An {@code after} that appends each state to {@code states} when {@code keep} is set. */
  public static Consumer<Tensor> keepingIf(boolean keep, List<float[]> states) {
    return keep ? t -> states.add(HostTensors.download(t)) : t -> {};
  }

  @Override
  public void close() {
    if (x != null) {
      x.releaseReference();
      x = null;
    }
    while (!releases.isEmpty()) {
      releases.pop().run();
    }
  }
}
