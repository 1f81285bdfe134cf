package dev.vitrail.runtime.cli.resident;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One command run for a client: answered {@code ACCEPTED}, run with the JVM's standard output and
 * error sent to the client as frames (the command's own writers and whatever else writes to {@code
 * System.out}/{@code System.err} meanwhile); the caller then sends {@code EXIT} with its status. A
 * thread watches the client's side: closed before the end, the client has left (interrupted) and
 * {@code clientLeft} runs.
 */
final class ResidentJob {
  /** How a job ended: its status, and whether it threw an {@link Error} (the JVM is in doubt). */
  record Outcome(int status, boolean jvmInDoubt) {}

  private final SocketChannel client;
  private final Runnable clientLeft;
  private final PrintStream ownErr;
  private final AtomicBoolean done = new AtomicBoolean();

  /**
   * @param ownErr this JVM's own standard error (its log), for what it says outside the job
   */
  ResidentJob(SocketChannel client, Runnable clientLeft, PrintStream ownErr) {
    this.client = client;
    this.clientLeft = clientLeft;
    this.ownErr = ownErr;
  }

  Outcome run(ResidentServer.Job job, String[] args) throws IOException {
    ResidentProtocol.writeText(client, ResidentProtocol.ACCEPTED, "");
    Thread watch = new Thread(this::watch, "vitrail-resident-watch");
    watch.setDaemon(true);
    watch.start();
    Object frames = new Object();
    Charset charset = Charset.defaultCharset();
    PrintStream out =
        new PrintStream(
            new FrameOutputStream(client, ResidentProtocol.STDOUT, frames), true, charset);
    PrintStream err =
        new PrintStream(
            new FrameOutputStream(client, ResidentProtocol.STDERR, frames), true, charset);
    PrintStream systemOut = System.out;
    PrintStream systemErr = System.err;
    int status;
    boolean inDoubt = false;
    System.setOut(out);
    System.setErr(err);
    try {
      PrintWriter outWriter = new PrintWriter(out, true);
      PrintWriter errWriter = new PrintWriter(err, true);
      try {
        status = job.run(outWriter, errWriter, args);
      } catch (RuntimeException | Error e) {
        errWriter.println("error: " + e);
        e.printStackTrace(errWriter);
        status = 1;
        inDoubt = e instanceof Error;
      }
      outWriter.flush();
      errWriter.flush();
    } finally {
      System.setOut(systemOut);
      System.setErr(systemErr);
    }
    done.set(true); // the client may leave from here on: the caller sends the status
    return new Outcome(status, inDoubt);
  }

  /** Reads the client's side until it closes; closed before the job is done: the client left. */
  private void watch() {
    ByteBuffer sink = ByteBuffer.allocate(64);
    try {
      while (client.read(sink) >= 0) {
        sink.clear();
      }
    } catch (IOException e) {
      // closed: below
    }
    if (!done.get()) {
      // to this JVM's own log: System.err is still the job's, and its client is gone
      ownErr.println("vitrail: the client left during its command; the resident JVM ends");
      ownErr.flush();
      clientLeft.run();
    }
  }
}
