package io.personalize.job.replay;

import io.personalize.job.report.WhatIfReport;
import io.personalize.job.report.WhatIfReportFiles;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;

/**
 * {@code replay --what-if}: both runs of {@link WhatIfRunner}, then the report of {@link
 * WhatIfReport} written into a folder.
 */
public final class WhatIfReplay {
    private WhatIfReplay() {}

    /** Runs both, writes the report into {@code reportDir}; returns its summary page. */
    public static Path run(
            Configuration conf,
            String hashSecret,
            WhatIfRunner.Request request,
            Path reportDir,
            PrintStream out)
            throws Exception {
        WhatIfRunner.Result result = WhatIfRunner.run(conf, hashSecret, request, out);
        // the exported history is not part of the report
        Files.deleteIfExists(request.workDir().resolve("events.jsonl"));
        WhatIfReport report =
                WhatIfReport.read(
                        result.current().tables(),
                        result.proposed().tables(),
                        result.current().settings().segments(),
                        result.proposed().settings().segments(),
                        result.events());
        out.printf(
                "what-if: %,d events replayed twice in %.1f s into %s and %s%n",
                result.events(),
                result.seconds(),
                result.current().tables().namespace(),
                result.proposed().tables().namespace());
        return WhatIfReportFiles.write(
                report,
                "What-if: "
                        + (request.flows() != null ? request.flows().getFileName() : "")
                        + (request.flows() != null && request.segments() != null ? " + " : "")
                        + (request.segments() != null ? request.segments().getFileName() : ""),
                reportDir);
    }
}
