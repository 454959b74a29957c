package com.meltano.auth.oauth2.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.meltano.auth.oauth2.authorize.FlowState.Transition;

/** The login flow's state machine (SPEC section 5): every (transition, state) pair, moved or refused. */
class FlowStateTest {

    static Stream<Arguments> table() {
        return Stream.of(
                // transition, from, moves to (null: refused, the flow stays as it is)
                Arguments.of(Transition.AUTHENTICATED, FlowState.AWAITING_LOGIN, FlowState.COMPLETED),
                Arguments.of(Transition.AUTHENTICATED, FlowState.AWAITING_CONSENT, null),
                Arguments.of(Transition.AUTHENTICATED, FlowState.COMPLETED, null),
                Arguments.of(Transition.AUTHENTICATED, FlowState.ABANDONED, null),
                Arguments.of(Transition.AUTHENTICATED_CONSENT_NEEDED, FlowState.AWAITING_LOGIN, FlowState.AWAITING_CONSENT),
                Arguments.of(Transition.AUTHENTICATED_CONSENT_NEEDED, FlowState.AWAITING_CONSENT, null),
                Arguments.of(Transition.AUTHENTICATED_CONSENT_NEEDED, FlowState.COMPLETED, null),
                Arguments.of(Transition.AUTHENTICATED_CONSENT_NEEDED, FlowState.ABANDONED, null),
                Arguments.of(Transition.ANSWERED, FlowState.AWAITING_CONSENT, FlowState.COMPLETED),
                Arguments.of(Transition.ANSWERED, FlowState.AWAITING_LOGIN, null),
                Arguments.of(Transition.ANSWERED, FlowState.COMPLETED, null),
                Arguments.of(Transition.ANSWERED, FlowState.ABANDONED, null),
                Arguments.of(Transition.EXPIRED, FlowState.AWAITING_LOGIN, FlowState.ABANDONED),
                Arguments.of(Transition.EXPIRED, FlowState.AWAITING_CONSENT, FlowState.ABANDONED),
                Arguments.of(Transition.EXPIRED, FlowState.COMPLETED, null),
                Arguments.of(Transition.EXPIRED, FlowState.ABANDONED, null));
    }

    @ParameterizedTest(name = "{0} from {1} -> {2}")
    @MethodSource("table")
    void transitionWhenAppliedToStateThenMovesOnlyWhereTheMachineSays(Transition t, FlowState from, FlowState to) {
        assertThat(t.appliesTo(from)).isEqualTo(to != null);
        if (to != null) {
            assertThat(t.to()).isEqualTo(to);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void finishedStatesWhenAnyTransitionThenNeverReopened(Transition t, FlowState from, FlowState to) {
        if (!from.open()) {
            assertThat(to).as("a completed or abandoned flow is final").isNull();
        }
    }
}
