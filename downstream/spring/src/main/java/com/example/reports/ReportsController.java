package com.example.reports;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import com.meltano.auth.verifier.ContextMatcher;

/** 200 when the token allows {@code view:reports} on the report, 403 when not (401 is Spring's, before this). */
@RestController
class ReportsController {

    @GetMapping("/reports/{name}")
    ResponseEntity<String> report(@PathVariable String name, @AuthenticationPrincipal Jwt jwt) {
        // --8<-- [start:spring-handler]
        // the permissions claim (a JSON object of arrays), tested with SPEC section 8
        Map<String, List<String>> permissions = jwt.getClaim("permissions");
        if (permissions == null || !ContextMatcher.allows(permissions, "view:reports", name)) {
            return ResponseEntity.status(HttpStatus.FORBIDDEN).build();
        }
        // --8<-- [end:spring-handler]
        return ResponseEntity.ok("report " + name + " for " + jwt.getSubject() + "\n");
    }
}
