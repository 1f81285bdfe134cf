package dev.vitrail.runtime.http.wire;

import java.io.IOException;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.SinkShape;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * The bytes the server answers on one connection: one element written at a time, the next asked for
 * only once it is written (the socket's send buffer is the only buffer). When the answers end, the
 * connection closes once the last bytes are written; a failure closes it at once.
 */
final class SocketSink extends GraphStage<SinkShape<ByteString>> {
  private final Inlet<ByteString> in = Inlet.create("SocketSink.in");
  private final SinkShape<ByteString> shape = SinkShape.of(in);
  private final WireConnection connection;

  SocketSink(WireConnection connection) {
    this.connection = connection;
  }

  @Override
  public SinkShape<ByteString> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new GraphStageLogic(shape) {
      {
        setHandler(
            in,
            new AbstractInHandler() {
              @Override
              public void onPush() {
                connection.write(grab(in));
              }

              @Override
              public void onUpstreamFinish() {
                connection.outputDone();
                completeStage();
              }

              @Override
              public void onUpstreamFailure(Throwable ex) {
                connection.abort();
                failStage(ex);
              }
            });
      }

      @Override
      public void preStart() {
        connection.attachSink(
            createAsyncCallback((Boolean ignored) -> pull(in)),
            createAsyncCallback(
                (Boolean ignored) -> failStage(new IOException("the connection is closed"))));
        pull(in);
      }

      @Override
      public void postStop() {
        if (!isClosed(in)) {
          connection.abort();
        }
      }
    };
  }
}
