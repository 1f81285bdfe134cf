package dev.vitrail.encoders.tensor;

import org.bytedeco.pytorch.Dispatcher;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.OperatorHandle;
import org.bytedeco.pytorch.Tensor;

/**
 * libtorch operators the presets do not bind as functions (oneDNN's packed and int8 linears),
 * called through the dispatcher by their schema name.
 */
public final class BoxedOps {
  private BoxedOps() {}

  /** The handle of operator {@code name}, kept for the life of the process (outside any scope). */
  public static OperatorHandle operator(String name) {
    OperatorHandle h = Dispatcher.singleton().findSchemaOrThrow(name, "");
    h.retainReference();
    return h;
  }

  /** Calls {@code op} with {@code args}; its one tensor result, in the caller's scope. */
  public static Tensor call(OperatorHandle op, IValue... args) {
    IValueVector stack = new IValueVector(args);
    op.callBoxed(stack);
    // toTensor() is a reference into the stack: copy the handle (not the data) before it goes
    return new Tensor(stack.get(0).toTensor());
  }
}
