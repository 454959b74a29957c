-- OIDC Core 3.1.2.1 login_hint: prefilled in the sign-in form.
alter table login_flow add column login_hint text;
