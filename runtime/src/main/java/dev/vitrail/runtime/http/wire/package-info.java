/**
 * The HTTP server's own socket layer, under Pekko HTTP's server layer: it accepts and reads
 * connections with NIO and frames HTTP/1.1 requests by their {@code Content-Length}, so that a
 * request body the server would refuse anyway (503 busy, shutting down) is dropped as it arrives,
 * below the HTTP parser, while Pekko still answers the request (in order, on a kept-alive
 * connection). Everything else passes through to Pekko unchanged.
 */
package dev.vitrail.runtime.http.wire;
