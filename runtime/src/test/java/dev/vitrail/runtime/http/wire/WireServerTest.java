package dev.vitrail.runtime.http.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** The socket layer with an echo flow: the connection limit, a client that leaves, termination. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WireServerTest {
  static final byte[] REQUEST =
      "GET /x HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private ActorSystem system;

  @BeforeAll
  void start() {
    system = ActorSystem.create("wire-test");
  }

  @AfterAll
  void stop() {
    system.terminate();
  }

  private WireServer echo(int maxConnections) throws IOException {
    return WireServer.bind(
        "127.0.0.1",
        0,
        maxConnections,
        head -> false,
        remote -> Flow.of(ByteString.class),
        Materializer.matFromSystem(system),
        system.dispatcher());
  }

  private Socket connect(WireServer server) throws IOException {
    Socket s = new Socket(server.localAddress().getHostString(), server.localAddress().getPort());
    s.setSoTimeout(5000);
    return s;
  }

  private static void roundTrip(Socket s) throws IOException {
    s.getOutputStream().write(REQUEST);
    s.getOutputStream().flush();
    assertArrayEquals(REQUEST, s.getInputStream().readNBytes(REQUEST.length));
  }

  @Test
  void aClientOverTheLimitWaitsUntilAConnectionCloses() throws Exception {
    try (WireServer server = echo(2);
        Socket a = connect(server);
        Socket b = connect(server);
        Socket c = connect(server)) {
      roundTrip(a);
      roundTrip(b);
      c.getOutputStream().write(REQUEST);
      c.getOutputStream().flush();
      c.setSoTimeout(500);
      assertThrows(SocketTimeoutException.class, () -> c.getInputStream().read());
      a.close(); // one leaves: the waiting client is accepted and served
      c.setSoTimeout(5000);
      assertArrayEquals(REQUEST, c.getInputStream().readNBytes(REQUEST.length));
      roundTrip(b);
    }
  }

  @Test
  void terminationEndsEveryConnectionAndClosesThePort() throws Exception {
    WireServer server = echo(8);
    try (Socket a = connect(server)) {
      roundTrip(a);
      server.terminate(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
      InputStream in = a.getInputStream();
      assertEquals(-1, in.read(), "the connection is closed after termination");
      assertThrows(IOException.class, () -> connect(server).getInputStream().read());
    }
  }
}
