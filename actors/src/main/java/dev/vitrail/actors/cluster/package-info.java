/**
 * Scale-out on Pekko Cluster: worker nodes, receptionist discovery and the cross-node message
 * marker.
 */
package dev.vitrail.actors.cluster;
