package io.personalize.job.cli;

import io.personalize.core.events.Event;
import io.personalize.core.privacy.PersonalDataScrubber;
import io.personalize.job.config.ConfigException;
import io.personalize.job.config.ConfigLoader;
import io.personalize.job.config.JobSettings;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.CustomerErasure;
import io.personalize.tables.ErasureTable;
import io.personalize.tables.Tables;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tables erase}: operations on the job's tables while the job is stopped. */
@Command(
        name = "tables",
        mixinStandardHelpOptions = true,
        description = "Operations on the job's tables (run them while the job is stopped).",
        subcommands = {TablesCommand.Erase.class})
public final class TablesCommand implements Runnable {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Forgets one customer: their rows, and the rows of the anonymous ids the events link to them,
     * leave every table ({@link CustomerErasure}), older snapshots are expired, and the {@code
     * erasures} table records it under a salted hash of the customer key.
     */
    @Command(
            name = "erase",
            mixinStandardHelpOptions = true,
            description =
                    "Delete a customer's rows (and those of the anonymous ids linked to them) from"
                            + " every table, expire older snapshots so time travel cannot bring"
                            + " them back, and record the erasure in the erasures table.")
    static final class Erase implements Callable<Integer> {
        @Option(
                names = "--customer",
                required = true,
                paramLabel = "ID",
                description = "The customer id (customer_id), as events carry it.")
        String customer;

        @Option(
                names = "--warehouse",
                paramLabel = "DIR",
                description =
                        "Local warehouse the demo wrote (default: demo-output/warehouse); ignored"
                                + " when --config names a catalog.")
        Path warehouse = Path.of("demo-output", "warehouse");

        @Mixin ConfigMixin config;

        @Override
        public Integer call() throws Exception {
            Configuration conf = ConfigLoader.withJobDefaults(config.load(List.of()));
            CatalogSettings catalog = JobSettings.catalog(conf, warehouse.toAbsolutePath());
            PersonalDataScrubber scrubber = new PersonalDataScrubber(secret(warehouse));
            erase(catalog, scrubber, customer, "command", System.out);
            return 0;
        }
    }

    /** Erases {@code customerId} from the tables of {@code catalog}; prints what it removed. */
    static ErasureTable.Audit erase(
            CatalogSettings catalog,
            PersonalDataScrubber scrubber,
            String customerId,
            String source,
            PrintStream out) {
        if (customerId == null || customerId.isBlank()) {
            throw new ConfigException("--customer: give the customer id to erase");
        }
        Instant requested = Instant.now();
        String key = Event.CUSTOMER_KEY_PREFIX + customerId;
        String subject = scrubber.hash(key);
        return catalog.withCatalog(
                c -> {
                    CustomerErasure erasure = new CustomerErasure(c, catalog.icebergNamespace());
                    Set<String> anonymous = erasure.linkedAnonymousIds(customerId);
                    Set<String> keys = new LinkedHashSet<>();
                    keys.add(key);
                    anonymous.forEach(a -> keys.add(Event.ANONYMOUS_KEY_PREFIX + a));
                    Map<String, Long> removed =
                            erasure.erase(
                                    new CustomerErasure.Subject(
                                            keys,
                                            Set.of(customerId, scrubber.hash(customerId)),
                                            anonymous),
                                    Tables.all());
                    boolean known =
                            !anonymous.isEmpty() || removed.values().stream().anyMatch(n -> n > 0);
                    ErasureTable.Audit audit =
                            new ErasureTable.Audit(
                                    UUID.nameUUIDFromBytes(
                                                    (subject + "@" + requested.toEpochMilli())
                                                            .getBytes(StandardCharsets.UTF_8))
                                            .toString(),
                                    subject,
                                    source,
                                    requested,
                                    Instant.now(),
                                    known,
                                    anonymous.size(),
                                    removed);
                    erasure.record(audit);
                    long total = removed.values().stream().mapToLong(Long::longValue).sum();
                    out.printf(
                            "erased customer %s%s: %,d rows%n",
                            customerId,
                            anonymous.isEmpty()
                                    ? ""
                                    : " and " + anonymous.size() + " linked anonymous id(s)",
                            total);
                    removed.forEach((table, rows) -> out.printf("  %-28s %,d rows%n", table, rows));
                    out.printf(
                            "snapshots before the erasure expired; recorded in %s.erasures as %s%s%n",
                            catalog.icebergNamespace(),
                            audit.erasureId(),
                            known ? "" : " (no row of this customer was found)");
                    return audit;
                });
    }

    /**
     * The hashing secret: {@code PERSONALIZE_HASH_SECRET}, else the one-off secret the demo kept
     * next to its warehouse.
     */
    private static String secret(Path warehouse) throws IOException {
        String secret = System.getenv(PersonalDataScrubber.SECRET_ENV);
        if (secret != null && !secret.isBlank()) {
            return secret;
        }
        Path demoSecret = warehouse.toAbsolutePath().getParent().resolve("hash-secret");
        if (Files.isRegularFile(demoSecret)) {
            return Files.readString(demoSecret).trim();
        }
        throw new ConfigException(
                "set "
                        + PersonalDataScrubber.SECRET_ENV
                        + " to the hashing secret the job ran with: the erasure is recorded under"
                        + " the customer key hashed with it");
    }
}
