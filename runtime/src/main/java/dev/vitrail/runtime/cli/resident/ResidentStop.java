package dev.vitrail.runtime.cli.resident;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@code vitrail resident stop}: ends this user's resident JVMs and removes what they left. */
public final class ResidentStop {
  private ResidentStop() {}

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
      try (SocketChannel channel = ResidentConnections.connect(socket)) {
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
      if (!Files.exists(socket) && !ResidentLock.held(lock)) {
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
}
