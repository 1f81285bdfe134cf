package dev.vitrail.runtime.http;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.Multipart;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.FileIO;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Streams an uploaded video into a file as it arrives (the upload is backpressured by the disk
 * write; nothing is buffered in memory): the raw body ({@code video/*} or {@code
 * application/octet-stream}), or the first file part of a {@code multipart/form-data} body (other
 * parts are read and dropped). The size limit applies to the whole body while it streams.
 */
final class VideoUpload {
  private VideoUpload() {}

  /** The media types the endpoint reads, or a 415 naming them. */
  static String media(HttpRequest request) {
    var type = request.entity().getContentType().mediaType();
    String media = (type.mainType() + "/" + type.subType()).toLowerCase(Locale.ROOT);
    if (!media.startsWith("video/")
        && !media.equals("application/octet-stream")
        && !media.equals("multipart/form-data")) {
      throw new ApiException(
          ErrorKind.UNSUPPORTED_MEDIA_TYPE,
          "Content-Type '"
              + media
              + "': /v1/video takes the video file's bytes (video/*, application/octet-stream)"
              + " or multipart/form-data with one video file part");
    }
    return media;
  }

  /** Writes the video of {@code request} to {@code target}; fails with the error to answer. */
  static CompletionStage<Path> receive(
      HttpRequest request,
      String media,
      Path target,
      long maxBytes,
      ClassicActorSystemProvider system) {
    return write(request, media, target, maxBytes, system)
        .exceptionally(
            err -> {
              for (Throwable t = err; t != null; t = t.getCause()) {
                if (t instanceof EntityStreamSizeException) {
                  throw new ApiException(
                      ErrorKind.BODY_TOO_LARGE,
                      "the video exceeds vitrail.http.video.max-video-bytes = "
                          + maxBytes
                          + " bytes",
                      t);
                }
              }
              throw err instanceof CompletionException c ? c : new CompletionException(err);
            });
  }

  private static CompletionStage<Path> write(
      HttpRequest request,
      String media,
      Path target,
      long maxBytes,
      ClassicActorSystemProvider system) {
    HttpEntity entity = request.entity().withSizeLimit(maxBytes);
    Materializer mat = Materializer.matFromSystem(system);
    if (!media.equals("multipart/form-data")) {
      return entity.getDataBytes().runWith(FileIO.toPath(target), mat).thenApply(io -> target);
    }
    return Unmarshaller.entityToMultipartFormData()
        .unmarshal(entity, mat)
        .thenCompose(
            form ->
                form.getParts()
                    .map(part -> (Multipart.FormData.BodyPart) part)
                    .runWith(
                        Sink.<Boolean, Multipart.FormData.BodyPart>foldAsync(
                            false, (written, part) -> keep(written, part, target, mat, system)),
                        mat))
        .thenApply(
            written -> {
              if (!written) {
                throw new ApiException(
                    ErrorKind.MALFORMED_REQUEST,
                    "the multipart body has no file part; send the video as a file part"
                        + " (curl -F file=@clip.mp4)");
              }
              return target;
            });
  }

  /** Writes the first file part, drops every other part; whether a file was written. */
  private static CompletionStage<Boolean> keep(
      boolean written,
      Multipart.FormData.BodyPart part,
      Path target,
      Materializer mat,
      ClassicActorSystemProvider system) {
    boolean file = part.getFilename().isPresent();
    if (written || !file) {
      return part.getEntity().discardBytes(system).completionStage().thenApply(d -> written);
    }
    return part.getEntity()
        .getDataBytes()
        .runWith(FileIO.toPath(target), mat)
        .thenApply(io -> true);
  }

  /** Reads and drops a refused body (at most {@code maxBytes}), so the client reads the answer. */
  static CompletionStage<?> discard(
      HttpRequest request, long maxBytes, ClassicActorSystemProvider system) {
    return request
        .entity()
        .withSizeLimit(maxBytes)
        .discardBytes(system)
        .completionStage()
        .handle((d, e) -> d);
  }
}
