package com.meltano.auth.cli;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import com.meltano.auth.keys.KeyListing;
import com.meltano.auth.keys.KeyRotation;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code keys ...}: the signing keys (SPEC sections 7, 11; the admin API's {@code /keys/rotate}). */
@Command(name = "keys", description = "List and rotate the signing keys.")
public class KeysCommands {

    @ParentCommand
    MeltanoAuthCommand top;

    @Inject
    KeyRotation rotation;

    @Inject
    KeyListing listing;

    @Command(name = "rotate", description = "Publish a new signing key now; it signs after the staging period, or with --now after a short delay.")
    void rotate(@Option(names = "--now", description = "Activate the new key within seconds (the current key is suspect).") boolean now) {
        List<KeyRotation.NewKey> keys = rotation.rotate(MeltanoAuthCommand.ACTOR, now);
        top.answer(KeyRotation.Rotated.of(keys), keys.stream().map(k -> List.of(k.kid(), k.alg(), k.state(), "signs from " + k.activatesAt())).toList());
    }

    @Command(name = "list", description = "List the signing keys: kid, alg, state, created, activates or activated, retired.")
    void list() {
        List<KeyListing.KeyInfo> keys = listing.all();
        top.answer(Map.of("items", keys), keys.stream().map(k -> List.of(k.kid(), k.alg(), k.state(), "created " + k.createdAt(),
                k.activatedAt() != null ? "activated " + k.activatedAt() : k.activatesAt() != null ? "signs from " + k.activatesAt() : "-",
                k.retiredAt() != null ? "retired " + k.retiredAt() : "-")).toList());
    }
}
