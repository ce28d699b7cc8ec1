package dev.ocipin.pin;

import java.util.List;

/**
 * What scanning one file found: the references to pin or check, notes about what was left alone,
 * and refusals that leave the whole file untouched.
 *
 * @param sites the rewritable references, in file order
 * @param skipped references left alone, with why (a stage name, a templated value...)
 * @param checkOnly references that can be checked but not rewritten (built from variables); a plan
 *     notes them, a check reports them
 * @param refusals reasons the file must not be rewritten at all
 */
record Scan(List<Site> sites, List<PinNote> skipped, List<Site> checkOnly, List<String> refusals) {}
