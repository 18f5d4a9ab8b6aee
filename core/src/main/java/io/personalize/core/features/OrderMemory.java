package io.personalize.core.features;

import java.util.Arrays;

/**
 * The order ids a customer has had within the order horizon, so that a late line of a known order
 * is never counted as a new order, whatever the arrival order: per order, a 64-bit hash of its id,
 * the latest event time seen of it, its net amount in millionths ({@link Money}) and flags. Sorted
 * by hash in parallel primitive arrays (25 bytes an order, no strings); an order is forgotten when
 * its latest event is more than the horizon behind the customer's clock, which bounds the size to
 * the orders of one horizon. A Flink POJO: no Kryo.
 *
 * <p>Two order ids with the same 64-bit hash would count as one order; with a few thousand orders
 * per customer the chance of that is below 1 in 10<sup>12</sup>.
 */
public class OrderMemory {
    /** A line or an {@code order_completed} of the order has been seen. */
    static final byte PURCHASED = 1;

    /** An {@code order_completed} has been seen: a repeated one adds no amount. */
    static final byte COMPLETED = 2;

    /** An {@code order_cancelled} has been seen: with nothing left, the order is not counted. */
    static final byte CANCELLED = 4;

    public long[] keys = new long[0];
    public long[] times = new long[0];
    public long[] netMicros = new long[0];
    public byte[] flags = new byte[0];

    public OrderMemory() {}

    /** The index of the order, added with no time, amount or flags when it is not remembered. */
    int find(String orderId) {
        long key = hash(orderId);
        int at = Arrays.binarySearch(keys, key);
        if (at >= 0) {
            return at;
        }
        int insert = -at - 1;
        keys = insert(keys, insert, key);
        times = insert(times, insert, Long.MIN_VALUE);
        netMicros = insert(netMicros, insert, 0L);
        byte[] newFlags = new byte[flags.length + 1];
        System.arraycopy(flags, 0, newFlags, 0, insert);
        System.arraycopy(flags, insert, newFlags, insert + 1, flags.length - insert);
        flags = newFlags;
        return insert;
    }

    /** Adds an event of the order: its time, its signed amount and its flags. */
    void record(int index, long at, long micros, byte flag) {
        times[index] = Math.max(times[index], at);
        netMicros[index] += micros;
        flags[index] |= flag;
    }

    boolean has(int index, byte flag) {
        return (flags[index] & flag) != 0;
    }

    /** Counted as an order: purchased, and not cancelled with nothing left. */
    boolean counted(int index) {
        return has(index, PURCHASED) && !(has(index, CANCELLED) && netMicros[index] <= 0);
    }

    long net(int index) {
        return netMicros[index];
    }

    /** Forgets the orders whose latest event is before {@code cutoff}. */
    void forgetBefore(long cutoff) {
        int kept = 0;
        for (int i = 0; i < keys.length; i++) {
            if (times[i] >= cutoff) {
                keys[kept] = keys[i];
                times[kept] = times[i];
                netMicros[kept] = netMicros[i];
                flags[kept] = flags[i];
                kept++;
            }
        }
        if (kept < keys.length) {
            keys = Arrays.copyOf(keys, kept);
            times = Arrays.copyOf(times, kept);
            netMicros = Arrays.copyOf(netMicros, kept);
            flags = Arrays.copyOf(flags, kept);
        }
    }

    int size() {
        return keys.length;
    }

    /** FNV-1a over the id's characters, then the SplitMix64 finaliser to spread the bits. */
    static long hash(String orderId) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < orderId.length(); i++) {
            h ^= orderId.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    private static long[] insert(long[] values, int at, long value) {
        long[] result = new long[values.length + 1];
        System.arraycopy(values, 0, result, 0, at);
        result[at] = value;
        System.arraycopy(values, at, result, at + 1, values.length - at);
        return result;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OrderMemory other
                && Arrays.equals(keys, other.keys)
                && Arrays.equals(times, other.times)
                && Arrays.equals(netMicros, other.netMicros)
                && Arrays.equals(flags, other.flags);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(keys);
    }
}
