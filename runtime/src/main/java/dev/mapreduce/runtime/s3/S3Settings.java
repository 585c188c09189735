package dev.mapreduce.runtime.s3;

/**
 * How the services reach an S3-compatible object store for {@code s3://} inputs.
 *
 * @param endpoint the store's URL ({@code MAPREDUCE_S3_ENDPOINT}), e.g. {@code http://127.0.0.1:9000};
 *     empty for AWS S3 itself
 * @param region the signing region ({@code MAPREDUCE_S3_REGION}); empty for the SDK's default region
 *     chain ({@code AWS_REGION}, profile), else {@code us-east-1}
 * @param pathStyle address buckets as {@code endpoint/bucket} rather than {@code bucket.endpoint}
 *     ({@code MAPREDUCE_S3_PATH_STYLE}), as most self-hosted stores want
 * @param accessKeyId with {@code secretAccessKey}, static credentials ({@code MAPREDUCE_S3_ACCESS_KEY_ID});
 *     both empty for the SDK's default credentials chain (environment, profile, web identity, instance role)
 * @param secretAccessKey ({@code MAPREDUCE_S3_SECRET_ACCESS_KEY})
 */
public record S3Settings(
        String endpoint, String region, boolean pathStyle, String accessKeyId, String secretAccessKey) {

    public S3Settings {
        endpoint = blankToEmpty(endpoint);
        region = blankToEmpty(region);
        accessKeyId = blankToEmpty(accessKeyId);
        secretAccessKey = blankToEmpty(secretAccessKey);
        if (accessKeyId.isEmpty() != secretAccessKey.isEmpty()) {
            throw new IllegalArgumentException(
                    "MAPREDUCE_S3_ACCESS_KEY_ID and MAPREDUCE_S3_SECRET_ACCESS_KEY go together: set both or neither");
        }
    }

    /** AWS S3 with the SDK's default region and credentials. */
    public static S3Settings defaults() {
        return new S3Settings("", "", false, "", "");
    }

    private static String blankToEmpty(String value) {
        return value == null ? "" : value.strip();
    }

    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", pathStyle=" + pathStyle + ", credentials="
                + (accessKeyId.isEmpty() ? "default chain" : "static " + accessKeyId) + "]";
    }
}
