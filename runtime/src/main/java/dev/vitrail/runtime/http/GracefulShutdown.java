package dev.vitrail.runtime.http;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM and SIGINT for a serving process: instead of the JVM's default (run the shutdown hooks at
 * once, which unbinds the port, then exit 143), the server drains with its port open ({@link
 * EmbeddingServer#shutdown()}), the model's workers finish and stop, every phase is logged, and the
 * process exits 0 (1 only when something did not finish cleanly). A second signal while draining is
 * logged and ignored.
 */
public final class GracefulShutdown {
  private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);

  private GracefulShutdown() {}

  /**
   * Installs the handlers for {@code server} and its {@code model}; {@code exit} receives the exit
   * status ({@code System::exit} in a real process). Returns whether a drain has begun.
   */
  public static BooleanSupplier install(
      EmbeddingServer server, AutoCloseable model, IntConsumer exit) {
    AtomicBoolean started = new AtomicBoolean();
    for (String name : new String[] {"TERM", "INT"}) {
      onSignal(
          name,
          () -> {
            if (!started.compareAndSet(false, true)) {
              LOG.info("shutdown: SIG{} ignored, already draining", name);
              return;
            }
            LOG.info("shutdown: SIG{} received", name);
            new Thread(() -> exit.accept(run(server, model)), "vitrail-graceful-shutdown").start();
          });
    }
    return started::get;
  }

  /**
   * {@code sun.misc.Signal.handle(new Signal(name), handler)} (module jdk.unsupported), called
   * reflectively because the compiler may not name proprietary API under {@code -Werror}.
   */
  private static void onSignal(String name, Runnable action) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      Object handler =
          Proxy.newProxyInstance(
              GracefulShutdown.class.getClassLoader(),
              new Class<?>[] {handlerType},
              (proxy, method, args) -> dispatch(proxy, method, args, action));
      Method handle = signal.getMethod("handle", signal, handlerType);
      handle.invoke(null, signal.getConstructor(String.class).newInstance(name), handler);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot install the SIG" + name + " handler: " + e, e);
    }
  }

  private static Object dispatch(Object proxy, Method method, Object[] args, Runnable action) {
    return switch (method.getName()) {
      case "handle" -> {
        action.run();
        yield null;
      }
      case "hashCode" -> System.identityHashCode(proxy);
      case "equals" -> proxy == args[0];
      default -> "vitrail signal handler";
    };
  }

  /** Drains and closes the server, then the model; the exit status. */
  static int run(EmbeddingServer server, AutoCloseable model) {
    boolean clean = server.shutdown();
    LOG.info("shutdown: stopping the workers");
    try {
      model.close();
      LOG.info("shutdown: workers stopped");
    } catch (Exception e) {
      clean = false;
      LOG.error("shutdown: the workers did not stop cleanly", e);
    }
    int status = clean ? 0 : 1;
    LOG.info("shutdown: done, exit status {}", status);
    return status;
  }
}
