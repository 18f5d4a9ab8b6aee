package io.personalize.job.sinks;

import io.personalize.job.PipelineSinks;

/**
 * The graph's outputs thrown away: the bench measures the stages without the table writes with it,
 * and tests override the outputs they collect.
 */
public class DiscardingSinks implements PipelineSinks {}
