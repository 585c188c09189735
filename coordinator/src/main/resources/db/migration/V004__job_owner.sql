-- Tenancy: the tenant whose API key submitted the job. Jobs from before tenants have no owner
-- (NULL), and only an admin sees them.
ALTER TABLE jobs ADD COLUMN owner text;

-- The jobs list of one tenant, newest first.
CREATE INDEX jobs_owner_created_at ON jobs (owner, created_at DESC);
