/**
 * The services' container health check, a plain Java main that the images run (they have no curl):
 * {@link dev.mapreduce.health.HealthProbe}.
 */
package dev.mapreduce.health;
