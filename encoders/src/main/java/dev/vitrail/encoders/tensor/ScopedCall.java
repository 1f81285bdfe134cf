package dev.vitrail.encoders.tensor;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;

/**
 * Runs a tensor computation inside its own {@link PointerScope} so that every intermediate is freed
 * when it returns, while the result outlives it: the result joins the caller's innermost scope, or,
 * when the caller has none, is retained once and owned by the caller ({@code close()}).
 */
public final class ScopedCall {
  private ScopedCall() {}

  /** Runs {@code body} in a fresh scope and keeps only its result alive. */
  public static <P extends Pointer> P returning(Supplier<P> body) {
    PointerScope outer = PointerScope.getInnerScope();
    try (PointerScope inner = new PointerScope()) {
      P result = body.get();
      keep(outer, result);
      return result;
    }
  }

  /** Runs {@code body} in a fresh scope and keeps every element of its result alive. */
  public static <P extends Pointer> List<P> returningAll(Supplier<List<P>> body) {
    PointerScope outer = PointerScope.getInnerScope();
    try (PointerScope inner = new PointerScope()) {
      List<P> result = List.copyOf(body.get());
      for (P p : result) {
        keep(outer, p);
      }
      return result;
    }
  }

  /**
   * Runs {@code body} in a fresh scope and keeps alive the pointers {@code survivors} names in its
   * result (e.g. the tensors of a result record).
   */
  public static <R> R returning(Supplier<R> body, Function<R, List<? extends Pointer>> survivors) {
    PointerScope outer = PointerScope.getInnerScope();
    try (PointerScope inner = new PointerScope()) {
      R result = body.get();
      for (Pointer p : survivors.apply(result)) {
        keep(outer, p);
      }
      return result;
    }
  }

  private static void keep(PointerScope outer, Pointer p) {
    if (outer != null) {
      outer.attach(p);
    } else {
      p.retainReference();
    }
  }
}
