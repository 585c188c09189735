package dev.mapreduce.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class VersionTest {

    @Test
    void versionNamesTheCommitItWasBuiltFrom() {
        StringWriter out = new StringWriter();
        int code = Mr.execute(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "--version");

        assertThat(code).isZero();
        // the build writes git.properties (git-commit-id-maven-plugin); a clone always has a commit
        assertThat(out.toString())
                .matches("(?s)mr \\S.* \\(commit [0-9a-f]{7,}(, with uncommitted changes)?, \\d{4}-.*\\)\\R");
    }
}
