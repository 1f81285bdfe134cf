package dev.vitrail.runtime.cli.resident;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.WritableByteChannel;

/**
 * A job's standard output or error as frames on the client's channel. Both streams of a job share
 * {@code lock}, so their frames never interleave mid-frame and reach the client in writing order.
 */
final class FrameOutputStream extends OutputStream {
  private final WritableByteChannel channel;
  private final byte type;
  private final Object lock;

  FrameOutputStream(WritableByteChannel channel, byte type, Object lock) {
    this.channel = channel;
    this.type = type;
    this.lock = lock;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      int n = Math.min(len, ResidentProtocol.MAX_PAYLOAD);
      synchronized (lock) {
        ResidentProtocol.writeFrame(channel, type, b, off, n);
      }
      off += n;
      len -= n;
    }
  }
}
