/**
 * Helpers shared by the services' Redis clients (the shuffle store, the gateway's rate limit), which
 * bring their own Lettuce: {@link dev.mapreduce.redis.RedisErrors}.
 */
package dev.mapreduce.redis;
