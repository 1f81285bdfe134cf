/** Tests of scale-out on Pekko Cluster: cross-node serialization and remote workers. */
package dev.vitrail.actors.cluster;
