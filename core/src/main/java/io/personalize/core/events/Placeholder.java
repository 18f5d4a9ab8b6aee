package io.personalize.core.events;

class Placeholder {}
