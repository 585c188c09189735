package dev.mapreduce.runtime.redis;

import io.lettuce.core.RedisURI;

/**
 * The credentials every connection to Redis (the one server, or each node of a cluster) presents:
 * {@code AUTH password} when only a password is set ({@code requirepass}), {@code AUTH username
 * password} when both are (an ACL user). Set from {@code REDIS_USERNAME} and {@code REDIS_PASSWORD};
 * credentials written in a {@code redis://user:password@host} URL are kept when these are blank.
 *
 * @param username the ACL user; blank: the {@code default} user
 * @param password the password; blank: no AUTH beyond what the URL says
 */
public record RedisAuth(String username, String password) {

    /** No credentials: the URL's own, if any. */
    public static final RedisAuth NONE = new RedisAuth("", "");

    public RedisAuth {
        username = username == null ? "" : username.strip();
        password = password == null ? "" : password;
        if (!username.isEmpty() && password.isEmpty()) {
            throw new IllegalArgumentException("REDIS_USERNAME is set ('" + username + "') but REDIS_PASSWORD is not:"
                    + " an ACL user needs its password");
        }
    }

    /** Whether a password is configured. */
    public boolean enabled() {
        return !password.isEmpty();
    }

    /** Puts these credentials on {@code uri} (replacing the URL's own) when a password is set. */
    public RedisURI applyTo(RedisURI uri) {
        if (!enabled()) {
            return uri;
        }
        if (username.isEmpty()) {
            uri.setAuthentication(password);
        } else {
            uri.setAuthentication(username, password);
        }
        return uri;
    }

    /** Never shows the password: a record's own toString would. */
    @Override
    public String toString() {
        return "RedisAuth[username=" + (username.isEmpty() ? "default" : username) + ", password="
                + (enabled() ? "(hidden)" : "none") + "]";
    }
}
