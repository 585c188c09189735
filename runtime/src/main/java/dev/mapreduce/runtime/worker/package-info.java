/**
 * The worker side both kinds of worker share, as Spring beans ({@link dev.mapreduce.runtime.worker.WorkerBeans}):
 * settings, the task consumer's lifecycle, health, and how a failure is worded in its event.
 */
package dev.mapreduce.runtime.worker;
