package dev.vitrail.runtime.cli.resident;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * The lock that makes one resident JVM per socket. Its file stays when its JVM ends: deleting it
 * could let two JVMs lock two files of one name ({@code vitrail resident stop} removes the ones
 * nobody holds).
 */
final class ResidentLock {
  /** How long a new resident JVM waits for the lock while the one before it ends. */
  static final Duration WAIT = Duration.ofSeconds(5);

  private static final long POLL_MILLIS = 20;

  private ResidentLock() {}

  /**
   * The lock for {@code socket}, or null when another resident JVM still holds it after {@link
   * #WAIT}: one that serves (two clients started one each, and the other won), not one that is
   * ending (a stop, an idle end), which lets it go within milliseconds. Whether the holder serves
   * is not asked: a JVM that has taken a stop still listens until its loop ends.
   */
  static FileLock acquire(Path socket) throws IOException {
    FileChannel channel =
        FileChannel.open(
            ResidentPlace.lockOf(socket), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException heldHere) {
        lock = null; // held by this JVM (tests)
      }
      if (lock != null) {
        return lock;
      }
      if (System.nanoTime() > deadline) {
        channel.close();
        return null;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        channel.close();
        throw new InterruptedIOException("interrupted while waiting for the lock");
      }
    }
  }

  /** Whether a resident JVM holds {@code lockFile} (it starts, serves, or is ending). */
  static boolean held(Path lockFile) throws IOException {
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
}
