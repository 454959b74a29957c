package com.meltano.auth.admin.console;

import java.util.List;

import com.meltano.auth.access.SubjectAccess;
import com.meltano.auth.audit.AuditQuery;
import com.meltano.auth.keys.KeyListing;
import com.meltano.auth.oauth2.client.ClientView;
import com.meltano.auth.rbac.RbacService;
import com.meltano.auth.rbac.WhoCan;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The admin console's pages (SPEC section 11): type-checked Qute templates
 * ({@code templates/Console/<method>.html}) in the console layout ({@code templates/console.html}),
 * under the same rules as the sign-in pages ({@link com.meltano.auth.web.Pages}): no JavaScript,
 * no inline style, every value escaped, every form with the session's form token.
 */
@CheckedTemplate(basePath = "Console")
public class ConsolePages {

    private ConsolePages() {
    }

    /** Counts, signing keys and the latest audit events. */
    public static native TemplateInstance overview(ConsoleFrame frame, long users, long roles, long clients,
            List<KeyListing.KeyInfo> keys, List<AuditQuery.Entry> events);

    /** Every role with its permissions; the form to create one ({@code create.name}, {@code create.description}). */
    public static native TemplateInstance roles(ConsoleFrame frame, List<RbacService.RoleView> roles);

    /** One role: its permissions (add, remove), its members, and the way to delete it. */
    public static native TemplateInstance role(ConsoleFrame frame, RbacService.RoleView role, RbacService.Members members,
            boolean builtIn);

    /**
     * Who can (SPEC section 11): the question ({@code type}, {@code resource}, optional {@code subject}:
     * a user's email or a client id), errors next to its fields, the roles, users and clients that
     * may (users cut at {@code usersShown}, with {@code moreUsers} when there are more), and the
     * explanation for one subject ({@code explained}, null when none was named).
     */
    public static native TemplateInstance access(ConsoleFrame frame, String type, String resource, String subject,
            String typeError, String resourceError, String subjectError, WhoCan.Answer answer,
            List<WhoCan.UserHolder> usersShown, int moreUsers, SubjectAccess.Explained explained);

    /**
     * Asks before a destructive action: {@code question} as the title, {@code consequence} below it,
     * a form posting the form token to {@code action} with the button {@code confirmLabel}, and a way back.
     */
    public static native TemplateInstance confirm(ConsoleFrame frame, String question, String consequence, String action,
            String confirmLabel, String backUrl);

    // Clients, keys, audit (SPEC section 11)

    /** Registered clients, {@code next} the id after which the next page starts (null: the last page), and the register form. */
    public static native TemplateInstance clients(ConsoleFrame frame, List<ClientView> clients, String next, ConsoleClientForm form,
            ConsoleClientForm.Choices choices);

    /** One client: its new {@code secret} when the form just answered made one (else null), the edit form, rotate, delete. */
    public static native TemplateInstance client(ConsoleFrame frame, ClientView client, String secret, ConsoleClientForm form,
            ConsoleClientForm.Choices choices);

    /** Signing keys and the two ways to rotate; {@code activateNowSeconds} is the delay of "activate now". */
    public static native TemplateInstance keys(ConsoleFrame frame, List<KeyListing.KeyInfo> keys, long activateNowSeconds);

    /** A page of the audit log, newest first, with the filter shown and the link to older events (null at the end). */
    public static native TemplateInstance audit(ConsoleFrame frame, List<ConsoleAuditEndpoint.Row> events, String action,
            String actor, String older);

    // Users (SPEC section 11); types named in full to keep this block apart from the others

    /**
     * A page of users whose email starts with {@code prefix}, with the URLs of the first and the
     * next page (null when on the first, or on the last), and the form to create one
     * ({@code create.email}, {@code create.roles}, {@code create.password}, and when {@code mailOn}
     * {@code create.invite}).
     */
    public static native TemplateInstance users(ConsoleFrame frame, String prefix, String first,
            List<com.meltano.auth.account.UserViews.Summary> users, String next, List<ConsoleUsersEndpoint.RoleChoice> roles,
            boolean mailOn);

    /**
     * One user: state, manual roles (and mapped ones, not removable here), password, the verification
     * link sent again (when {@code mailOn} and the email is not verified), sign-out, export, erasure.
     */
    public static native TemplateInstance user(ConsoleFrame frame, com.meltano.auth.account.UserView user,
            List<ConsoleUsersEndpoint.RoleChoice> roles, List<com.meltano.auth.rbac.RbacRepository.Assignment> mappedRoles,
            boolean mailOn);

    /** Asks for the user's email before erasing the account ({@code erase.email}). */
    public static native TemplateInstance erase(ConsoleFrame frame, com.meltano.auth.account.UserView user);
}
