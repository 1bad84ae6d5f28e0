-- Trigram matching for title search (q=…): a trusted extension, creatable by the database owner.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
