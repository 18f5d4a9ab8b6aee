package io.personalize.core.segments;

/**
 * The outcome of one rule for one customer. {@link #UNKNOWN} (a needed value is missing, or the
 * rule failed) counts as not a member, but is reported separately with a reason.
 */
public enum Membership {
    MEMBER,
    NOT_MEMBER,
    UNKNOWN
}
