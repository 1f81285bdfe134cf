package dev.vitrail.runtime.http;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM and SIGINT for a serving process: instead of the JVM's default (run the shutdown hooks at
 * once, which unbinds the port, then exit 143), the server drains with its port open ({@link
 * EmbeddingServer#shutdown()}), the model's workers finish and stop, every phase is logged, and the
 * process exits 0 (1 only when something did not finish cleanly). A second signal while draining is
 * logged and ignored. Installed {@link #early} (before the model opens), a signal during start-up
 * stops what has started and exits 0.
 */
public final class GracefulShutdown {
  private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);
  private static Startup installed;

  private GracefulShutdown() {}

  /**
   * Installs the handlers for {@code server} and its {@code model}; {@code exit} receives the exit
   * status ({@code System::exit} in a real process). Returns whether a drain has begun.
   */
  public static BooleanSupplier install(
      EmbeddingServer server, AutoCloseable model, IntConsumer exit) {
    Startup startup = early(exit);
    startup.serving(server, model);
    return startup::requested;
  }

  /**
   * Installs the handlers before anything has started, so that a signal during start-up is not the
   * JVM's default (exit 143 with half-started workers): it is logged and remembered; the starting
   * thread asks {@link Startup#requested()} between steps and stops what it started, and once
   * {@link Startup#serving} names the server a signal (or one that came before) drains it.
   */
  public static synchronized Startup early(IntConsumer exit) {
    if (installed == null) {
      Startup startup = new Startup();
      for (String name : new String[] {"TERM", "INT"}) {
        onSignal(name, () -> startup.signal(name));
      }
      installed = startup;
    }
    installed.exitTo(exit);
    return installed;
  }

  /** The handlers' state: no signal yet, a signal during start-up, or draining. */
  public static final class Startup {
    private IntConsumer exit;
    private EmbeddingServer server;
    private AutoCloseable model;
    private boolean requested;

    private Startup() {}

    private synchronized void exitTo(IntConsumer exit) {
      if (exit != null) {
        this.exit = exit;
      }
    }

    /** Whether SIGTERM or SIGINT has arrived. */
    public synchronized boolean requested() {
      return requested;
    }

    /** The server is listening: drain it on a signal (at once if one came during start-up). */
    public synchronized void serving(EmbeddingServer server, AutoCloseable model) {
      this.server = server;
      this.model = model;
      if (requested) {
        drain();
      }
    }

    /**
     * Stops what start-up had started when a signal came before the server listened: closes {@code
     * started} and returns the exit status (0, or 1 if it did not close cleanly).
     */
    public int stopDuringStartup(AutoCloseable started) {
      LOG.info("shutdown: stopping what start-up had started");
      int status = 0;
      try {
        started.close();
      } catch (Exception e) {
        status = 1;
        LOG.error("shutdown: start-up did not stop cleanly", e);
      }
      LOG.info("shutdown: done, exit status {}", status);
      return status;
    }

    private synchronized void signal(String name) {
      if (requested) {
        LOG.info("shutdown: SIG{} ignored, already stopping", name);
        return;
      }
      requested = true;
      if (server == null) {
        LOG.info("shutdown: SIG{} received during start-up; stopping once started", name);
        return;
      }
      LOG.info("shutdown: SIG{} received", name);
      drain();
    }

    private void drain() {
      EmbeddingServer s = server;
      AutoCloseable m = model;
      IntConsumer e = exit;
      new Thread(() -> e.accept(run(s, m)), "vitrail-graceful-shutdown").start();
    }
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
