package dev.vitrail.runtime.cli.resident;

import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The launcher's side: runs a command in the resident JVM made for it, starting that JVM when there
 * is none, and exits with the command's status, its output relayed. Exits {@link #RUN_HERE} when
 * the command should run in a JVM of its own instead (the resident JVM busy with another command,
 * or it could not start); the launcher then runs it as it would without a resident JVM.
 *
 * <p>Arguments: the number of words of the resident JVM's command line, those words (the JVM, its
 * flags and class path, and the main class), then the {@code vitrail} arguments.
 */
public final class ResidentClient {
  /** The exit status that asks the launcher to run the command itself (EX_TEMPFAIL). */
  public static final int RUN_HERE = 75;

  private static final long START_WAIT_MILLIS = 120_000;

  private ResidentClient() {}

  public static void main(String[] argv) {
    int n = Integer.parseInt(argv[0]);
    List<String> command = List.of(Arrays.copyOfRange(argv, 1, 1 + n));
    List<String> args = List.of(Arrays.copyOfRange(argv, 1 + n, argv.length));
    int status =
        run(
            command,
            args,
            System.getenv(),
            new FileOutputStream(FileDescriptor.out),
            new FileOutputStream(FileDescriptor.err));
    System.exit(status);
  }

  /**
   * Runs {@code args} in the resident JVM for {@code command}; its status, or {@link #RUN_HERE}.
   */
  static int run(
      List<String> command,
      List<String> args,
      Map<String, String> env,
      OutputStream out,
      OutputStream err) {
    String cwd = Path.of("").toAbsolutePath().toString();
    ResidentPlace place;
    String key;
    try {
      place = ResidentPlace.find(env);
      key = ResidentKey.of(command, cwd, env, classPathStamps(command));
    } catch (IOException e) {
      note(err, "no resident JVM: " + e.getMessage());
      return RUN_HERE;
    }
    try (SocketChannel channel = connectOrStart(command, place, key, err)) {
      if (channel == null) {
        return RUN_HERE;
      }
      ResidentProtocol.writeRequest(
          channel, new ResidentProtocol.Request(ResidentProtocol.JOB, cwd, args));
      return relay(channel, out, err, place.log(key));
    } catch (IOException e) {
      note(
          err, "the resident JVM failed: " + e.getMessage() + " (its log: " + place.log(key) + ")");
      return 1;
    }
  }

  /**
   * Copies the answer's output frames to {@code out} and {@code err} and returns the exit status;
   * {@link #RUN_HERE} if the job was not taken.
   */
  static int relay(SocketChannel channel, OutputStream out, OutputStream err, Path log)
      throws IOException {
    ResidentProtocol.Frame first = ResidentProtocol.readFrame(channel);
    if (first == null || first.type() != ResidentProtocol.ACCEPTED) {
      return RUN_HERE; // busy, not run there, or ending as we came: nothing has run
    }
    for (ResidentProtocol.Frame f; (f = ResidentProtocol.readFrame(channel)) != null; ) {
      switch (f.type()) {
        case ResidentProtocol.STDOUT -> write(out, f.payload());
        case ResidentProtocol.STDERR -> write(err, f.payload());
        case ResidentProtocol.EXIT -> {
          return f.status();
        }
        default -> throw new IOException("unexpected frame type " + f.type());
      }
    }
    note(err, "the resident JVM ended during the command (its log: " + log + ")");
    return 1;
  }

  /**
   * Asks every resident JVM of this user to end (each after its running command, if any) and
   * returns how many were asked. Sockets nothing listens on any more are removed, and so are the
   * locks nobody holds with their empty logs.
   */
  public static int stopAll(Map<String, String> env) throws IOException {
    ResidentPlace place = ResidentPlace.find(env);
    List<Path> sockets = filesEndingWith(place, ".sock");
    int asked = 0;
    for (Path socket : sockets) {
      try (SocketChannel channel = connect(socket)) {
        if (channel == null) {
          Files.deleteIfExists(socket);
          continue;
        }
        ResidentProtocol.writeRequest(
            channel, new ResidentProtocol.Request(ResidentProtocol.STOP, "", List.of()));
        if (ResidentProtocol.readFrame(channel) != null) {
          asked++;
        }
      } catch (IOException e) {
        // ended meanwhile
      }
    }
    for (Path lock : filesEndingWith(place, ".sock.lock")) {
      String name = lock.getFileName().toString();
      Path socket = lock.resolveSibling(name.substring(0, name.length() - ".lock".length()));
      if (!Files.exists(socket) && !locked(lock)) {
        Path log = ResidentPlace.logOf(socket);
        if (Files.isRegularFile(log) && Files.size(log) == 0) {
          Files.delete(log);
        }
        Files.deleteIfExists(lock);
      }
    }
    return asked;
  }

  private static List<Path> filesEndingWith(ResidentPlace place, String suffix) throws IOException {
    try (var files = Files.list(place.dir())) {
      return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    }
  }

  private static SocketChannel connectOrStart(
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
      if (!started.isAlive() && !locked(place.lock(key))) {
        note(err, "the resident JVM did not start (its log: " + place.log(key) + ")");
        return null;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    note(err, "the resident JVM did not start in time (its log: " + place.log(key) + ")");
    return null;
  }

  /** Whether a resident JVM listens on {@code socket}. */
  static boolean serving(Path socket) throws IOException {
    SocketChannel channel = connect(socket);
    if (channel == null) {
      return false;
    }
    channel.close();
    return true;
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

  /** Whether a resident JVM holds {@code lockFile} (it starts, serves, or is ending). */
  private static boolean locked(Path lockFile) throws IOException {
    try (FileChannel ch =
        FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock lock = ch.tryLock();
      if (lock == null) {
        return true;
      }
      lock.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true; // held in this JVM (tests)
    }
  }

  /** Size and time of each class-path file of {@code command}, in order. */
  static List<String> classPathStamps(List<String> command) throws IOException {
    List<String> stamps = new ArrayList<>();
    for (int i = 0; i + 1 < command.size(); i++) {
      String flag = command.get(i);
      if (flag.equals("-cp") || flag.equals("-classpath") || flag.equals("--class-path")) {
        for (String entry : command.get(i + 1).split(File.pathSeparator)) {
          Path p = Path.of(entry);
          // StringBuilder, not +: string concatenation's bootstrap costs the client's JVM ~20 ms
          StringBuilder stamp = new StringBuilder(entry);
          if (Files.isRegularFile(p)) {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            stamp.append(' ').append(a.size()).append(' ').append(a.lastModifiedTime().toMillis());
          } else {
            stamp.append(Files.exists(p) ? " folder" : " missing");
          }
          stamps.add(stamp.toString());
        }
      }
    }
    return stamps;
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

  /**
   * Writes a frame's bytes; a closed output (e.g. piped into {@code head}) is ignored, as the
   * command's own {@code PrintStream} in a JVM of its own ignores it, so the command still ends.
   */
  private static void write(OutputStream s, byte[] b) {
    try {
      s.write(b);
      s.flush();
    } catch (IOException closed) {
      // as above
    }
  }

  private static void note(OutputStream err, String line) {
    try {
      err.write(("vitrail: " + line + System.lineSeparator()).getBytes());
      err.flush();
    } catch (IOException e) {
      // nowhere to say it
    }
  }
}
