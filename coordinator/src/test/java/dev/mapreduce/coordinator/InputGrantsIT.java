package dev.mapreduce.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.coordinator.job.InternalJobController;
import dev.mapreduce.protocol.InputGrants;
import dev.mapreduce.runtime.testing.TestS3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;

/**
 * A tenant reads only the inputs its grants name ({@link InputGrants#HEADER}, sent by the gateway),
 * and an input outside them gets exactly the answer of one that does not exist, names aside: the
 * answer tells nothing about other tenants' topics and files. Without the header every input is
 * readable, as for an admin.
 */
class InputGrantsIT extends ScriptedWorkersTestBase {

    private final String owner = "grants-" + UUID.randomUUID();

    @Test
    void aTopicOutsideTheGrantsIsAnsweredAsAMissingOne() throws Exception {
        String granted = JobLifecycleIT.topicWith(1, 3);
        String other = JobLifecycleIT.topicWith(1, 3);
        String missing = "lifecycle-" + UUID.randomUUID();
        String grants = "topic:" + granted;

        assertThat(submit(topicJob(granted), grants).getStatus().value()).isEqualTo(201);
        Map<?, ?> notGranted = refused(topicJob(other), grants);
        Map<?, ?> notThere = refused(topicJob(missing), grants);

        assertThat(withoutName(notGranted, other)).isEqualTo(withoutName(notThere, missing));
        assertThat(notGranted.get("title")).isEqualTo("Unknown input topic");
        assertThat(submit(topicJob(other), null).getStatus().value())
                .as("no header: every input")
                .isEqualTo(201);
        assertThat(jobsOf(owner)).isEqualTo(2);
    }

    @Test
    void aFolderOutsideTheGrantsAndALinkOutOfAGrantedFolderAreAnsweredAsMissingOnes() throws Exception {
        String mine = "grants-mine-" + UUID.randomUUID();
        String theirs = "grants-theirs-" + UUID.randomUUID();
        Files.createDirectories(INPUT_ROOT.resolve(theirs));
        Files.writeString(INPUT_ROOT.resolve(theirs).resolve("secret.log"), "secret\n");
        Path folder = Files.createDirectories(INPUT_ROOT.resolve(mine));
        Files.writeString(folder.resolve("a.log"), "mine\n");
        String grants = "path:" + mine + ",topic:nothing-else";

        assertThat(submit(pathJob(mine), grants).getStatus().value()).isEqualTo(201);
        Map<?, ?> notThere = refused(pathJob(theirs + "-missing/secret.log"), grants);
        for (String path : new String[] {theirs + "/secret.log", theirs, "./" + theirs, mine + "-x"}) {
            assertThat(withoutName(refused(pathJob(path), grants), path))
                    .as(path)
                    .isEqualTo(withoutName(notThere, theirs + "-missing/secret.log"));
        }

        Files.createSymbolicLink(
                folder.resolve("link.log"), INPUT_ROOT.resolve(theirs).resolve("secret.log"));
        assertThat(withoutName(refused(pathJob(mine), grants), mine))
                .as("a granted folder holding a link to another tenant's file")
                .isEqualTo(withoutName(notThere, theirs + "-missing/secret.log"));
        assertThat(withoutName(refused(pathJob(mine + "/link.log"), grants), mine + "/link.log"))
                .isEqualTo(withoutName(notThere, theirs + "-missing/secret.log"));
        assertThat(jobsOf(owner)).isEqualTo(1);
    }

    @Test
    void anObjectPrefixOutsideTheGrantsIsAnsweredAsAMissingOne(@TempDir Path temp) throws Exception {
        String bucket = "grants-" + UUID.randomUUID().toString().substring(0, 8);
        Path log = Files.writeString(temp.resolve("a.log"), "line\n");
        TestS3.upload(bucket, "mine/", List.of(log));
        TestS3.upload(bucket, "theirs/", List.of(log));
        String grants = "s3:s3://" + bucket + "/mine";

        assertThat(submit(pathJob("s3://" + bucket + "/mine/"), grants)
                        .getStatus()
                        .value())
                .isEqualTo(201);
        Map<?, ?> notThere = refused(pathJob("s3://" + bucket + "/nothing/"), "s3:s3://" + bucket);
        for (String path : List.of(
                "s3://" + bucket + "/theirs/",
                "s3://" + bucket + "/theirs/a.log",
                "s3://" + bucket + "/*/a.log",
                "s3://" + bucket + "/mine*",
                "s3://" + bucket + "/")) {
            assertThat(withoutName(refused(pathJob(path), grants), path))
                    .as(path)
                    .isEqualTo(withoutName(notThere, "s3://" + bucket + "/nothing/"));
        }
    }

    @Test
    void noGrantsReadNothingAndMalformedGrantsAreA400() throws Exception {
        String topic = JobLifecycleIT.topicWith(1, 1);

        assertThat(refused(topicJob(topic), "none").get("title")).isEqualTo("Unknown input topic");
        assertThat(submit(topicJob(topic), "file:/etc").getStatus().value()).isEqualTo(400);
        assertThat(jobsOf(owner)).isZero();
    }

    private EntityExchangeResult<Map> submit(String body, String grants) {
        var post = client.post()
                .uri("/internal/jobs")
                .contentType(MediaType.APPLICATION_JSON)
                .header(InternalJobController.OWNER_HEADER, owner);
        if (grants != null) {
            post.header(InputGrants.HEADER, grants);
        }
        return post.body(body).exchange().expectBody(Map.class).returnResult();
    }

    private Map<?, ?> refused(String body, String grants) {
        EntityExchangeResult<Map> answer = submit(body, grants);
        assertThat(answer.getStatus().value()).as(body).isEqualTo(422);
        assertThat(answer.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        return answer.getResponseBody();
    }

    /** The answer with the input's name taken out of its texts, and without the request's path. */
    private static String withoutName(Map<?, ?> problem, String name) {
        Map<Object, Object> copy = new TreeMap<>();
        problem.forEach((k, v) -> copy.put(k, v));
        copy.remove("instance");
        return copy.toString().replace(name, "<input>");
    }

    private static String topicJob(String topic) {
        return "{\"jobName\":\"granted\",\"inputTopic\":\"" + topic + "\",\"numMappers\":1,\"numReducers\":1}";
    }

    private static String pathJob(String path) {
        return "{\"jobName\":\"granted\",\"inputPath\":\"" + path + "\",\"numMappers\":1,\"numReducers\":1}";
    }

    private int jobsOf(String tenant) {
        return jdbc.queryForObject("SELECT count(*) FROM jobs WHERE owner = ?", Integer.class, tenant);
    }
}
