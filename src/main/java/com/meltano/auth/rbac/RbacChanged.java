package com.meltano.auth.rbac;

/**
 * Fired inside the transaction that changed roles, permissions or a client's assignments, so that
 * caches of computed authorities can be invalidated on every replica when it commits.
 */
public record RbacChanged() {
}
