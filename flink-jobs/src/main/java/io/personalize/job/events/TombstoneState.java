package io.personalize.job.events;

import io.personalize.core.privacy.Tombstones;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.OperatorStateStore;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The tombstones a stage keeps as operator state: union list state, so that every subtask has every
 * tombstone after a restore at another parallelism (a key's subtask may change), starting from the
 * configured ones (the {@code erasures} table).
 *
 * <pre>{@code
 * tombstones = TombstoneState.restore(context.getOperatorStateStore(), "tombstones", configured);
 * ... tombstones.tombstones().erased(key) ...
 * tombstones.snapshot(); // in snapshotState
 * }</pre>
 */
public final class TombstoneState {
    private final ListState<String> state;
    private final Tombstones tombstones;

    private TombstoneState(ListState<String> state, Tombstones tombstones) {
        this.state = state;
        this.tombstones = tombstones;
    }

    /** The configured tombstones with those of the restored state, under {@code name}. */
    public static TombstoneState restore(
            OperatorStateStore store, String name, Tombstones configured) throws Exception {
        ListState<String> state =
                store.getUnionListState(new ListStateDescriptor<>(name, Types.STRING));
        Tombstones tombstones = new Tombstones(configured.secret(), configured.subjects());
        List<String> restored = new ArrayList<>();
        state.get().forEach(restored::add);
        tombstones.addSubjects(restored);
        return new TombstoneState(state, tombstones);
    }

    public Tombstones tombstones() {
        return tombstones;
    }

    /** Keeps the tombstones for the checkpoint being taken. */
    public void snapshot() throws Exception {
        state.update(new ArrayList<>(tombstones.subjects()));
    }
}
