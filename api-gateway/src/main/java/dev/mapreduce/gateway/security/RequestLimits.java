package dev.mapreduce.gateway.security;

import java.util.OptionalLong;

/** A rate limit per client (a tenant, or a client address): in this gateway's memory, or shared in Redis. */
interface RequestLimits {

    /**
     * Takes one permission from {@code client}'s limit: empty when granted, else how long until the
     * next permission, in nanoseconds.
     */
    OptionalLong acquire(String client);
}
