package dev.vitrail.bench.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpAnswerReaderTest {
  private static ReadableByteChannel channel(String bytes) {
    return Channels.newChannel(
        new ByteArrayInputStream(bytes.getBytes(StandardCharsets.ISO_8859_1)));
  }

  @Test
  void readsAnswersBackToBackOnOneConnection() throws IOException {
    String body = "x".repeat(40_000);
    ReadableByteChannel in =
        channel(
            "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 5\r\n\r\nbusy!"
                + "HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3;ext=1\r\nabc\r\n"
                + Integer.toHexString(body.length())
                + "\r\n"
                + body
                + "\r\n0\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
    HttpAnswerReader reader = new HttpAnswerReader(in);
    assertEquals(new HttpAnswerReader.Answer(503, true), reader.read());
    assertEquals(new HttpAnswerReader.Answer(200, true), reader.read(), "100 is skipped");
    assertEquals(new HttpAnswerReader.Answer(200, false), reader.read());
  }

  @Test
  void anAnswerWithoutFramingEndsWithTheConnection() throws IOException {
    HttpAnswerReader.Answer answer =
        new HttpAnswerReader(channel("HTTP/1.1 200 OK\r\n\r\nuntil the end")).read();
    assertEquals(200, answer.status());
    assertFalse(answer.keepAlive());
  }

  @Test
  void aCutAnswerIsAnError() {
    assertThrows(
        EOFException.class,
        () ->
            new HttpAnswerReader(channel("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort"))
                .read());
    IOException e =
        assertThrows(IOException.class, () -> new HttpAnswerReader(channel("SSH-2.0\r\n")).read());
    assertTrue(e.getMessage().contains("not an HTTP/1.1 answer"), e.getMessage());
  }
}
