package io.personalize.core.flows;

import java.io.Serializable;

/**
 * One arm of a flow's experiment: an id, a positive relative weight and, optionally, a template
 * that replaces the flow's for this arm.
 */
public record Variant(String id, Double weight, String template) implements Serializable {}
