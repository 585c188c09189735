package dev.mapreduce.engine.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ObjectPathTest {

    @Test
    void aPathSplitsIntoBucketAndKey() {
        assertThat(ObjectPath.parse("s3://logs/2026/a.log")).isEqualTo(new ObjectPath("logs", "2026/a.log"));
        assertThat(ObjectPath.parse("s3://logs")).isEqualTo(new ObjectPath("logs", ""));
        assertThat(ObjectPath.parse("s3://logs/")).isEqualTo(new ObjectPath("logs", ""));
        assertThat(ObjectPath.parse("s3://logs/2026/").toString()).isEqualTo("s3://logs/2026/");
    }

    @Test
    void aGlobIsListedFromTheKeyBeforeItsFirstGlobCharacter() {
        assertThat(ObjectPath.parse("s3://bkt/app/2026-*/x.log").listPrefix()).isEqualTo("app/2026-");
        assertThat(ObjectPath.parse("s3://bkt/{web,api}/x").listPrefix()).isEmpty();
        assertThat(ObjectPath.parse("s3://bkt/a?.log").isGlob()).isTrue();
        assertThat(ObjectPath.parse("s3://bkt/a[0-9].log").listPrefix()).isEqualTo("a");
        assertThat(ObjectPath.parse("s3://bkt/app/a.log").isGlob()).isFalse();
        assertThat(ObjectPath.parse("s3://bkt/app/a.log").listPrefix()).isEqualTo("app/a.log");
    }

    @Test
    void onlyS3PathsAreObjectPathsAndABucketMustBeValid() {
        assertThat(ObjectPath.isObjectPath("logs/s3://x")).isFalse();
        assertThat(ObjectPath.isObjectPath("s3://x/y")).isTrue();
        assertThat(ObjectPath.syntaxProblem("s3://logs-2026.eu/x")).isNull();
        assertThat(ObjectPath.syntaxProblem("s3://")).contains("must name a bucket");
        assertThat(ObjectPath.syntaxProblem("s3://Logs/x")).contains("must name a bucket");
        assertThat(ObjectPath.syntaxProblem("s3://ab/x")).contains("must name a bucket");
        assertThat(ObjectPath.syntaxProblem("s3://logs/a\nb")).contains("control characters");
        assertThatThrownBy(() -> ObjectPath.parse("logs/a.log")).isInstanceOf(IllegalArgumentException.class);
    }
}
