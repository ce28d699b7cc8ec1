package dev.ocipin.auth;

/** A credential together with a description of where it came from, without the secret. */
record Found(Credential credential, String source) {}
