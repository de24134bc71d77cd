CREATE SCHEMA text_rules;
