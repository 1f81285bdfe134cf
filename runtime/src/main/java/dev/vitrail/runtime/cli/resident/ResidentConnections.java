package dev.vitrail.runtime.cli.resident;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reaching the resident JVM for a key: connecting to its socket, or starting it and waiting. */
final class ResidentConnections {
  private static final long START_WAIT_MILLIS = 120_000;

  private ResidentConnections() {}

  /**
   * A connection to the resident JVM for {@code key}, started with {@code command} if none listens;
   * null, said on {@code err}, when it does not start.
   */
  static SocketChannel connectOrStart(
      List<String> command, ResidentPlace place, String key, OutputStream err) throws IOException {
    Path socket = place.socket(key);
    SocketChannel channel = connect(socket);
    if (channel != null) {
      return channel;
    }
    Process started = start(command, socket, place.log(key));
    long deadline = System.currentTimeMillis() + START_WAIT_MILLIS;
    while (System.currentTimeMillis() < deadline) {
      channel = connect(socket);
      if (channel != null) {
        return channel;
      }
      if (!started.isAlive() && !ResidentLock.held(place.lock(key))) {
        ResidentClient.note(
            err, "the resident JVM did not start (its log: " + place.log(key) + ")");
        return null;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    ResidentClient.note(
        err, "the resident JVM did not start in time (its log: " + place.log(key) + ")");
    return null;
  }

  /** A connection to {@code socket}, or null when nothing listens there. */
  static SocketChannel connect(Path socket) {
    if (!Files.exists(socket)) {
      return null;
    }
    SocketChannel channel = null;
    try {
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      channel.connect(UnixDomainSocketAddress.of(socket));
      return channel;
    } catch (IOException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // not connected
        }
      }
      return null;
    }
  }

  /**
   * Starts the resident JVM in a session of its own (an interrupt of the client's terminal does not
   * reach it), its output to {@code log}.
   */
  private static Process start(List<String> command, Path socket, Path log) throws IOException {
    List<String> cmd = new ArrayList<>();
    if (onPath("setsid")) {
      cmd.add("setsid");
    }
    cmd.addAll(command);
    cmd.add(socket.toString());
    return new ProcessBuilder(cmd)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
