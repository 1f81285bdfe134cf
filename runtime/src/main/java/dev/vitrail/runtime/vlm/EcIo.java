package dev.vitrail.runtime.vlm;

import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The two file-system steps of an atomic write, replaceable in tests (a full disk, a crash before
 * the rename): create a new temporary file, then rename it over the target.
 */
public interface EcIo {
  /** A stream to a new file; closing it flushes the data to the device. */
  OutputStream create(Path temp) throws IOException;

  /** Renames {@code temp} to {@code target} atomically, replacing any file there. */
  void publish(Path temp, Path target) throws IOException;

  /** The real file system: exclusive create, fsync on close, atomic rename. */
  static EcIo files() {
    return new EcIo() {
      @Override
      public OutputStream create(Path temp) throws IOException {
        Files.createFile(temp);
        FileOutputStream file = new FileOutputStream(temp.toFile());
        return new FilterOutputStream(file) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
          }

          @Override
          public void close() throws IOException {
            try (file) {
              file.flush();
              file.getFD().sync();
            }
          }
        };
      }

      @Override
      public void publish(Path temp, Path target) throws IOException {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      }
    };
  }
}
