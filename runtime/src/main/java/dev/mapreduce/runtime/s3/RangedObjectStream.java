package dev.mapreduce.runtime.s3;

import java.io.IOException;
import java.io.InputStream;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * An object's bytes from an offset, fetched with ranged GETs: first up to where the reader expects
 * to stop (plus a margin for the rest of its last line), then in growing chunks only while it reads
 * on. Closing it early aborts the open response instead of draining it.
 */
final class RangedObjectStream extends InputStream {

    /** Past a split's end, the first GET fetches this much more: most last lines end within it. */
    static final long MARGIN = 64 << 10;

    static final long FIRST_CHUNK = 1 << 20;
    static final long MAX_CHUNK = 16 << 20;

    private final S3Client client;
    private final String bucket;
    private final String key;
    private final long size;
    private long position;
    private long fetchedTo;
    private long nextChunk;
    private ResponseInputStream<GetObjectResponse> current;

    RangedObjectStream(S3Client client, String bucket, String key, long size, long from, long until) {
        this.client = client;
        this.bucket = bucket;
        this.key = key;
        this.size = size;
        this.position = from;
        this.fetchedTo = from;
        this.nextChunk = Math.max(1, Math.max(until, from) - from + MARGIN);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (position < size) {
            if (current == null && !fetch()) {
                return -1;
            }
            int n = current.read(buf, off, (int) Math.min(len, fetchedTo - position));
            if (n > 0) {
                position += n;
                if (position >= fetchedTo) {
                    current.close();
                    current = null;
                }
                return n;
            }
            if (position < fetchedTo) {
                throw new IOException("s3://" + bucket + "/" + key + " ended at byte " + position + " of " + fetchedTo
                        + " asked for: it changed while being read");
            }
            current.close();
            current = null;
        }
        return -1;
    }

    private boolean fetch() throws IOException {
        if (position >= size) {
            return false;
        }
        long end = Math.min(size, position + nextChunk);
        nextChunk = Math.min(MAX_CHUNK, Math.max(FIRST_CHUNK, nextChunk * 2));
        GetObjectRequest request = GetObjectRequest.builder()
                .bucket(bucket)
                .key(key)
                .range("bytes=" + position + "-" + (end - 1))
                .build();
        current = S3Store.call("read s3://" + bucket + "/" + key, () -> client.getObject(request));
        fetchedTo = end;
        return true;
    }

    @Override
    public void close() throws IOException {
        if (current != null) {
            current.abort();
            current.close();
            current = null;
        }
    }
}
