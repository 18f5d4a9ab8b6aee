/**
 * Deterministic demo data for the personalization engine.
 *
 * <p>{@link io.personalize.core.generator.DemoDataGenerator} is the entry point: it turns a seed, a
 * time span and a line count into JSON Lines in the event envelope ({@code
 * docs/event-envelope.md}). Inside, every customer is a small discrete-event simulation ({@code
 * CustomerTimeline}) driven by latent traits ({@code CustomerTraits}); web sessions ({@code
 * WebSessions}, {@code Visit}), orders ({@code Orders}), e-mail ({@code EmailBehaviour}) and CRM
 * ({@code CrmEvents}) write the events, {@code MalformedRecords} adds the broken records, and the
 * timelines are merged by time.
 */
package io.personalize.core.generator;
