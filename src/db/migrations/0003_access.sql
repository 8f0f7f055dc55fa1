-- Accounts (src/db/schema/access.ts): teams, agencies, users, sessions and API tokens; and who
-- works each case: an assignee, a team and optionally an outside agency.
CREATE TABLE "teams" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "teams_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "agencies" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agencies_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" serial PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"password_hash" text NOT NULL,
	"roles" text[] NOT NULL,
	"team_id" integer REFERENCES "teams"("id"),
	"agency_id" integer REFERENCES "agencies"("id"),
	"certified" boolean DEFAULT false NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"failed_logins" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_username_unique" UNIQUE("username"),
	CONSTRAINT "users_roles" CHECK ("roles" <@ ARRAY['admin', 'supervisor', 'agent', 'qa', 'compliance', 'agency_agent', 'auditor', 'borrower']::text[] AND cardinality("roles") > 0)
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" serial PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"user_id" integer NOT NULL REFERENCES "users"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sessions_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE INDEX "sessions_user" ON "sessions" USING btree ("user_id");
--> statement-breakpoint
CREATE INDEX "sessions_expires_at" ON "sessions" USING btree ("expires_at");
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"user_id" integer NOT NULL REFERENCES "users"("id"),
	"scopes" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "api_tokens_name_unique" UNIQUE("name"),
	CONSTRAINT "api_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE INDEX "api_tokens_user" ON "api_tokens" USING btree ("user_id") WHERE revoked_at IS NULL;
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "assignee_id" integer REFERENCES "users"("id");
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "team_id" integer REFERENCES "teams"("id");
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "agency_id" integer REFERENCES "agencies"("id");
--> statement-breakpoint
CREATE INDEX "cases_assignee" ON "cases" USING btree ("assignee_id") WHERE assignee_id IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "cases_team" ON "cases" USING btree ("team_id") WHERE team_id IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "cases_agency" ON "cases" USING btree ("agency_id") WHERE agency_id IS NOT NULL;
