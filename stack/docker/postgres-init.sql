-- Apicurio Registry and Keycloak keep their data in databases of their own (as in the native stack).
CREATE DATABASE apicurio;
CREATE DATABASE keycloak;
