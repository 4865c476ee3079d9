-- Apicurio Registry keeps its schemas in a database of its own (as in the native stack).
CREATE DATABASE apicurio;
