/** The shuffle store on one Redis server or a Redis Cluster ({@link dev.mapreduce.runtime.redis.RedisShuffleStore}). */
package dev.mapreduce.runtime.redis;
