package dev.vitrail.encoders.varlen;

import dev.vitrail.encoders.tensor.HostTensors;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * The hidden states of a rotary tower as they pass its blocks: one tensor held at a time, each
 * block run in its own {@link PointerScope} so that its temporaries are freed when it ends, the
 * previous state released as soon as the next exists. {@link #close} releases the last one.
 */
public final class ResidualStream implements AutoCloseable {
  private Tensor x;

  /** Holds {@code x} beyond the current scope (takes a reference). */
  public ResidualStream(Tensor x) {
    x.retainReference();
    this.x = x;
  }

  /** The current state; valid until the next {@link #step} or {@link #close}. */
  public Tensor current() {
    return x;
  }

  /**
   * Replaces the state by {@code block(state)}; {@code after} sees the new state inside the same
   * scope (e.g. to copy it to the host or run a side merger).
   */
  public void step(UnaryOperator<Tensor> block, Consumer<Tensor> after) {
    try (PointerScope scope = new PointerScope()) {
      Tensor y = block.apply(x);
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
  }
}
