package dev.mapreduce.runtime.s3;

import dev.mapreduce.engine.input.FileSplitter;
import dev.mapreduce.engine.input.ObjectPath;
import dev.mapreduce.engine.input.RangeOpener;
import dev.mapreduce.runtime.s3.ObjectStoreException.Reason;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The object store behind {@code s3://} inputs (AWS SDK v2, sync client over the JDK's HTTP
 * client): lists what an {@link ObjectPath} names and opens objects for ranged reads. The client is
 * built on first use, so a service that never reads {@code s3://} needs no region or credentials.
 */
public final class S3Store implements AutoCloseable {

    /** One object: its {@code s3://} name, for splits and samples, and its size. */
    public record StoredObject(String bucket, String key, long size) {

        public String uri() {
            return ObjectPath.uri(bucket, key);
        }

        public boolean gzip() {
            return FileSplitter.isGzip(key);
        }
    }

    private final S3Settings settings;
    private S3Client client;

    public S3Store(S3Settings settings) {
        this.settings = settings;
    }

    /**
     * The objects {@code path} names, sorted by key: the object with exactly its key if there is one,
     * else those directly under {@code key/} (or matching its glob), skipping names that start with
     * {@code .} or {@code _} as folders do.
     *
     * @throws ObjectStoreException NOT_FOUND for a missing bucket or no objects
     */
    public List<StoredObject> list(ObjectPath path) throws ObjectStoreException {
        S3Client s3 = client();
        String bucket = path.bucket();
        call("find bucket " + bucket, () -> s3.headBucket(b -> b.bucket(bucket)));
        List<StoredObject> found = new ArrayList<>();
        if (path.isGlob()) {
            PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + path.key());
            for (S3Object o : listAll(bucket, path.listPrefix(), false, new ArrayList<>())) {
                if (!o.key().endsWith("/") && glob.matches(Path.of(o.key())) && visible(o.key())) {
                    found.add(new StoredObject(bucket, o.key(), o.size()));
                }
            }
        } else {
            if (!path.key().isEmpty() && !path.key().endsWith("/")) {
                Long size = sizeIfExists(bucket, path.key());
                if (size != null) {
                    return List.of(new StoredObject(bucket, path.key(), size));
                }
            }
            String prefix = path.key().isEmpty() || path.key().endsWith("/") ? path.key() : path.key() + "/";
            for (S3Object o : listAll(bucket, prefix, true, new ArrayList<>())) {
                if (!o.key().endsWith("/") && visible(o.key())) {
                    found.add(new StoredObject(bucket, o.key(), o.size()));
                }
            }
        }
        if (found.isEmpty()) {
            throw new ObjectStoreException(Reason.NOT_FOUND, "no objects at " + path, null);
        }
        found.sort((a, b) -> a.key().compareTo(b.key()));
        return found;
    }

    /** The size of an object. @throws ObjectStoreException NOT_FOUND if it does not exist */
    public long size(String bucket, String key) throws ObjectStoreException {
        Long size = sizeIfExists(bucket, key);
        if (size == null) {
            throw new ObjectStoreException(Reason.NOT_FOUND, ObjectPath.uri(bucket, key) + " does not exist", null);
        }
        return size;
    }

    /** Opens an object of {@code size} bytes at any offset, with ranged GETs. */
    public RangeOpener opener(String bucket, String key, long size) {
        S3Client s3 = client();
        return (from, until) -> new RangedObjectStream(s3, bucket, key, size, from, until);
    }

    private Long sizeIfExists(String bucket, String key) throws ObjectStoreException {
        S3Client s3 = client();
        try {
            return s3.headObject(b -> b.bucket(bucket).key(key)).contentLength();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw translate("read " + ObjectPath.uri(bucket, key), e);
        } catch (SdkException e) {
            throw translate("read " + ObjectPath.uri(bucket, key), e);
        }
    }

    private List<S3Object> listAll(String bucket, String prefix, boolean direct, List<S3Object> into)
            throws ObjectStoreException {
        ListObjectsV2Request.Builder request =
                ListObjectsV2Request.builder().bucket(bucket).prefix(prefix);
        if (direct) {
            request.delimiter("/");
        }
        S3Client s3 = client();
        String token = null;
        do {
            ListObjectsV2Request page = request.continuationToken(token).build();
            ListObjectsV2Response response =
                    call("list " + ObjectPath.uri(bucket, prefix), () -> s3.listObjectsV2(page));
            into.addAll(response.contents());
            token = Boolean.TRUE.equals(response.isTruncated()) ? response.nextContinuationToken() : null;
        } while (token != null);
        return into;
    }

    private static boolean visible(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        return !name.startsWith(".") && !name.startsWith("_");
    }

    /** Runs one request, turning the SDK's unchecked exceptions into an {@link ObjectStoreException}. */
    static <T> T call(String what, Supplier<T> request) throws ObjectStoreException {
        try {
            return request.get();
        } catch (SdkException e) {
            throw translate(what, e);
        }
    }

    private static ObjectStoreException translate(String what, SdkException e) {
        if (e instanceof S3Exception s3) {
            String code =
                    s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            String detail = code == null ? "HTTP " + s3.statusCode() : code;
            return switch (s3.statusCode()) {
                case 404, 301 -> new ObjectStoreException(Reason.NOT_FOUND, "cannot " + what + ": " + detail, e);
                case 400, 401, 403 ->
                    new ObjectStoreException(
                            Reason.ACCESS_DENIED, "cannot " + what + ": access denied (" + detail + ")", e);
                default -> new ObjectStoreException(Reason.UNAVAILABLE, "cannot " + what + ": " + detail, e);
            };
        }
        if (e instanceof SdkClientException
                && e.getMessage() != null
                && e.getMessage().contains("credentials")) {
            return new ObjectStoreException(Reason.ACCESS_DENIED, "cannot " + what + ": no usable credentials", e);
        }
        return new ObjectStoreException(Reason.UNAVAILABLE, "cannot " + what + ": " + e.getMessage(), e);
    }

    private synchronized S3Client client() {
        if (client == null) {
            S3ClientBuilder builder = S3Client.builder()
                    .httpClientBuilder(UrlConnectionHttpClient.builder())
                    .region(region())
                    .credentialsProvider(credentials())
                    .forcePathStyle(settings.pathStyle())
                    // checksums only where S3 requires them: S3-compatible stores that predate the SDK's
                    // default CRC trailers (S3Proxy, older MinIO) refuse requests that carry them
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
            if (settings.endpoint().isEmpty()) {
                builder.crossRegionAccessEnabled(true);
            } else {
                builder.endpointOverride(URI.create(settings.endpoint()));
            }
            client = builder.build();
        }
        return client;
    }

    private Region region() {
        if (!settings.region().isEmpty()) {
            return Region.of(settings.region());
        }
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkClientException e) {
            return Region.US_EAST_1;
        }
    }

    private AwsCredentialsProvider credentials() {
        if (settings.accessKeyId().isEmpty()) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(
                AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey()));
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
        }
    }
}
