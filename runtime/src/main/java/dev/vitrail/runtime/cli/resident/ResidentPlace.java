package dev.vitrail.runtime.cli.resident;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * The private folder that holds the resident JVMs' sockets, locks and logs: {@code
 * $XDG_RUNTIME_DIR/vitrail}, else {@code <tmp>/vitrail-<user>}; the {@code vitrail.resident.dir}
 * property names another (tests). Only its owner may use it (mode 700): whoever can connect to a
 * socket there can run commands as its owner.
 */
record ResidentPlace(Path dir) {
  /** System property naming the folder in place of the default. */
  static final String DIR_PROPERTY = "vitrail.resident.dir";

  private static final Set<PosixFilePermission> PRIVATE =
      PosixFilePermissions.fromString("rwx------");

  /** The folder for this user, made if missing; throws if it exists and is not private. */
  static ResidentPlace find(Map<String, String> env) throws IOException {
    String named = System.getProperty(DIR_PROPERTY);
    Path dir;
    if (named != null && !named.isBlank()) {
      dir = Path.of(named);
    } else if (env.get("XDG_RUNTIME_DIR") != null
        && Files.isDirectory(Path.of(env.get("XDG_RUNTIME_DIR")))) {
      dir = Path.of(env.get("XDG_RUNTIME_DIR"), "vitrail");
    } else {
      dir =
          Path.of(
              System.getProperty("java.io.tmpdir"), "vitrail-" + System.getProperty("user.name"));
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE));
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // made by another client meanwhile: checked below
      }
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
        || !ownedByThisProcess(dir)
        || !Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(PRIVATE)) {
      throw new IOException(dir + " is not a folder private to " + System.getProperty("user.name"));
    }
    return new ResidentPlace(dir);
  }

  /** Whether this process's user owns {@code dir} (by user id: a user may have no name). */
  private static boolean ownedByThisProcess(Path dir) throws IOException {
    Object self = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    return self.equals(Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS));
  }

  Path socket(String key) {
    return dir.resolve(key + ".sock");
  }

  /** The lock a resident JVM holds while it listens on {@code key}'s socket, and until it ends. */
  Path lock(String key) {
    return lockOf(socket(key));
  }

  /** The lock that goes with {@code socket}. */
  static Path lockOf(Path socket) {
    return socket.resolveSibling(socket.getFileName() + ".lock");
  }

  /** Where the resident JVM for {@code key} writes what it says outside its commands. */
  Path log(String key) {
    return logOf(socket(key));
  }

  /** The log that goes with {@code socket}. */
  static Path logOf(Path socket) {
    String name = socket.getFileName().toString();
    if (name.endsWith(".sock")) {
      name = name.substring(0, name.length() - ".sock".length());
    }
    return socket.resolveSibling(name + ".log");
  }
}
