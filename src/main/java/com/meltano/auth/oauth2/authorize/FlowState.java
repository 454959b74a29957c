package com.meltano.auth.oauth2.authorize;

import java.util.Locale;
import java.util.Set;

/**
 * The states of a login flow (SPEC section 5; STYLE.md rule 10, as Hydra's login and consent flows):
 * a flow waits for a sign-in, then perhaps for consent, and ends either completed (the client got
 * its answer, or the account page was reached) or abandoned (its 15 minutes ran out). Second factors
 * (SPEC section 13) will add a state between the sign-in and consent.
 */
public enum FlowState {
    AWAITING_LOGIN, AWAITING_CONSENT, COMPLETED, ABANDONED;

    /** Whether the flow still waits for the person. */
    public boolean open() {
        return this == AWAITING_LOGIN || this == AWAITING_CONSENT;
    }

    String column() {
        return name().toLowerCase(Locale.ROOT);
    }

    static FlowState ofColumn(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /**
     * The only ways a flow moves. A transition applies only from its {@code from} states and only
     * while the flow has not expired (except {@link #EXPIRED}); anything else leaves the flow as it
     * is, and the page says what happened instead of reporting a false credential error.
     */
    public enum Transition {
        /** The person signed in; the client still needs their consent. */
        AUTHENTICATED_CONSENT_NEEDED(AWAITING_CONSENT, AWAITING_LOGIN),
        /** The person signed in and the flow answered: a code, an error for the client, or the account page. */
        AUTHENTICATED(COMPLETED, AWAITING_LOGIN),
        /** The person allowed or denied, and the client got the answer. */
        ANSWERED(COMPLETED, AWAITING_CONSENT),
        /** The flow's time ran out before it was answered. */
        EXPIRED(ABANDONED, AWAITING_LOGIN, AWAITING_CONSENT);

        private final FlowState to;
        private final Set<FlowState> from;

        Transition(FlowState to, FlowState... from) {
            this.to = to;
            this.from = Set.of(from);
        }

        public FlowState to() {
            return to;
        }

        public boolean appliesTo(FlowState state) {
            return from.contains(state);
        }

        /** The SQL array literal of the {@code from} states, for a guarded update. */
        String fromColumns() {
            return "{" + String.join(",", from.stream().map(FlowState::column).sorted().toList()) + "}";
        }
    }
}
