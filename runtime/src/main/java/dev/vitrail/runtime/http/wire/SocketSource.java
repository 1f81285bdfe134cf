package dev.vitrail.runtime.http.wire;

import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/** The bytes a client sends on one connection, read only when the stream asks for more. */
final class SocketSource extends GraphStage<SourceShape<ByteString>> {
  private final Outlet<ByteString> out = Outlet.create("SocketSource.out");
  private final SourceShape<ByteString> shape = SourceShape.of(out);
  private final WireConnection connection;

  SocketSource(WireConnection connection) {
    this.connection = connection;
  }

  @Override
  public SourceShape<ByteString> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new GraphStageLogic(shape) {
      {
        setHandler(
            out,
            new AbstractOutHandler() {
              @Override
              public void onPull() {
                connection.demand();
              }

              @Override
              public void onDownstreamFinish(Throwable cause) {
                connection.inputCancelled();
                completeStage();
              }
            });
      }

      @Override
      public void preStart() {
        connection.attachSource(
            createAsyncCallback((ByteString bytes) -> push(out, bytes)),
            createAsyncCallback((Boolean ignored) -> complete(out)));
      }
    };
  }
}
