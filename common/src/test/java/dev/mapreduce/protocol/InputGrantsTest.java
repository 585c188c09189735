package dev.mapreduce.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mapreduce.engine.input.ObjectPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a tenant's input grants let it read, and the grants that are refused. */
class InputGrantsTest {

    final InputGrants acme = InputGrants.parse("topic:acme-*, topic:shared, path:acme/logs, s3:s3://lake/acme/");

    @Test
    void aTopicPatternMatchesWholeNamesOnly() {
        assertThat(acme.mayReadTopic("acme-web")).isTrue();
        assertThat(acme.mayReadTopic("acme-")).isTrue();
        assertThat(acme.mayReadTopic("shared")).isTrue();
        assertThat(acme.mayReadTopic("shared-2")).isFalse();
        assertThat(acme.mayReadTopic("xacme-web")).isFalse();
        assertThat(acme.mayReadTopic("application-logs")).isFalse();
    }

    @Test
    void aPatternsDotIsALiteralDot() {
        InputGrants grants = InputGrants.parse("topic:a.b");

        assertThat(grants.mayReadTopic("a.b")).isTrue();
        assertThat(grants.mayReadTopic("axb")).isFalse();
    }

    @Test
    void aFolderGrantsItselfAndWhatIsBelowItButNotItsNeighbours() {
        assertThat(acme.mayReadPath("acme/logs")).isTrue();
        assertThat(acme.mayReadPath("acme/logs/")).isTrue();
        assertThat(acme.mayReadPath("./acme//logs/./2026/a.log")).isTrue();
        assertThat(acme.mayReadPath("acme/logs-old/a.log")).isFalse();
        assertThat(acme.mayReadPath("acme")).isFalse();
        assertThat(acme.mayReadPath("globex/logs")).isFalse();
        assertThat(acme.mayReadPath(".")).isFalse();
    }

    @Test
    void pathStarGrantsTheWholeInputRoot() {
        InputGrants grants = InputGrants.parse("path:*");

        assertThat(grants.mayReadPath(".")).isTrue();
        assertThat(grants.mayReadPath("anything/at/all")).isTrue();
    }

    @Test
    void anObjectPrefixGrantsKeysInItsFolderOfItsBucketOnly() {
        assertThat(acme.mayReadObjects(ObjectPath.parse("s3://lake/acme"))).isTrue();
        assertThat(acme.mayReadObjects(ObjectPath.parse("s3://lake/acme/2026/a.log.gz")))
                .isTrue();
        assertThat(acme.mayReadObjects(ObjectPath.parse("s3://lake/acme/*.gz"))).isTrue();
        assertThat(acme.mayReadObjects(ObjectPath.parse("s3://lake/acme*"))).isFalse();
        assertThat(acme.mayReadObjects(ObjectPath.parse("s3://lake/acme-old/a.log")))
                .isFalse();
        assertThat(acme.mayReadObjects(ObjectPath.parse("s3://lake/"))).isFalse();
        assertThat(acme.mayReadObjects(ObjectPath.parse("s3://other/acme/a.log")))
                .isFalse();
    }

    @Test
    void aBucketGrantReadsTheWholeBucket() {
        InputGrants grants = InputGrants.parse("s3:s3://lake");

        assertThat(grants.mayReadObjects(ObjectPath.parse("s3://lake/any/*.log")))
                .isTrue();
        assertThat(grants.mayReadObjects(ObjectPath.parse("s3://lakes/x"))).isFalse();
    }

    @Test
    void noneAndNothingGrantNothingAndAllGrantsEverything() {
        for (InputGrants nothing :
                new InputGrants[] {InputGrants.parse("none"), InputGrants.parse(""), InputGrants.NONE}) {
            assertThat(nothing.mayReadTopic("application-logs")).isFalse();
            assertThat(nothing.mayReadPath("logs")).isFalse();
            assertThat(nothing.mayReadObjects(ObjectPath.parse("s3://lake/a"))).isFalse();
        }
        assertThat(InputGrants.ALL.mayReadTopic("application-logs")).isTrue();
        assertThat(InputGrants.ALL.mayReadPath(".")).isTrue();
        assertThat(InputGrants.ALL.mayReadObjects(ObjectPath.parse("s3://lake/a")))
                .isTrue();
    }

    @Test
    void theTextReadsBackAsTheSameGrants() {
        assertThat(InputGrants.parse(acme.text())).isEqualTo(acme);
        assertThat(acme.text()).isEqualTo("topic:acme-*,topic:shared,path:acme/logs,s3:s3://lake/acme");
        assertThat(InputGrants.NONE.text()).isEqualTo("none");
        assertThatThrownBy(InputGrants.ALL::text).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "topic:",
                "topic:bad topic",
                "topic:a,b:c",
                "file:x",
                "acme-*",
                "path:../x",
                "path:/etc",
                "path:.",
                "path:a\\b",
                "s3:lake/acme",
                "s3:s3://UPPER/x",
                "s3:s3://lake/*.gz"
            })
    void aMalformedGrantIsRefusedByName(String text) {
        assertThatThrownBy(() -> InputGrants.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("input grant");
    }
}
