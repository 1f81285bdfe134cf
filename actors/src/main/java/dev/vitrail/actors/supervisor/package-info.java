/**
 * The supervisor: admits requests, balances items over workers, re-dispatches failures, answers
 * once.
 */
package dev.vitrail.actors.supervisor;
