package com.meltano.auth.account;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.meltano.auth.audit.AuditQuery;
import com.meltano.auth.oauth2.grant.ExportedGrant;
import com.meltano.auth.oauth2.grant.GrantRepository;
import com.meltano.auth.pairwise.PairwiseSubjects;

/**
 * Everything stored about a user, no secrets or hashes (GDPR article 15, SPEC section 9), assembled
 * from the owner of each part: the account, its linked identities, its grants, the audit log, and
 * the pairwise subs clients know it by (SPEC section 12).
 */
@ApplicationScoped
public class AccountExport {

    /** The export as the admin API returns it. */
    public record Export(UserView user, List<LinkedIdentities.Exported> linkedIdentities, List<ExportedGrant> grants,
            List<Map<String, Object>> audit, List<PairwiseSubjects.Exported> pairwiseSubjects) {
    }

    @Inject
    UserViews views;

    @Inject
    LinkedIdentities identities;

    @Inject
    GrantRepository grants;

    @Inject
    AuditQuery auditLog;

    @Inject
    PairwiseSubjects subjects;

    @Transactional
    public Export export(UUID id) {
        UserView user = views.get(id);
        return new Export(user, identities.export(id), grants.ofUser(id), auditLog.about(id.toString()), subjects.ofUser(id));
    }
}
