package io.personalize.job.demo;

import io.personalize.job.events.DeduplicateFunction;
import io.personalize.job.events.ParseFunction;
import io.personalize.tables.CatalogSettings;
import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code personalize run} prints when a bounded run ends: one screen with the records read,
 * the dead letters by reason, the rows of every table and the decisions by outcome, read back from
 * the tables (so they count a resumed run's earlier part too).
 */
public final class RunSummary {
    private RunSummary() {}

    public static void print(
            PrintStream out,
            double seconds,
            Map<String, Object> accumulators,
            CatalogSettings catalog) {
        out.printf("== personalize run: finished in %.1f s ==%n", seconds);
        out.printf(
                "this start read %,d records: %,d valid, %,d duplicates dropped%n",
                number(accumulators, ParseFunction.RECORDS_READ),
                number(accumulators, ParseFunction.EVENTS_VALID),
                number(accumulators, DeduplicateFunction.DUPLICATES));
        Map<String, Long> deadLetters = TableStatusReader.deadLettersByReason(catalog);
        out.printf("dead letters by reason: %s%n", deadLetters.isEmpty() ? "none" : deadLetters);
        out.println("tables (rows read back from Iceberg)");
        TableStatusReader.read(catalog)
                .forEach((table, status) -> out.printf("  %-27s %,d%n", table, status.rows()));
        Map<String, Long> outcomes = new TreeMap<>();
        TableStatusReader.decisions(catalog)
                .values()
                .forEach(byOutcome -> byOutcome.forEach((o, n) -> outcomes.merge(o, n, Long::sum)));
        out.printf("decisions by final outcome: %s%n", outcomes.isEmpty() ? "none" : outcomes);
        out.printf(
                "catalog %s, warehouse %s, namespace %s%n",
                catalog.uri(), catalog.warehouse(), catalog.namespace());
    }

    private static long number(Map<String, Object> accumulators, String name) {
        return accumulators.get(name) instanceof Number n ? n.longValue() : 0L;
    }
}
