package dev.mapreduce.cli;

/** Answers shaped exactly as docs/api.md describes them. */
final class ApiExamples {

    static final String JOB_ID = "3f2b8c1e-6a4d-4e9b-9c7a-1d2e3f4a5b6c";

    private ApiExamples() {}

    /** The job view of {@code GET /api/jobs/{id}} (and of the submit and cancel answers). */
    static String job(String status, double mapProgress, double reduceProgress, long recordsRead, String error) {
        boolean ended = status.equals("COMPLETED") || status.equals("FAILED") || status.equals("CANCELLED");
        return """
                {"jobId":"%s","jobName":"word-count-analysis","status":"%s","owner":"team-a",
                 "inputTopic":"application-logs","inputPath":null,"from":"2026-11-20T00:00:00Z","to":null,
                 "numMappers":4,"numReducers":2,"mapFunction":"WORD_COUNT","reduceFunction":"SUM",
                 "parameters":{},"combiner":true,
                 "createdAt":"2026-11-20T10:00:00.123456Z","startedAt":"2026-11-20T10:00:00.200Z",
                 "mapCompletedAt":null,"completedAt":%s,"durationMs":%s,"inputRecords":100000,
                 "totalMapTasks":4,"completedMapTasks":%d,"totalReduceTasks":2,"completedReduceTasks":%d,
                 "mapProgress":%s,"reduceProgress":%s,"progress":%s,
                 "counters":{"recordsRead":%d,"malformedRecords":7,"mapOutputRecords":900000,
                   "combineOutputRecords":1200,"shuffleBytes":48213,"reduceInputRecords":1200,"outputRecords":431},
                 "error":%s,
                 "resultsQuery":"SELECT result_key, result_value FROM results WHERE job_id = '%s' ORDER BY result_value DESC LIMIT 20;",
                 "resultsUrl":"/api/jobs/%s/results"}
                """
                .formatted(
                        JOB_ID,
                        status,
                        ended ? "\"2026-11-20T10:00:12.545Z\"" : "null",
                        ended ? "12345" : "null",
                        (int) (mapProgress * 4 / 100),
                        (int) (reduceProgress * 2 / 100),
                        mapProgress,
                        reduceProgress,
                        (mapProgress + reduceProgress) / 2,
                        recordsRead,
                        error == null ? "null" : "\"" + error + "\"",
                        JOB_ID,
                        JOB_ID);
    }

    static String job(String status, double mapProgress, double reduceProgress, long recordsRead) {
        return job(status, mapProgress, reduceProgress, recordsRead, null);
    }

    static String results(int offset, String... keyValuePairs) {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < keyValuePairs.length; i += 2) {
            rows.append(i == 0 ? "" : ",")
                    .append("{\"key\":\"")
                    .append(keyValuePairs[i])
                    .append("\",\"value\":")
                    .append(keyValuePairs[i + 1])
                    .append("}");
        }
        return "{\"jobId\":\"" + JOB_ID + "\",\"order\":\"value_desc\",\"offset\":" + offset + ",\"results\":[" + rows
                + "]}";
    }
}
