package dev.vitrail.runtime.cli.resident;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
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
      key = ResidentKey.of(command, cwd, env, ResidentKey.classPathStamps(command));
    } catch (IOException e) {
      note(err, "no resident JVM: " + e.getMessage());
      return RUN_HERE;
    }
    try (SocketChannel channel = ResidentConnections.connectOrStart(command, place, key, err)) {
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

  static void note(OutputStream err, String line) {
    try {
      err.write(("vitrail: " + line + System.lineSeparator()).getBytes());
      err.flush();
    } catch (IOException e) {
      // nowhere to say it
    }
  }
}
